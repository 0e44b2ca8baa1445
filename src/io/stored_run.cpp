// Reading the raw state of a results file. The root is checked by read_results_file (format,
// version, damage); every HDF5 failure after that becomes one UsageError naming the file.
#include "sdegen/io/stored_run.hpp"

#include <cstdio>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/io/checksum.hpp"
#include "sdegen/io/h5_read.hpp"
#include "sdegen/io/results_file.hpp"
#include "sdegen/io/results_reader.hpp"

namespace sdegen {

namespace {

// The raw state carries a CRC-32 attribute `crc32` since checksums were introduced; files written
// before have none and are read unchecked.
void verify_checksum(const std::string& path, hid_t cell, const std::string& cell_name, const std::string& dataset,
                     const std::vector<double>& values) {
  h5::Handle set(H5Dopen2(cell, dataset.c_str(), H5P_DEFAULT), H5Dclose, "open " + dataset);
  if (!h5::has_attribute(set.id(), "crc32")) return;
  if (h5::read_integer_attribute(set.id(), "crc32") != static_cast<std::int64_t>(crc32_doubles(values)))
    throw UsageError("results file '" + path + "' is corrupted: the raw state /cells/" + cell_name + "/" + dataset +
                     " does not match its CRC-32 checksum");
}

}  // namespace

StoredRun read_stored_run(const std::string& path) {
  const ResultsFile root = read_results_file(path);
  // The raw state's layout changes with the format: an older file's state cannot be unpacked.
  if (root.format_version != kResultsFormatVersion)
    throw UsageError("results file '" + path + "' is of format_version " + std::to_string(root.format_version) +
                     ", whose raw state this sdegen (format_version " + std::to_string(kResultsFormatVersion) +
                     ") cannot merge: re-run it with this version");
  StoredRun run;
  run.path = path;
  run.config_text = root.config;
  run.config = config_from_text(run.config_text, "'" + path + "' (attribute 'config')");
  run.sdegen_version = root.sdegen_version;
  run.mpi_ranks = root.mpi_ranks;
  try {
    h5::Handle file = h5::open_file_read_only(path);
    for (auto c : h5::read_attribute(file.id(), "cells_in_file").integers) run.cells.push_back(static_cast<int>(c));
    h5::Handle group(H5Gopen2(file.id(), "cells", H5P_DEFAULT), H5Gclose, "open group /cells");
    for (int c : run.cells) {
      char name[32];
      std::snprintf(name, sizeof name, "cell_%04d", c);
      h5::Handle cell(H5Gopen2(group.id(), name, H5P_DEFAULT), H5Gclose, std::string("open group ") + name);
      run.state[c] = h5::read_real_dataset(cell.id(), "state");
      verify_checksum(path, cell.id(), name, "state", run.state[c]);
      std::vector<hsize_t> dims;
      const std::vector<double> rows = h5::read_real_dataset(cell.id(), "group_states", &dims);
      verify_checksum(path, cell.id(), name, "group_states", rows);
      auto& groups = run.groups[c];
      if (dims.size() == 2)
        for (hsize_t g = 0; g < dims[0]; ++g)
          groups.emplace_back(rows.begin() + g * dims[1], rows.begin() + (g + 1) * dims[1]);
    }
  } catch (const UsageError&) {
    throw;
  } catch (const std::exception& e) {
    throw UsageError("cannot read results file '" + path + "': " + e.what());
  }
  return run;
}

}  // namespace sdegen
