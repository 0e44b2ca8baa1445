// The blocks one rank holds during a run: each finished item's packed statistics and what the
// second passes need of its replicates, as computed or as restored from a checkpoint.
#pragma once
#include <map>
#include <vector>

#include "sdegen/experiment/checkpoint.hpp"
#include "sdegen/experiment/experiment_setup.hpp"
#include "sdegen/experiment/work_plan.hpp"
#include "sdegen/mpi/communicator.hpp"
#include "sdegen/report/progress.hpp"

namespace sdegen {

struct ComputedBlocks {
  std::map<int, std::vector<double>> packed;  // item id -> packed CellStatistics of the block
  // item id -> per estimator, the kept records of the block's successful replicates, concatenated
  std::map<int, std::vector<std::vector<double>>> kept;
  bool interrupted = false;
  // Integer counts (histograms) travel with one block per cell and jackknife group among those
  // this rank computed, the group's carrier, rather than with every block: a sum of integers is
  // the same whichever block holds which part, so no group's or cell's counts change, and what
  // is gathered and checkpointed holds one table per group and rank instead of one per block.
  std::map<std::pair<int, int>, int> carrier;  // (cell, group) -> item id
  std::map<int, CellStatistics> carried;       // item id -> its statistics, with the group's counts

  // The checkpoint part of this rank: packed states, and kept records as [length, data...] per estimator.
  Checkpoint to_checkpoint(const std::string& run_key, int item_count) const;
};

// Resuming: rank 0 reads every finished block back and adopts it as its own (owner -1 for all
// ranks), so restored blocks flow through the gather and the second passes as if just computed.
// Throws UsageError on every rank when the checkpoint cannot be used.
ComputedBlocks restore_blocks(const ExperimentSetup& setup, WorkPlan& plan, const Communicator& comm,
                              const std::string& directory, const std::string& run_key);

// Computes this rank's blocks in item order, with progress and periodic checkpoints; stops
// between replicates when a stop signal arrives (the unfinished block is dropped).
void compute_blocks(const ExperimentSetup& setup, const WorkPlan& plan, const Communicator& comm,
                    const struct CheckpointSettings* checkpoint, Progress& progress, ComputedBlocks& blocks);

}  // namespace sdegen
