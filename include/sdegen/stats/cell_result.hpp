// A cell's merged statistics and those of its jackknife groups, built in a fixed order from
// blocks (a run) or from parts (sdegen merge): the one ordered merge of sdegen.
#pragma once
#include <vector>

#include "sdegen/stats/cell_statistics.hpp"

namespace sdegen {

struct CellResult {
  CellStatistics total;
  std::vector<CellStatistics> groups;  // group g: the blocks whose index is g mod G

  CellResult() = default;
  CellResult(const CellStatistics& empty, int jackknife_groups);
  // Merge block `block` (blocks in ascending order give results independent of the rank count).
  void add_block(int block, const CellStatistics& stats);
  // Merge a part over a later replicate range: total into total, group into group.
  void add_part(const CellStatistics& total, const std::vector<CellStatistics>& groups);
  // Leave-one-group-out recomputations of estimator e, one per group with replicates, each the
  // merge of the other groups in group order.
  std::vector<EstimatorStatistics> leave_one_out(std::size_t estimator) const;
  int non_empty_groups() const;
};

}  // namespace sdegen
