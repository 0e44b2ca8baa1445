// The experiment driver. Block b of cell c holds replicates [b B, (b+1) B); its statistics are
// accumulated replicate by replicate, and rank 0 merges the items in id order (each cell's blocks
// 0, 1, 2, ...), wave after wave, so the floating-point result is the same for any rank count,
// any assignment of blocks and any wave size.
#include "sdegen/experiment/experiment.hpp"

#include <algorithm>
#include <iostream>
#include <sstream>

#include "sdegen/experiment/cell_costs.hpp"
#include "sdegen/experiment/compute_wave.hpp"
#include "sdegen/experiment/run_state.hpp"
#include "sdegen/experiment/waves.hpp"
#include "sdegen/experiment/work_plan.hpp"

namespace sdegen {

namespace {

// Rank 0 merges the wave [begin, end): blocks restored from a checkpoint, else those gathered.
void merge_wave(const ExperimentSetup& setup, const WorkPlan& plan, std::int64_t begin, std::int64_t end,
                const Communicator::Gathered& gathered, RunState& state) {
  for (std::int64_t id = begin; id < end; ++id) {
    const WorkItem item = plan.item(id);
    const CellSetup& cell = setup.cells[item.cell];
    std::vector<double> packed;
    const auto restored = state.pending.find(id);
    if (restored != state.pending.end()) {
      packed = std::move(restored->second);
      state.pending.erase(restored);
    } else {
      const auto k = static_cast<std::size_t>(id - begin);
      const auto from = gathered.data.begin() + static_cast<long>(gathered.offset[k]);
      packed.assign(from, from + static_cast<long>(gathered.length[k]));
    }
    state.merged[item.cell].add_block(item.block, CellStatistics::unpack(packed, cell.layout, cell.shapes()));
  }
}

void say_restored(const WorkPlan& plan, const ExperimentResult& result, const std::string& directory) {
  char share[32];
  std::snprintf(share, sizeof share, "%.1f%%", plan.size() > 0 ? 100.0 * result.restored_items / plan.size() : 100.0);
  std::cerr << "sdegen: resumed from '" << directory << "': " << result.restored_items << " of " << plan.size()
            << " blocks (" << share << ", " << result.restored_replicates << " of " << plan.total_replicates()
            << " replicates) restored" << std::endl;
}

}  // namespace

std::string checkpoint_run_key(const RunConfig& config) {
  std::istringstream text(config.effective_text());
  std::string key, line, section;
  for (; std::getline(text, line);) {
    if (!line.empty() && line.front() == '[') section = line;
    if (section != "[output]") key += line + "\n";
  }
  return key + "cells = " + std::to_string(config.cells_part) + "/" + std::to_string(config.cells_parts) + "\n";
}

ExperimentResult run_experiment(const ExperimentSetup& setup, const Communicator& comm, const RunControl& control) {
  WorkPlan plan(setup);
  const CheckpointSettings* checkpoint = control.checkpoint;
  RunState state = checkpoint && checkpoint->resume
                       ? restore_state(setup, plan, comm, checkpoint->directory, checkpoint->run_key)
                       : fresh_state(setup, comm.is_root());
  // After the restore, whose refusals (another run's checkpoint) should come first. The decision
  // depends on the setup and the rank count only: every rank joins the collective or none does.
  if (control.measure_costs && worth_measuring_cell_costs(setup, comm.size()))
    plan.use_measured_costs(measure_cell_costs(setup, comm));
  ExperimentResult result;
  result.items = plan.size();
  result.restored_items = state.merged_items + static_cast<std::int64_t>(state.restored.size());
  result.restored_replicates = plan.replicates_before(state.merged_items);
  double restored_cost = plan.cost_before(state.merged_items);
  for (std::int64_t id : state.restored) {
    const WorkItem item = plan.item(id);
    result.restored_replicates += item.last - item.first;
    restored_cost += plan.cost(id);
  }

  Progress progress(comm.is_root() ? control.progress : ProgressStyle::off,
                    progress_interval(control.progress, control.progress_every), plan.total_cost(),
                    plan.total_replicates(), static_cast<int>(setup.active.size()));
  if (checkpoint && checkpoint->resume) {
    progress.restored(restored_cost, result.restored_replicates, plan.cells_before(state.merged_items));
    if (comm.is_root() && control.progress != ProgressStyle::off) say_restored(plan, result, checkpoint->directory);
  }

  const std::int64_t per_wave =
      control.wave_items > 0 ? control.wave_items : wave_items(plan, setup.bounds.jackknife_groups, comm.size());
  for (std::int64_t begin = state.merged_items; begin < plan.size();) {
    const std::int64_t end = std::min(begin + per_wave, plan.size());
    const Wave wave = plan_wave(plan, begin, end, state.restored, comm.size());
    double wave_cost = 0, my_cost = 0;
    std::int64_t wave_replicates = 0, my_replicates = 0;
    for (std::size_t k = 0; k < wave.computed.size(); ++k) {
      const WorkItem item = plan.item(wave.computed[k]);
      const double cost = plan.cost(wave.computed[k]);
      wave_cost += cost;
      wave_replicates += item.last - item.first;
      if (wave.owner[k] == comm.rank()) {
        my_cost += cost;
        my_replicates += item.last - item.first;
      }
    }
    progress.start_wave(wave_cost, my_cost, wave_replicates, my_replicates);
    const bool finished = compute_wave(setup, plan, wave, comm, checkpoint, progress, state);
    // One collective decision, so that no rank waits in the gather for a stopped one.
    if (checkpoint && comm.any(!finished || stop_requested())) {
      progress.break_line();
      const std::string failure = write_checkpoint(state, plan, *checkpoint, comm);
      if (!failure.empty()) std::cerr << "sdegen: error: " << failure << std::endl;
      result.interrupted = true;
      result.checkpoint_failed = comm.any(!failure.empty());
      result.compute_seconds = progress.elapsed_seconds();
      return result;
    }
    Communicator::Gathered gathered = comm.gather_items(state.finished.records(), begin, static_cast<int>(end - begin));
    state.finished.clear();
    if (comm.is_root()) merge_wave(setup, plan, begin, end, gathered, state);
    state.restored.erase(state.restored.begin(), state.restored.lower_bound(end));
    state.merged_items = end;
    progress.end_wave(plan.cells_before(end));
    begin = end;
  }
  progress.finish();
  result.cells = std::move(state.merged);
  result.compute_seconds = progress.elapsed_seconds();
  return result;
}

void checkpoint_merged_results(const ExperimentSetup& setup, const std::vector<CellResult>& cells,
                               const CheckpointSettings& checkpoint) {
  const WorkPlan plan(setup);
  CheckpointContent content;
  content.run_key = checkpoint.run_key;
  content.item_count = plan.size();
  content.merged_items = plan.size();
  for (int c : setup.active) content.merged.emplace_back(c, &cells[static_cast<std::size_t>(c)]);
  write_checkpoint_part(checkpoint.directory, 0, content);
}

}  // namespace sdegen
