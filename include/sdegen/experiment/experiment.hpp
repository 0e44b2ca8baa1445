// The Monte Carlo experiment across ranks: plan the blocks, restore finished ones from a
// checkpoint, compute this rank's blocks, stop collectively, gather and merge in block order,
// and run the estimators' second passes.
#pragma once
#include <string>
#include <vector>

#include "sdegen/config/config.hpp"
#include "sdegen/experiment/experiment_setup.hpp"
#include "sdegen/mpi/communicator.hpp"
#include "sdegen/stats/cell_result.hpp"

namespace sdegen {

struct ExperimentResult {
  std::vector<CellResult> cells;  // on rank 0, one per grid cell (empty for inactive cells)
  bool interrupted = false;       // stopped by a signal; every rank wrote its checkpoint part
  int restored_blocks = 0;        // blocks read back from a checkpoint
};

// How a run checkpoints: its directory, how often (seconds; 0: only on a stop signal), what
// identifies the run, and, when resuming, whether to read the finished blocks back first.
struct CheckpointSettings {
  std::string directory;
  double every_seconds = 0;
  std::string run_key;
  bool resume = false;
};

// A string identifying the experiment a checkpoint belongs to: the config without the options
// that do not change results ([output]) and the --cells part.
std::string checkpoint_run_key(const RunConfig& config);

// Collective. On rank 0 returns the merged statistics of every cell; elsewhere empty vectors.
// The numbers do not depend on the number of ranks.
ExperimentResult run_experiment(const ExperimentSetup& setup, const Communicator& comm, bool show_progress,
                                const CheckpointSettings* checkpoint = nullptr);

}  // namespace sdegen
