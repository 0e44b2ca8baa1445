// Reads back what `sdegen run` writes (docs/results-format.md): the root attributes and the
// /summary table, after checking that the file is a complete results file this version can read.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sdegen/io/h5_table.hpp"

namespace sdegen {

struct ResultsFile {
  std::string path;
  std::string format, sdegen_version, created, config;  // "" when absent
  std::string git_commit;                                 // "" when absent (older files)
  std::int64_t format_version = 0;
  std::int64_t mpi_ranks = -1, cell_count = -1;          // -1 when absent
  std::vector<std::string> axes;                          // the swept options, e.g. "data.n"
  h5::Table summary;                                      // /summary, one row per cell
  std::vector<std::string> summary_losses;                // attribute `losses` of /summary
  // Per cell index, per bound: why the bound is undefined ("" when defined; from the cells'
  // bounds groups, empty when the file has none).
  std::map<std::int64_t, std::map<std::string, std::string>> bound_reasons;
  // Per cell index, per bound: a remark on a defined value (e.g. a parameter at the edge of its grid).
  std::map<std::int64_t, std::map<std::string, std::string>> bound_notes;
  // Per cell index: the warnings its bound estimators wrote (e.g. a violated relation).
  std::map<std::int64_t, std::vector<std::string>> bound_warnings;
};

// Throws UsageError naming the file when it is missing, unreadable, not HDF5, truncated or
// corrupt, not an sdegen results file, of a newer format_version, or lacks /summary.
// Switches off HDF5's error-stack printing first, so that only that one message appears.
ResultsFile read_results_file(const std::string& path);

}  // namespace sdegen
