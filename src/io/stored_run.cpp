// Reading the raw state of a results file with the HDF5 C API. Every HDF5 failure becomes one
// UsageError that names the file, since a damaged input is the user's to fix.
#include "sdegen/io/stored_run.hpp"

#include <cstdio>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/io/h5_read.hpp"
#include "sdegen/io/results_file.hpp"

namespace sdegen {

namespace {

// A 1-D or 2-D double dataset, row-major, with its shape.
std::vector<double> read_doubles(hid_t parent, const std::string& name, std::vector<hsize_t>& dims) {
  h5::Handle set(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  h5::Handle space(H5Dget_space(set.id()), H5Sclose, "get dataspace of " + name);
  const int rank = H5Sget_simple_extent_ndims(space.id());
  if (rank < 1 || rank > 2) throw std::runtime_error("dataset " + name + " is not 1-D or 2-D");
  dims.assign(static_cast<std::size_t>(rank), 0);
  H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr);
  std::size_t size = 1;
  for (hsize_t d : dims) size *= d;
  std::vector<double> out(size);
  if (size > 0 && H5Dread(set.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
    throw std::runtime_error("cannot read dataset " + name);
  return out;
}

}  // namespace

StoredRun read_stored_run(const std::string& path) {
  StoredRun run;
  run.path = path;
  h5::silence_error_printing();
  if (std::FILE* f = std::fopen(path.c_str(), "rb"); f == nullptr)
    throw UsageError("cannot read results file '" + path + "'");
  else
    std::fclose(f);
  if (h5::is_hdf5_file(path) != 1) throw UsageError("'" + path + "' is not an HDF5 file");
  try {
    h5::Handle file = h5::open_file_read_only(path);
    const hid_t root = file.id();
    if (!h5::has_attribute(root, "format") || h5::read_string_attribute(root, "format") != kResultsFormat)
      throw UsageError("'" + path + "' is not an sdegen results file (attribute 'format')");
    const std::int64_t version = h5::read_integer_attribute(root, "format_version");
    if (version != kResultsFormatVersion)
      throw UsageError("'" + path + "' has format_version " + std::to_string(version) + ", this sdegen reads " +
                       std::to_string(kResultsFormatVersion));
    run.config_text = h5::read_string_attribute(root, "config");
    run.config = config_from_text(run.config_text, "'" + path + "' (attribute 'config')");
    run.mpi_ranks = h5::read_integer_attribute(root, "mpi_ranks");
    const h5::Attribute cells = h5::read_attribute(root, "cells_in_file");
    for (auto c : cells.integers) run.cells.push_back(static_cast<int>(c));
    h5::Handle group(H5Gopen2(root, "cells", H5P_DEFAULT), H5Gclose, "open group /cells");
    for (int c : run.cells) {
      char name[32];
      std::snprintf(name, sizeof name, "cell_%04d", c);
      h5::Handle cell(H5Gopen2(group.id(), name, H5P_DEFAULT), H5Gclose, std::string("open group ") + name);
      std::vector<hsize_t> dims;
      run.state[c] = read_doubles(cell.id(), "state", dims);
      const std::vector<double> rows = read_doubles(cell.id(), "group_states", dims);
      auto& groups = run.groups[c];
      if (dims.size() == 2)
        for (hsize_t g = 0; g < dims[0]; ++g)
          groups.emplace_back(rows.begin() + g * dims[1], rows.begin() + (g + 1) * dims[1]);
    }
  } catch (const UsageError&) {
    throw;
  } catch (const std::exception& e) {
    const std::string why = h5::error_stack_message();
    throw UsageError("cannot read results file '" + path + "': " + e.what() + (why.empty() ? "" : " (" + why + ")"));
  }
  return run;
}

}  // namespace sdegen
