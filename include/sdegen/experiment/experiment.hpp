// The Monte Carlo experiment across ranks: split every cell's replicates into blocks, compute
// this rank's blocks, gather them on rank 0 and merge each cell's blocks in block order.
#pragma once
#include <memory>
#include <vector>

#include "sdegen/bounds/bound_layout.hpp"
#include "sdegen/config/config.hpp"
#include "sdegen/config/grid.hpp"
#include "sdegen/experiment/cell_statistics.hpp"
#include "sdegen/mpi/communicator.hpp"
#include "sdegen/problems/problem.hpp"
#include "sdegen/stats/quantities.hpp"

namespace sdegen {

struct ExperimentSetup {
  Grid grid;
  std::vector<std::unique_ptr<Problem>> problems;  // one per cell
  std::vector<QuantityLayout> layouts;             // one per cell
  std::vector<BoundLayout> bound_layouts;          // one per cell
  BoundsConfig bounds;
  std::uint64_t seed = 0;
  int replicates = 0;       // replicates [first_replicate, first_replicate + replicates)
  int first_replicate = 0;
  int block = 0;
  std::vector<int> active;  // the cells this run computes (all, or a --cells part)
  bool is_active(int cell) const;
};

ExperimentSetup make_setup(const RunConfig& config);

struct ExperimentResult {
  std::vector<CellStatistics> cells;                // merged over all replicates
  std::vector<std::vector<CellStatistics>> groups;  // per cell, per jackknife group (block index mod G)
  bool interrupted = false;  // stopped by a signal; every rank wrote its checkpoint part
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
// The numbers do not depend on the number of ranks. With terminal bounds it makes a second pass
// over the kept terminal states, against w_bar and Lambda_bar broadcast from rank 0.
ExperimentResult run_experiment(const ExperimentSetup& setup, const Communicator& comm, bool show_progress,
                                const CheckpointSettings* checkpoint = nullptr);

// Estimated cost of one replicate of a cell, in flops (for load balance and progress only).
double replicate_cost(const CellParams& cell);

}  // namespace sdegen
