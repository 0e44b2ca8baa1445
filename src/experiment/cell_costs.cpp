// Timing a replicate of each cell for the work plan's balance, split over the ranks. Only the
// assignment of blocks to ranks uses the times, and results do not depend on that assignment.
#include "sdegen/experiment/cell_costs.hpp"

#include <chrono>

#include "sdegen/experiment/replicate.hpp"

namespace sdegen {

bool worth_measuring_cell_costs(const ExperimentSetup& setup, int ranks) {
  constexpr int kMinReplicates = 200;  // 2 timing replicates per cell: at most 1% more work
  return ranks > 1 && setup.active.size() > 1 && setup.replicates >= kMinReplicates;
}

std::vector<double> measure_cell_costs(const ExperimentSetup& setup, const Communicator& comm) {
  using Clock = std::chrono::steady_clock;
  std::vector<double> seconds(setup.active.size(), 0.0);
  ReplicateTrace trace;
  const auto replicate = static_cast<std::uint64_t>(setup.first_replicate);
  for (std::size_t position = static_cast<std::size_t>(comm.rank()); position < setup.active.size();
       position += static_cast<std::size_t>(comm.size())) {
    const CellSetup& cell = setup.cells[static_cast<std::size_t>(setup.active[position])];
    run_replicate(cell, setup.seed, replicate, trace);
    const auto start = Clock::now();
    run_replicate(cell, setup.seed, replicate, trace);
    seconds[position] = std::chrono::duration<double>(Clock::now() - start).count();
  }
  // Each cell is timed on exactly one rank and is 0 elsewhere: the sum is exact in any order, so
  // every rank gets the same bits (and so the same assignment).
  comm.sum(seconds);
  return seconds;
}

}  // namespace sdegen
