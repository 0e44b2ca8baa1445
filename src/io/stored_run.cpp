// Reading the raw state of a results file. The root is checked by read_results_file (format,
// version, damage); every HDF5 failure after that becomes one UsageError naming the file.
#include "sdegen/io/stored_run.hpp"

#include <cstdio>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/io/h5_read.hpp"
#include "sdegen/io/results_reader.hpp"

namespace sdegen {

StoredRun read_stored_run(const std::string& path) {
  const ResultsFile root = read_results_file(path);
  StoredRun run;
  run.path = path;
  run.config_text = root.config;
  run.config = config_from_text(run.config_text, "'" + path + "' (attribute 'config')");
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
      std::vector<hsize_t> dims;
      const std::vector<double> rows = h5::read_real_dataset(cell.id(), "group_states", &dims);
      auto& groups = run.groups[c];
      if (dims.size() == 2)
        for (hsize_t g = 0; g < dims[0]; ++g)
          groups.emplace_back(rows.begin() + g * dims[1], rows.begin() + (g + 1) * dims[1]);
    }
  } catch (const std::exception& e) {
    throw UsageError("cannot read results file '" + path + "': " + e.what());
  }
  return run;
}

}  // namespace sdegen
