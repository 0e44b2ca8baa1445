// The merge order is the item order whatever the waves, so wave boundaries (which depend on the
// rank count) never change a result; they only bound memory and balance each wave's load.
#include "sdegen/experiment/waves.hpp"

#include <algorithm>
#include <limits>

namespace sdegen {

std::int64_t wave_carriers(const WorkPlan& plan, std::int64_t items, int jackknife_groups, int ranks) {
  if (plan.largest_counts() == 0 || plan.blocks_per_cell() == 0) return 0;
  const std::int64_t per_rank = (items + ranks - 1) / ranks;
  const std::int64_t cells = std::min<std::int64_t>(static_cast<std::int64_t>(plan.state_doubles_by_cell().size()),
                                                    (items + plan.blocks_per_cell() - 1) / plan.blocks_per_cell() + 1);
  return std::min<std::int64_t>(per_rank, std::int64_t{jackknife_groups} * cells);
}

std::int64_t wave_items(const WorkPlan& plan, int jackknife_groups, int ranks) {
  const double state = static_cast<double>(plan.largest_state() + 2), counts = static_cast<double>(plan.largest_counts());
  const double fit = std::min(kWaveBytes / (8 * state), double(std::numeric_limits<int>::max()) / state);
  std::int64_t per_rank = std::min<std::int64_t>(std::max<std::int64_t>(1, static_cast<std::int64_t>(fit) / ranks), 1 << 20);
  // Every rank's carriers send a count table each: fewer blocks per wave when the tables dominate.
  auto doubles = [&](std::int64_t n) {
    const std::int64_t items = n * ranks;
    return double(items) * state + double(ranks) * double(wave_carriers(plan, items, jackknife_groups, ranks)) * counts;
  };
  while (per_rank > 1 && (8 * doubles(per_rank) > kWaveBytes || doubles(per_rank) > std::numeric_limits<int>::max()))
    per_rank /= 2;
  return per_rank * ranks;
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
