// A results file read back as the run it records: its config, the cells it holds and their exact
// packed accumulator state (total and jackknife groups), for `sdegen merge`.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sdegen/config/config.hpp"

namespace sdegen {

struct StoredRun {
  std::string path;
  std::string config_text;
  RunConfig config;
  std::string sdegen_version;  // of the program that wrote the file ("" when absent)
  std::int64_t mpi_ranks = 1;
  std::vector<int> cells;                                  // the cells the file holds
  std::map<int, std::vector<double>> state;                // packed CellStatistics per cell
  std::map<int, std::vector<std::vector<double>>> groups;  // packed, per jackknife group
};

// Reads a results file. Throws UsageError naming the file when it is missing, not HDF5,
// truncated, of another format or format version, or lacks the raw state.
StoredRun read_stored_run(const std::string& path);

}  // namespace sdegen
