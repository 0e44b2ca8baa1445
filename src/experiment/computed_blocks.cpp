// Restoring blocks from a checkpoint and computing the rest, replicate by replicate. Only rank 0
// reads the checkpoint; what it found is broadcast, so every rank skips the same blocks.
#include "sdegen/experiment/computed_blocks.hpp"

#include <chrono>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/experiment/experiment.hpp"

namespace sdegen {

Checkpoint ComputedBlocks::to_checkpoint(const std::string& run_key, int item_count) const {
  Checkpoint part;
  part.run_key = run_key;
  part.item_count = item_count;
  for (const auto& [id, state] : packed) {
    FinishedItem item;
    item.state = state;
    auto found = kept.find(id);
    if (found != kept.end())
      for (const auto& records : found->second) {
        item.kept.push_back(static_cast<double>(records.size()));
        item.kept.insert(item.kept.end(), records.begin(), records.end());
      }
    part.items[id] = std::move(item);
  }
  return part;
}

ComputedBlocks restore_blocks(const ExperimentSetup& setup, WorkPlan& plan, const Communicator& comm,
                              const std::string& directory, const std::string& run_key) {
  ComputedBlocks blocks;
  Checkpoint restored;
  comm.root_decides([&] { restored = read_checkpoint(directory, run_key, static_cast<int>(plan.items.size())); });
  std::vector<int> finished;
  for (const auto& [id, item] : restored.items) finished.push_back(id);
  comm.broadcast(finished);
  for (int id : finished) plan.owner[static_cast<std::size_t>(id)] = -1;  // nobody recomputes it
  for (auto& [id, item] : restored.items) {
    blocks.packed[id] = std::move(item.state);
    auto& kept = blocks.kept[id];
    kept.resize(setup.cells[plan.items[id].cell].estimators.size());
    for (std::size_t pos = 0, e = 0; pos < item.kept.size() && e < kept.size(); ++e) {
      const auto length = static_cast<std::size_t>(item.kept[pos]);
      if (pos + 1 + length > item.kept.size())
        throw UsageError("checkpoint '" + directory + "' is inconsistent (kept records of block " +
                         std::to_string(id) + ")");
      kept[e].assign(item.kept.begin() + pos + 1, item.kept.begin() + pos + 1 + length);
      pos += 1 + length;
    }
  }
  return blocks;
}

void compute_blocks(const ExperimentSetup& setup, const WorkPlan& plan, const Communicator& comm,
                    const CheckpointSettings* checkpoint, Progress& progress, ComputedBlocks& blocks) {
  using Clock = std::chrono::steady_clock;
  auto last_checkpoint = Clock::now();
  const auto item_count = static_cast<int>(plan.items.size());
  auto save = [&] {
    write_checkpoint_part(checkpoint->directory, comm.rank(), blocks.to_checkpoint(checkpoint->run_key, item_count));
    last_checkpoint = Clock::now();
  };

  std::map<int, int> open_blocks;  // per cell, this rank's blocks not yet finished
  for (std::size_t i = 0; i < plan.items.size(); ++i) open_blocks[plan.items[i].cell] += plan.owner[i] == comm.rank();
  int cells_done = 0;
  for (const auto& [cell, open] : open_blocks) cells_done += open == 0;

  ReplicateTrace trace;
  for (std::size_t i = 0; i < plan.items.size(); ++i) {
    if (plan.owner[i] != comm.rank()) continue;
    const WorkItem& item = plan.items[i];
    const CellSetup& cell = setup.cells[item.cell];
    CellStatistics block = cell.empty_statistics();
    std::vector<std::vector<double>> kept(cell.estimators.size());
    for (int r = item.first; r < item.last; ++r) {
      if (checkpoint && stop_requested()) {  // the unfinished block is dropped, not saved
        blocks.interrupted = true;
        return;
      }
      run_replicate(cell, setup.seed, static_cast<std::uint64_t>(r), trace);
      block.add(trace);
      if (trace.diverged) continue;
      for (std::size_t e = 0; e < trace.estimators.size(); ++e) {
        const EstimatorRecord& record = trace.estimators[e];
        if (record.failure < 0 && record.kept.size() > 0)
          kept[e].insert(kept[e].end(), record.kept.data(), record.kept.data() + record.kept.size());
      }
    }
    for (std::size_t e = 0; e < cell.estimators.size(); ++e) cell.estimators[e]->end_block(block.estimators[e]);
    std::vector<double> packed;
    if (block.has_counts()) {
      const std::pair<int, int> group{item.cell, item.block % setup.bounds.jackknife_groups};
      const auto found = blocks.carrier.find(group);
      if (found == blocks.carrier.end()) {
        blocks.carrier[group] = static_cast<int>(i);
        blocks.carried[static_cast<int>(i)] = block;
      } else {
        CellStatistics& carrier = blocks.carried.at(found->second);
        block.move_counts_to(carrier);
        std::vector<double> repacked;
        carrier.pack(repacked, CountPacking::when_present);
        blocks.packed[found->second] = std::move(repacked);
      }
    }
    block.pack(packed, CountPacking::when_present);
    blocks.packed[static_cast<int>(i)] = std::move(packed);
    blocks.kept[static_cast<int>(i)] = std::move(kept);
    cells_done += --open_blocks[item.cell] == 0;
    progress.advance(plan.costs[i], item.last - item.first, cells_done);
    if (checkpoint && checkpoint->every_seconds > 0 &&
        std::chrono::duration<double>(Clock::now() - last_checkpoint).count() >= checkpoint->every_seconds)
      save();
  }
}

}  // namespace sdegen
