// One round per estimator with a second pass: rank 0 broadcasts every cell's centre, each rank
// scores the kept records of its blocks (rank 0 also those restored from a checkpoint), and the
// per-block score accumulators are gathered and merged in block order like the first pass.
#include "sdegen/experiment/second_pass.hpp"

namespace sdegen {

void run_second_passes(const ExperimentSetup& setup, const WorkPlan& plan, const Communicator& comm,
                       const ComputedBlocks& blocks, std::vector<CellResult>& cells) {
  const std::size_t families = setup.cells.empty() ? 0 : setup.cells.front().estimators.size();
  const auto item_count = static_cast<int>(plan.items.size());
  for (std::size_t e = 0; e < families; ++e) {
    bool any = false;
    for (int c : setup.active) any = any || setup.cells[c].estimators[e]->second_pass_size() > 0;
    if (!any) continue;

    // Centres of every cell, at offsets every rank computes alike.
    std::vector<std::size_t> offset;
    std::size_t total = 0;
    for (const auto& cell : setup.cells) {
      offset.push_back(total);
      if (cell.estimators[e]->second_pass_size() > 0) total += static_cast<std::size_t>(cell.estimators[e]->centre_size());
    }
    std::vector<double> centres;
    if (comm.is_root())
      for (const auto& cell : setup.cells)
        if (cell.estimators[e]->second_pass_size() > 0) {
          const auto centre = cell.estimators[e]->second_pass_centre(cells[cell.cell.index].total.estimators[e]);
          centres.insert(centres.end(), centre.begin(), centre.end());
        }
    comm.broadcast(centres);

    std::vector<std::pair<int, std::vector<double>>> scored;
    for (std::size_t i = 0; i < plan.items.size(); ++i) {
      const bool restored_here = plan.owner[i] == -1 && comm.is_root();
      if (plan.owner[i] != comm.rank() && !restored_here) continue;
      const CellSetup& cell = setup.cells[plan.items[i].cell];
      const BoundEstimator& estimator = *cell.estimators[e];
      const int size = estimator.second_pass_size();
      if (size <= 0) continue;
      const auto begin = centres.begin() + static_cast<long>(offset[static_cast<std::size_t>(cell.cell.index)]);
      const std::vector<double> centre(begin, begin + estimator.centre_size());
      MomentAccumulator block(size);
      const auto found = blocks.kept.find(static_cast<int>(i));
      if (found != blocks.kept.end() && e < found->second.size()) {
        const std::vector<double>& kept = found->second[e];
        const auto width = static_cast<std::size_t>(estimator.kept_size());
        for (std::size_t pos = 0; width > 0 && pos + width <= kept.size(); pos += width) {
          const Eigen::VectorXd score = estimator.second_pass_score(
              Eigen::Map<const Eigen::VectorXd>(kept.data() + pos, static_cast<Eigen::Index>(width)), centre);
          if (score.allFinite()) block.add(score);
        }
      }
      std::vector<double> packed;
      block.pack(packed);
      scored.emplace_back(static_cast<int>(i), std::move(packed));
    }
    const auto gathered = comm.gather_items(scored, item_count);
    if (!comm.is_root()) continue;
    for (std::size_t i = 0; i < plan.items.size(); ++i) {
      const WorkItem& item = plan.items[i];
      const int size = setup.cells[item.cell].estimators[e]->second_pass_size();
      if (size <= 0) continue;
      const MomentAccumulator block = MomentAccumulator::unpack(gathered[i].data(), size);
      CellResult& result = cells[item.cell];
      result.total.estimators[e].second_pass.merge(block);
      result.groups[static_cast<std::size_t>(item.block) % result.groups.size()].estimators[e].second_pass.merge(block);
    }
  }
}

}  // namespace sdegen
