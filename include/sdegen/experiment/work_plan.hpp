// The work of a run: every active cell's replicates cut into blocks (the unit of work, of
// checkpoints and of the ordered merge), their estimated costs and the size of their packed
// statistics. Items are computed from their id, never listed: the plan's memory does not grow
// with the number of replicates.
#pragma once
#include <cstdint>
#include <vector>

#include "sdegen/experiment/experiment_setup.hpp"

namespace sdegen {

struct WorkItem {
  int cell, block, first, last;  // replicates [first, last)
};

class WorkPlan {
 public:
  explicit WorkPlan(const ExperimentSetup& setup);
  // Costs measured on this machine (seconds per replicate, by active cell) instead of the model's
  // flops: every rank must pass the same values, since the assignment of blocks derives from them.
  void use_measured_costs(const std::vector<double>& seconds_per_replicate);

  // Item ids run over the active cells in order, each cell's blocks ascending.
  std::int64_t size() const { return blocks_per_cell_ * static_cast<std::int64_t>(cells_.size()); }
  WorkItem item(std::int64_t id) const;
  double cost(std::int64_t id) const;  // estimated flops, or seconds once measured
  double total_cost() const { return total_cost_; }
  double cost_per_replicate(std::size_t position) const { return cost_per_replicate_[position]; }  // active cell
  // Doubles of a block's packed statistics without integer counts, by item and by active cell;
  // the largest of them. A block that carries its group's counts (run_state.hpp) has
  // count_doubles(id) more.
  std::size_t state_doubles(std::int64_t id) const { return state_doubles_[static_cast<std::size_t>(id / blocks_per_cell_)]; }
  std::size_t count_doubles(std::int64_t id) const { return count_doubles_[static_cast<std::size_t>(id / blocks_per_cell_)]; }
  const std::vector<std::size_t>& count_doubles_by_cell() const { return count_doubles_; }
  const std::vector<std::size_t>& state_doubles_by_cell() const { return state_doubles_; }
  std::size_t largest_state() const;
  std::size_t largest_counts() const;
  std::int64_t total_replicates() const { return replicates_ * static_cast<std::int64_t>(cells_.size()); }
  std::int64_t blocks_per_cell() const { return blocks_per_cell_; }
  // The cells whose items all lie below `end`, i.e. finished once items [0, end) are merged; the
  // replicates and the cost of items [0, end).
  int cells_before(std::int64_t end) const;
  std::int64_t replicates_before(std::int64_t end) const;
  double cost_before(std::int64_t end) const;

 private:
  std::vector<int> cells_;                  // active cells
  std::vector<double> cost_per_replicate_;  // per active cell, with the bounds' share
  std::vector<std::size_t> state_doubles_;  // per active cell
  std::vector<std::size_t> count_doubles_;  // per active cell
  int first_ = 0, end_ = 0, block_ = 1;     // replicates [first_, end_), blocks of block_
  std::int64_t first_block_ = 0, blocks_per_cell_ = 0, replicates_ = 0;
  double total_cost_ = 0;
};

// Estimated cost of one replicate of a cell, in flops (for load balance, progress and estimates).
double replicate_cost(const CellParams& cell);

// owner[i] = rank that computes item i: longest processing time first onto the least-loaded
// rank. Deterministic for given costs and rank count; results never depend on it.
std::vector<int> assign_work(const std::vector<double>& costs, int ranks);

}  // namespace sdegen
