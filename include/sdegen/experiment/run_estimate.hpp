// Before a run: each rank's peak memory, the size of the results file and of a checkpoint, from
// the layouts (block states, training sets, d x d matrices, waves); and the time, from the cost
// model and a measured rate. A run that would not fit is refused before any work.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sdegen/experiment/experiment_setup.hpp"
#include "sdegen/experiment/machine_resources.hpp"

namespace sdegen {

struct CellEstimate {
  int cell = 0;
  std::size_t state_doubles = 0;  // a block's packed statistics
  double working_bytes = 0;       // one replicate: training set, gradients, the analyses' matrices
  double statistics_bytes = 0;    // the cell's merged statistics on rank 0 (total and jackknife groups)
  double output_bytes = 0;        // its share of the results file
  double replicate_cost = 0;      // flops
};

struct RunEstimate {
  int ranks = 1;
  std::int64_t items = 0, wave_items = 0, waves = 0, replicates = 0;
  std::size_t largest_state = 0;           // doubles of the largest block state
  double root_bytes = 0, other_bytes = 0;  // peak memory of rank 0, and of every other rank
  double statistics_bytes = 0;             // of which: the cells' merged statistics (rank 0)
  double wave_bytes = 0;                   // ... the wave's block states (rank 0's share)
  double working_bytes = 0;                // ... the largest replicate working set
  double output_bytes = 0, checkpoint_bytes = 0;
  double total_cost = 0, busiest_cost = 0;  // flops: all ranks', and the most loaded rank's
  std::vector<CellEstimate> cells;          // the active cells, in order
};

RunEstimate estimate_run(const ExperimentSetup& setup, int ranks);

// Throws UsageError (exit 2) naming the options when rank 0's memory exceeds `memory`, or the
// results file exceeds `free_disk` bytes (negative: unknown) of the directory `output_directory`.
void check_run_fits(const RunEstimate& estimate, const MemoryLimit& memory, double free_disk,
                    const std::string& output_directory);

// A warning ("" when none): the results file and a checkpoint together exceed the free space.
std::string checkpoint_space_warning(const RunEstimate& estimate, double free_disk, const std::string& output_directory);

// Model flops per second of this machine's rank: times whole replicates of the active cells in
// turn for about `seconds` (up to 4x that to reach every cell once). `timed` says what was timed.
double measure_flop_rate(const ExperimentSetup& setup, double seconds, std::string& timed);

std::string byte_size(double bytes);  // "340 MiB", "1.2 GiB"
std::string duration_text(double seconds);  // "0:42", "1:02:03", "2 d 3:04:05"

}  // namespace sdegen
