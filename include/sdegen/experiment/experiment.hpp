// The Monte Carlo experiment across ranks: plan the blocks, restore what a checkpoint holds,
// then wave by wave compute each rank's blocks, stop collectively, gather and merge on rank 0 in
// block order, and free the wave.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sdegen/config/config.hpp"
#include "sdegen/experiment/experiment_setup.hpp"
#include "sdegen/experiment/progress.hpp"
#include "sdegen/mpi/communicator.hpp"
#include "sdegen/stats/cell_result.hpp"

namespace sdegen {

struct ExperimentResult {
  std::vector<CellResult> cells;   // on rank 0, one per grid cell (empty for inactive cells)
  bool interrupted = false;        // stopped by a signal; every rank tried to write its checkpoint part
  bool checkpoint_failed = false;  // ... and at least one could not
  std::int64_t items = 0;          // blocks of the run
  std::int64_t restored_items = 0;       // blocks read back from a checkpoint
  std::int64_t restored_replicates = 0;  // their replicates
  double compute_seconds = 0;
};

// How a run checkpoints: its directory, how often (seconds; 0: only on a stop signal), what
// identifies the run, and, when resuming, whether to read the finished blocks back first.
struct CheckpointSettings {
  std::string directory;
  double every_seconds = 0;
  std::string run_key;
  bool resume = false;
};

// How a run is carried out; none of it changes a result.
struct RunControl {
  ProgressStyle progress = ProgressStyle::off;
  double progress_every = 0;                    // seconds; 0: progress_interval's default
  const CheckpointSettings* checkpoint = nullptr;
  std::int64_t wave_items = 0;                  // blocks per wave; 0: as many as kWaveBytes holds
  bool measure_costs = true;                    // balance by timed cells where worth it (cell_costs.hpp)
};

// A string identifying the experiment a checkpoint belongs to: the config without the options
// that do not change results ([output]) and the --cells part.
std::string checkpoint_run_key(const RunConfig& config);

// Collective. On rank 0 returns the merged statistics of every cell; elsewhere empty vectors.
// The numbers depend neither on the number of ranks nor on the waves.
ExperimentResult run_experiment(const ExperimentSetup& setup, const Communicator& comm, const RunControl& control = RunControl());

// Rank 0, after a complete run: writes the merged results as rank 0's checkpoint part, so that
// `--resume` writes the results file without computing again. Throws std::runtime_error.
void checkpoint_merged_results(const ExperimentSetup& setup, const std::vector<CellResult>& cells,
                               const CheckpointSettings& checkpoint);

}  // namespace sdegen
