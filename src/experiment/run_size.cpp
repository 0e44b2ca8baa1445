// Counts, before any work, the numbers run_experiment will gather on rank 0 (each block's packed
// CellStatistics plus its two-number header), so that a run too large fails at start, not at the end.
#include "sdegen/experiment/run_size.hpp"

#include <algorithm>
#include <limits>
#include <sstream>

#include "sdegen/config/usage_error.hpp"

namespace sdegen {

void check_run_size(const ExperimentSetup& setup) {
  const std::int64_t first_block = setup.first_replicate / setup.block;
  const std::int64_t end = std::int64_t{setup.first_replicate} + setup.replicates;
  const std::int64_t blocks = (end + setup.block - 1) / setup.block - first_block;
  double total = 0;
  for (int c : setup.active) {
    std::vector<double> packed;
    setup.cells[c].empty_statistics().pack(packed, CountPacking::when_present);
    total += double(blocks) * double(packed.size() + 2);
    // Integer counts ride on one block per jackknife group and rank (computed_blocks.hpp): at
    // least one per group, however many ranks share the group's blocks.
    double counts = 0;
    for (const auto& shape : setup.cells[c].shapes()) counts += shape.count_size;
    total += double(std::min<std::int64_t>(blocks, setup.bounds.jackknife_groups)) * counts;
  }
  const double limit = std::numeric_limits<int>::max();
  if (total > limit) {
    std::ostringstream msg;
    msg << "options 'mc.replicates' / 'mc.block' x cells give " << blocks << " blocks per cell whose statistics ("
        << total << " numbers) exceed the 2^31 - 1 that rank 0 can gather: use a larger 'mc.block', a larger "
        << "'train.log_every', fewer cells (--cells i/N) or fewer replicates per run (mc.first_replicate)";
    throw UsageError(msg.str());
  }
}

}  // namespace sdegen
