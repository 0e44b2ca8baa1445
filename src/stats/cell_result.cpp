// Ordered merges. The leave-one-out merges follow the group order, so every jackknife error bar
// is the same floating-point number on any rank count.
#include "sdegen/stats/cell_result.hpp"

#include <stdexcept>

namespace sdegen {

CellResult::CellResult(const CellStatistics& empty, int jackknife_groups)
    : total(empty), groups(static_cast<std::size_t>(jackknife_groups), empty) {}

void CellResult::add_block(int block, const CellStatistics& stats) {
  total.merge(stats);
  groups[static_cast<std::size_t>(block) % groups.size()].merge(stats);
}

void CellResult::add_part(const CellStatistics& part_total, const std::vector<CellStatistics>& part_groups) {
  if (part_groups.size() != groups.size()) throw std::runtime_error("parts have different numbers of jackknife groups");
  total.merge(part_total);
  for (std::size_t g = 0; g < groups.size(); ++g) groups[g].merge(part_groups[g]);
}

std::vector<EstimatorStatistics> CellResult::leave_one_out(std::size_t estimator) const {
  std::vector<EstimatorStatistics> out;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].values.count() == 0) continue;
    EstimatorStatistics rest(groups[g].estimators[estimator].shape());
    for (std::size_t h = 0; h < groups.size(); ++h)
      if (h != g) rest.merge(groups[h].estimators[estimator]);
    out.push_back(rest);
  }
  return out;
}

int CellResult::non_empty_groups() const {
  int count = 0;
  for (const auto& g : groups) count += g.values.count() > 0;
  return count;
}

}  // namespace sdegen
