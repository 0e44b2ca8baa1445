// Restoring a run from its checkpoint: only rank 0 reads it and keeps the states; every rank
// learns the merged prefix and the ids of the restored blocks, so that none computes them again.
#include "sdegen/experiment/run_state.hpp"

#include <algorithm>

#include "sdegen/config/usage_error.hpp"

namespace sdegen {

void FinishedBlocks::add(std::int64_t id, int cell, int group, CellStatistics& block) {
  const std::size_t start = records_.size();
  records_.push_back(static_cast<double>(id));
  records_.push_back(0);
  if (block.has_counts()) {
    const auto found = carriers_.find({cell, group});
    if (found == carriers_.end()) {  // the group's carrier: every estimator's counts written, 0 or not
      block.pack(records_, CountPacking::always);
      Carrier carrier{records_.size(), {}};
      for (const auto& e : block.estimators)
        if (!e.counts.empty()) carrier.count_sizes.push_back(e.counts.size());
      carriers_.emplace(std::make_pair(cell, group), std::move(carrier));
    } else {
      // The counts sit at the end of the carrier's record: per estimator with counts, a flag 1 and
      // the counts. Sums of integers stay exact as doubles below 2^53.
      const Carrier& carrier = found->second;
      std::size_t pos = carrier.end;
      for (auto size : carrier.count_sizes) pos -= 1 + size;
      std::size_t k = 0;
      for (auto& e : block.estimators) {
        if (e.counts.empty()) continue;
        const std::size_t size = carrier.count_sizes.at(k++);
        for (std::size_t c = 0; c < size; ++c) records_[pos + 1 + c] += static_cast<double>(e.counts[c]);
        std::fill(e.counts.begin(), e.counts.end(), 0);
        pos += 1 + size;
      }
      block.pack(records_, CountPacking::when_present);
    }
  } else {
    block.pack(records_, CountPacking::when_present);
  }
  records_[start + 1] = static_cast<double>(records_.size() - start - 2);
}

void FinishedBlocks::clear() {
  std::vector<double>().swap(records_);
  carriers_.clear();
}

std::vector<ItemSpan> FinishedBlocks::spans() const {
  std::vector<ItemSpan> out;
  for (std::size_t pos = 0; pos < records_.size();) {
    const auto size = static_cast<std::size_t>(records_[pos + 1]);
    out.push_back({static_cast<std::int64_t>(records_[pos]), records_.data() + pos + 2, size});
    pos += 2 + size;
  }
  return out;
}

RunState fresh_state(const ExperimentSetup& setup, bool is_root) {
  RunState state;
  if (!is_root) return state;
  state.merged.resize(setup.cells.size());  // inactive cells stay without accumulators
  for (int c : setup.active) state.merged[c] = CellResult(setup.cells[c].empty_statistics(), setup.bounds.jackknife_groups);
  return state;
}

CheckpointContent RunState::checkpoint_content(const WorkPlan& plan, const std::string& run_key, bool is_root) const {
  CheckpointContent content;
  content.run_key = run_key;
  content.item_count = plan.size();
  content.merged_items = merged_items;
  if (is_root) {
    // Cells with a merged block: those whose first item lies below merged_items.
    for (std::int64_t id = 0; id < merged_items; id += plan.blocks_per_cell()) {
      const int cell = plan.item(id).cell;
      content.merged.emplace_back(cell, &merged[static_cast<std::size_t>(cell)]);
    }
    for (const auto& [id, state] : pending) content.items.push_back({id, state.data(), state.size()});
  }
  for (const ItemSpan& item : finished.spans()) content.items.push_back(item);
  return content;
}

RunState restore_state(const ExperimentSetup& setup, const WorkPlan& plan, const Communicator& comm,
                       const std::string& directory, const std::string& run_key) {
  RunState state = fresh_state(setup, comm.is_root());
  std::vector<double> header;  // merged_items, then the restored ids (exact as doubles below 2^53)
  comm.root_decides([&] {
    RestoredCheckpoint restored = read_checkpoint(directory, run_key, plan.size());
    for (auto& [cell, rows] : restored.merged) {
      const CellSetup& setup_of = setup.cells.at(static_cast<std::size_t>(cell));
      CellResult& result = state.merged.at(static_cast<std::size_t>(cell));
      if (!setup.is_active(cell) || rows.size() != result.groups.size() + 1)
        throw UsageError("checkpoint '" + directory + "' does not fit this run (merged state of cell " +
                         std::to_string(cell) + ")");
      try {
        result.total = CellStatistics::unpack(rows[0], setup_of.layout, setup_of.shapes());
        for (std::size_t g = 0; g < result.groups.size(); ++g)
          result.groups[g] = CellStatistics::unpack(rows[g + 1], setup_of.layout, setup_of.shapes());
      } catch (const std::exception& e) {
        throw UsageError("checkpoint '" + directory + "' does not fit this run: " + e.what());
      }
      rows.clear();
      rows.shrink_to_fit();
    }
    state.merged_items = restored.merged_items;
    state.pending = std::move(restored.items);
    for (const auto& [id, packed] : state.pending)  // with or without its group's counts
      if (packed.size() != plan.state_doubles(id) && packed.size() != plan.state_doubles(id) + plan.count_doubles(id))
        throw UsageError("checkpoint '" + directory + "' does not fit this run (block " + std::to_string(id) +
                         " has another size: written by another version of sdegen?)");
    header.push_back(static_cast<double>(state.merged_items));
    for (const auto& [id, packed] : state.pending) header.push_back(static_cast<double>(id));
  });
  comm.broadcast(header);
  state.merged_items = static_cast<std::int64_t>(header.at(0));
  for (std::size_t k = 1; k < header.size(); ++k) state.restored.insert(static_cast<std::int64_t>(header[k]));
  return state;
}

}  // namespace sdegen
