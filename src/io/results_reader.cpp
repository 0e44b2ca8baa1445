// Reading a results file for `sdegen report`: every way the file can be unusable becomes one
// UsageError that names the file (HDF5's own error printing is switched off beforehand).
#include "sdegen/io/results_reader.hpp"

#include "sdegen/io/h5_read.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/io/results_file.hpp"
#include "sdegen/version.hpp"

namespace sdegen {

namespace {

void check_readable(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) throw UsageError("cannot read results file '" + path + "': " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw UsageError("cannot read results file '" + path + "': it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("cannot read results file '" + path + "': " + std::strerror(errno));
}

void read_root(hid_t file, ResultsFile& r) {
  const std::string& path = r.path;
  if (!h5::has_attribute(file, "format"))
    throw UsageError("'" + path + "' is an HDF5 file but not an sdegen results file (no root attribute 'format')");
  const h5::Attribute format = h5::read_attribute(file, "format");
  if (format.kind != h5::Kind::string || format.strings.size() != 1 || format.strings.front() != kResultsFormat)
    throw UsageError("'" + path + "' is not an sdegen results file (root attribute 'format' is " +
                     (format.kind == h5::Kind::string && format.strings.size() == 1
                          ? "'" + format.strings.front() + "'"
                          : std::string("not a single string")) +
                     ", expected '" + kResultsFormat + "')");
  r.format = format.strings.front();
  if (!h5::has_attribute(file, "format_version"))
    throw UsageError("'" + path + "' has no root attribute 'format_version'");
  const h5::Attribute version = h5::read_attribute(file, "format_version");
  if (version.kind != h5::Kind::integer || version.integers.size() != 1)
    throw UsageError("'" + path + "': root attribute 'format_version' is not a single integer");
  r.format_version = version.integers.front();
  if (r.format_version > kResultsFormatVersion)
    throw UsageError("'" + path + "' has format_version " + std::to_string(r.format_version) + ", newer than sdegen " +
                     kVersion + " reads (up to " + std::to_string(kResultsFormatVersion) + "): use a newer sdegen");
  if (r.format_version < 1)
    throw UsageError("'" + path + "' has an invalid format_version " + std::to_string(r.format_version));

  auto optional_string = [&](const char* name) {
    return h5::has_attribute(file, name) ? h5::read_string_attribute(file, name) : std::string();
  };
  auto optional_integer = [&](const char* name) {
    return h5::has_attribute(file, name) ? h5::read_integer_attribute(file, name) : std::int64_t{-1};
  };
  r.sdegen_version = optional_string("sdegen_version");
  r.git_commit = optional_string("git_commit");
  r.created = optional_string("created");
  r.config = optional_string("config");
  r.mpi_ranks = optional_integer("mpi_ranks");
  r.cell_count = optional_integer("cell_count");
  if (h5::has_attribute(file, "axes")) r.axes = h5::read_string_list_attribute(file, "axes");
}

// The reason attribute of every bound group of every cell (why a bound is undefined), and the
// estimators' warnings of every cell.
void read_bound_reasons(hid_t file, ResultsFile& r) {
  if (!h5::has_link(file, "cells")) return;
  h5::Handle cells(H5Gopen2(file, "cells", H5P_DEFAULT), H5Gclose, "open group /cells");
  const h5::Column* index = r.summary.find("cell");
  if (index == nullptr || index->kind != h5::Kind::integer) return;
  for (std::int64_t c : index->integers) {
    char name[32];
    std::snprintf(name, sizeof name, "cell_%04lld", static_cast<long long>(c));
    if (!h5::has_link(cells.id(), name)) continue;
    h5::Handle cell(H5Gopen2(cells.id(), name, H5P_DEFAULT), H5Gclose, std::string("open group ") + name);
    if (!h5::has_link(cell.id(), "bounds")) continue;
    h5::Handle bounds(H5Gopen2(cell.id(), "bounds", H5P_DEFAULT), H5Gclose, "open group bounds");
    if (h5::has_attribute(bounds.id(), "warnings"))
      r.bound_warnings[c] = h5::read_string_list_attribute(bounds.id(), "warnings");
    for (const auto& bound : h5::group_members(bounds.id())) {
      if (bound == "raw") continue;
      h5::Handle group(H5Gopen2(bounds.id(), bound.c_str(), H5P_DEFAULT), H5Gclose, "open group " + bound);
      if (h5::has_attribute(group.id(), "reason")) r.bound_reasons[c][bound] = h5::read_string_attribute(group.id(), "reason");
      if (h5::has_attribute(group.id(), "note")) {
        const std::string note = h5::read_string_attribute(group.id(), "note");
        if (!note.empty()) r.bound_notes[c][bound] = note;
      }
    }
  }
}

}  // namespace

ResultsFile read_results_file(const std::string& path) {
  h5::silence_error_printing();
  check_readable(path);
  const int hdf5 = h5::is_hdf5_file(path);
  if (hdf5 == 0) throw UsageError("'" + path + "' is not an HDF5 file");
  if (hdf5 < 0) {
    const std::string reason = h5::error_stack_message();
    throw UsageError("cannot read results file '" + path + "'" + (reason.empty() ? "" : ": " + reason));
  }
  ResultsFile r;
  r.path = path;
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) {
    const std::string reason = h5::error_stack_message();  // e.g. "truncated file: eof = ..."
    throw UsageError("'" + path + "' is a truncated or corrupt HDF5 file" + (reason.empty() ? "" : " (" + reason + ")"));
  }
  try {
    h5::Handle file(id, H5Fclose, "open file '" + path + "'");
    read_root(file.id(), r);
    if (!h5::has_link(file.id(), "summary"))
      throw UsageError("'" + path + "' has no /summary table (an incomplete or foreign results file)");
    r.summary = h5::read_table(file.id(), "summary");
    h5::Handle summary(H5Dopen2(file.id(), "summary", H5P_DEFAULT), H5Dclose, "open summary");
    if (h5::has_attribute(summary.id(), "losses"))
      r.summary_losses = h5::read_string_list_attribute(summary.id(), "losses");
    read_bound_reasons(file.id(), r);
  } catch (const UsageError&) {
    throw;
  } catch (const std::exception& e) {
    throw UsageError("'" + path + "' is a truncated or corrupt HDF5 file: " + e.what());
  }
  return r;
}

}  // namespace sdegen
