// Longest-processing-time-first scheduling: within 4/3 of the optimal makespan, and with many
// small blocks per rank close to perfect balance.
#include "sdegen/mpi/work_plan.hpp"

#include <algorithm>
#include <numeric>

namespace sdegen {

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
