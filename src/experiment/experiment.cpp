// The experiment driver. Block b of cell c holds replicates [b B, (b+1) B); its statistics are
// accumulated replicate by replicate, and rank 0 merges blocks 0, 1, 2, ... in that order, so
// the floating-point result is the same for any rank count and any assignment of blocks.
#include "sdegen/experiment/experiment.hpp"

#include <sstream>

#include "sdegen/experiment/computed_blocks.hpp"
#include "sdegen/experiment/second_pass.hpp"
#include "sdegen/experiment/work_plan.hpp"
#include "sdegen/report/progress.hpp"

namespace sdegen {

std::string checkpoint_run_key(const RunConfig& config) {
  std::istringstream text(config.effective_text());
  std::string key, line, section;
  for (; std::getline(text, line);) {
    if (!line.empty() && line.front() == '[') section = line;
    if (section != "[output]") key += line + "\n";
  }
  return key + "cells = " + std::to_string(config.cells_part) + "/" + std::to_string(config.cells_parts) + "\n";
}

ExperimentResult run_experiment(const ExperimentSetup& setup, const Communicator& comm, bool show_progress,
                                const CheckpointSettings* checkpoint) {
  // A checkpoint belongs to the same tables (their shapes and checksums) as well as the same options.
  CheckpointSettings same_tables;
  if (checkpoint && !setup.tables.tables.empty()) {
    same_tables = *checkpoint;
    same_tables.run_key += setup.tables.identity();
    checkpoint = &same_tables;
  }
  WorkPlan plan = plan_work(setup, comm.size());
  const auto item_count = static_cast<int>(plan.items.size());
  ComputedBlocks blocks;
  if (checkpoint && checkpoint->resume) blocks = restore_blocks(setup, plan, comm, checkpoint->directory, checkpoint->run_key);

  double my_cost = 0;
  for (std::size_t i = 0; i < plan.items.size(); ++i)
    if (plan.owner[i] == comm.rank()) my_cost += plan.costs[i];
  Progress progress(my_cost, static_cast<int>(setup.active.size()), show_progress && comm.is_root());
  compute_blocks(setup, plan, comm, checkpoint, progress, blocks);
  if (checkpoint && comm.any(blocks.interrupted || stop_requested())) {
    // One collective decision, so that no rank waits in the gather for a stopped one.
    write_checkpoint_part(checkpoint->directory, comm.rank(), blocks.to_checkpoint(checkpoint->run_key, item_count));
    ExperimentResult stopped;
    stopped.interrupted = true;
    return stopped;
  }
  progress.finish();

  ExperimentResult result;
  std::vector<std::pair<int, std::vector<double>>> mine(blocks.packed.begin(), blocks.packed.end());
  const auto gathered = comm.gather_items(mine, item_count);
  if (comm.is_root()) {
    for (const auto& cell : setup.cells) result.cells.emplace_back(cell.empty_statistics(), setup.bounds.jackknife_groups);
    for (std::size_t i = 0; i < plan.items.size(); ++i) {
      const WorkItem& item = plan.items[i];
      const CellSetup& cell = setup.cells[item.cell];
      result.cells[item.cell].add_block(item.block, CellStatistics::unpack(gathered[i], cell.layout, cell.shapes()));
      if (plan.owner[i] == -1) ++result.restored_blocks;
    }
  }
  run_second_passes(setup, plan, comm, blocks, result.cells);
  return result;
}

}  // namespace sdegen
