// The compute loop. Periodic checkpoints are per rank and need no agreement: every part is
// consistent on its own, and blocks missing from all parts are computed again on resume.
#include "sdegen/experiment/compute_wave.hpp"

#include <iostream>
#include <set>
#include <utility>

namespace sdegen {

std::string write_checkpoint(const RunState& state, const WorkPlan& plan, const CheckpointSettings& checkpoint,
                             const Communicator& comm) {
  try {
    write_checkpoint_part(checkpoint.directory, comm.rank(),
                          state.checkpoint_content(plan, checkpoint.run_key, comm.is_root()));
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

bool compute_wave(const ExperimentSetup& setup, const WorkPlan& plan, const Wave& wave, const Communicator& comm,
                  const CheckpointSettings* checkpoint, Progress& progress, RunState& state) {
  using Clock = std::chrono::steady_clock;
  std::size_t mine = 0;  // reserved at once: no reallocation holding two copies
  std::set<std::pair<int, int>> carriers;  // (cell, jackknife group): one block of each carries counts
  for (std::size_t k = 0; k < wave.computed.size(); ++k)
    if (wave.owner[k] == comm.rank()) {
      const std::int64_t id = wave.computed[k];
      mine += 2 + plan.state_doubles(id);
      const WorkItem item = plan.item(id);
      if (plan.count_doubles(id) > 0 && carriers.insert({item.cell, item.block % setup.bounds.jackknife_groups}).second)
        mine += plan.count_doubles(id);
    }
  state.finished.reserve(mine);
  ReplicateTrace trace;
  for (std::size_t k = 0; k < wave.computed.size(); ++k) {
    if (wave.owner[k] != comm.rank()) continue;
    const std::int64_t id = wave.computed[k];
    const WorkItem item = plan.item(id);
    const CellSetup& cell = setup.cells[item.cell];
    CellStatistics block = cell.empty_statistics();
    for (int r = item.first; r < item.last; ++r) {
      if (checkpoint && stop_requested()) return false;
      run_replicate(cell, setup.seed, static_cast<std::uint64_t>(r), trace);
      block.add(trace);
    }
    // Deferred records (the nested supersample design) are reduced per block, on the rank that
    // computed it: rank-invariant.
    for (std::size_t e = 0; e < cell.estimators.size(); ++e) cell.estimators[e]->end_block(block.estimators[e]);
    state.finished.add(id, item.cell, item.block % setup.bounds.jackknife_groups, block);
    // Cells end in item order; those before this block's are (about) done on every rank too.
    progress.advance(plan.cost(id), item.last - item.first, plan.cells_before(id + 1));
    if (checkpoint && checkpoint->every_seconds > 0 &&
        std::chrono::duration<double>(Clock::now() - state.last_checkpoint).count() >= checkpoint->every_seconds) {
      const std::string failure = write_checkpoint(state, plan, *checkpoint, comm);
      if (!failure.empty()) {  // a full disk must not end a run that can still finish
        progress.break_line();
        std::cerr << "sdegen: warning: " << failure << "; the run goes on (an earlier checkpoint, if any, is kept)"
                  << std::endl;
      }
      state.last_checkpoint = Clock::now();  // after a failure too: tried again an interval later
    }
  }
  return true;
}

}  // namespace sdegen
