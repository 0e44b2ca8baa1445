// The merge order is the item order whatever the waves, so wave boundaries (which depend on the
// rank count) never change a result; they only bound memory and balance each wave's load.
#include "sdegen/experiment/waves.hpp"

#include <algorithm>
#include <limits>

namespace sdegen {

std::int64_t wave_items(std::size_t state_doubles, int ranks) {
  const double bytes = 8.0 * static_cast<double>(state_doubles + 2);
  const double fit = std::min(kWaveBytes / bytes, double(std::numeric_limits<int>::max()) / (state_doubles + 2));
  const auto per_rank = std::max<std::int64_t>(1, static_cast<std::int64_t>(fit) / ranks);
  return std::min<std::int64_t>(per_rank, 1 << 20) * ranks;
}

Wave plan_wave(const WorkPlan& plan, std::int64_t begin, std::int64_t end, const std::set<std::int64_t>& restored,
               int ranks) {
  Wave wave;
  wave.begin = begin;
  wave.end = end;
  std::vector<double> costs;
  for (std::int64_t id = begin; id < end; ++id)
    if (restored.count(id) == 0) {
      wave.computed.push_back(id);
      costs.push_back(plan.cost(id));
    }
  wave.owner = assign_work(costs, ranks);
  return wave;
}

}  // namespace sdegen
