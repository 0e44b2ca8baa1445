// Blocks start at multiples of mc.block counted from replicate 0, so that a part over a replicate
// range groups its replicates as the whole study would. LPT scheduling is within 4/3 of optimal.
#include "sdegen/experiment/work_plan.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sdegen/dynamics/dynamics_registry.hpp"

namespace sdegen {

double replicate_cost(const CellParams& cell) {
  const double n = cell.n, d = cell.params;
  const double per_step = find_dynamics(cell.algorithm).step_cost(cell);
  // log det C at a logged step costs O(n d^2 + d^3), and is taken only where C can be regular.
  const double per_log = 10 * n * d + (n - 1 >= d ? n * d * d + d * d * d : 0.0);
  return cell.steps * per_step + cell.logged_steps().size() * per_log + 40 * n * d;
}

WorkPlan::WorkPlan(const ExperimentSetup& setup)
    : cells_(setup.active),
      first_(setup.first_replicate),
      end_(setup.first_replicate + setup.replicates),
      block_(setup.block) {
  first_block_ = first_ / block_;
  blocks_per_cell_ = (static_cast<std::int64_t>(end_) + block_ - 1) / block_ - first_block_;
  replicates_ = end_ - first_;
  for (int c : cells_) {
    double cost = replicate_cost(setup.grid.cells[c]);
    if (setup.bounds.trajectory) cost *= 3;
    if (setup.bounds.terminal) cost *= 3;
    cost_per_replicate_.push_back(cost);
    total_cost_ += cost * replicates_;
  }
  for (int c : cells_) {
    const CellSetup& cell = setup.cells[static_cast<std::size_t>(c)];
    const auto shapes = cell.shapes();
    state_doubles_.push_back(CellStatistics::packed_size(cell.layout, shapes, CountPacking::when_present));
    std::size_t counts = 0;
    for (const auto& shape : shapes) counts += static_cast<std::size_t>(shape.count_size);
    count_doubles_.push_back(counts);
  }
}

void WorkPlan::use_measured_costs(const std::vector<double>& seconds_per_replicate) {
  if (seconds_per_replicate.size() != cost_per_replicate_.size()) return;
  for (double s : seconds_per_replicate)
    if (!(s > 0) || !std::isfinite(s)) return;  // a cell not timed: keep the model for all
  cost_per_replicate_ = seconds_per_replicate;
  total_cost_ = 0;
  for (double c : cost_per_replicate_) total_cost_ += c * static_cast<double>(replicates_);
}

std::size_t WorkPlan::largest_state() const {
  return state_doubles_.empty() ? 0 : *std::max_element(state_doubles_.begin(), state_doubles_.end());
}

std::size_t WorkPlan::largest_counts() const {
  return count_doubles_.empty() ? 0 : *std::max_element(count_doubles_.begin(), count_doubles_.end());
}

WorkItem WorkPlan::item(std::int64_t id) const {
  const auto position = static_cast<std::size_t>(id / blocks_per_cell_);
  const std::int64_t block = first_block_ + id % blocks_per_cell_;
  const std::int64_t first = std::max<std::int64_t>(block * block_, first_);
  const std::int64_t last = std::min<std::int64_t>((block + 1) * block_, end_);
  return {cells_[position], static_cast<int>(block), static_cast<int>(first), static_cast<int>(last)};
}

double WorkPlan::cost(std::int64_t id) const {
  const WorkItem it = item(id);
  return (it.last - it.first) * cost_per_replicate_[static_cast<std::size_t>(id / blocks_per_cell_)];
}

int WorkPlan::cells_before(std::int64_t end) const {
  return blocks_per_cell_ > 0 ? static_cast<int>(end / blocks_per_cell_) : 0;
}

std::int64_t WorkPlan::replicates_before(std::int64_t end) const {
  if (blocks_per_cell_ == 0) return 0;
  const std::int64_t cells = end / blocks_per_cell_, blocks = end % blocks_per_cell_;
  const std::int64_t partial = blocks == 0 ? 0 : std::min<std::int64_t>((first_block_ + blocks) * block_, end_) - first_;
  return cells * replicates_ + partial;
}

double WorkPlan::cost_before(std::int64_t end) const {
  if (blocks_per_cell_ == 0) return 0;
  const auto cells = static_cast<std::size_t>(end / blocks_per_cell_);
  double cost = 0;
  for (std::size_t c = 0; c < cells; ++c) cost += cost_per_replicate_[c] * replicates_;
  if (cells < cells_.size())
    cost += cost_per_replicate_[cells] * double(replicates_before(end) - replicates_before(cells * blocks_per_cell_));
  return cost;
}

std::vector<int> assign_work(const std::vector<double>& costs, int ranks) {
  std::vector<int> order(costs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return costs[a] > costs[b]; });
  std::vector<double> load(static_cast<std::size_t>(ranks), 0.0);
  std::vector<int> owner(costs.size(), 0);
  for (int item : order) {
    const auto r = std::min_element(load.begin(), load.end()) - load.begin();
    owner[item] = static_cast<int>(r);
    load[r] += costs[item];
  }
  return owner;
}

}  // namespace sdegen
