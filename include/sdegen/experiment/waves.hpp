// Waves: consecutive ranges of work items that every rank computes its share of and rank 0 merges
// in item order at the wave's end, then frees. A rank holds one wave's block states, never the
// run's: memory per rank does not grow with the number of replicates.
#pragma once
#include <cstdint>
#include <set>
#include <vector>

#include "sdegen/experiment/experiment_setup.hpp"
#include "sdegen/experiment/work_plan.hpp"

namespace sdegen {

// What rank 0 gathers per wave, at most (unless one block per rank needs more).
inline constexpr double kWaveBytes = 16.0 * 1024 * 1024;

struct Wave {
  std::int64_t begin = 0, end = 0;     // items [begin, end)
  std::vector<std::int64_t> computed;  // its items not restored from a checkpoint, ascending
  std::vector<int> owner;              // the rank computing computed[k] (balanced within the wave)
};

// Items per wave: as many block states as fit kWaveBytes, with the count tables the wave's
// carriers hold (wave_carriers), at least one per rank, a multiple of the rank count, and few
// enough for MPI's int counts where possible.
std::int64_t wave_items(const WorkPlan& plan, int jackknife_groups, int ranks);

// The blocks that carry their group's integer counts (run_state.hpp) on one rank in a wave of
// `items` blocks, at most: one per cell and jackknife group it holds blocks of (0 without counts).
std::int64_t wave_carriers(const WorkPlan& plan, std::int64_t items, int jackknife_groups, int ranks);

// The wave [begin, end): the items to compute (those not in `restored`) and their owners.
Wave plan_wave(const WorkPlan& plan, std::int64_t begin, std::int64_t end, const std::set<std::int64_t>& restored,
               int ranks);

}  // namespace sdegen
