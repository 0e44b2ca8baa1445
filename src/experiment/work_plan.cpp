// Blocks start at multiples of mc.block counted from replicate 0, so that a part over a replicate
// range groups its replicates as the whole study would. LPT scheduling is within 4/3 of optimal.
#include "sdegen/experiment/work_plan.hpp"

#include <algorithm>
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

WorkPlan plan_work(const ExperimentSetup& setup, int ranks) {
  WorkPlan plan;
  const int begin = setup.first_replicate, end = setup.first_replicate + setup.replicates;
  for (int c : setup.active) {
    const CellParams& cell = setup.grid.cells[c];
    for (int first = begin; first < end; first = (first / setup.block + 1) * setup.block) {
      const int last = std::min((first / setup.block + 1) * setup.block, end);
      plan.items.push_back({cell.index, first / setup.block, first, last});
      double cost = (last - first) * replicate_cost(cell);
      if (setup.bounds.trajectory) cost *= 3;
      if (setup.bounds.terminal) cost *= 3;
      plan.costs.push_back(cost);
    }
  }
  plan.owner = assign_work(plan.costs, ranks);
  return plan;
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
