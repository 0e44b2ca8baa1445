// The second passes of the bound estimators that need statistics over all replicates first
// (term_xr: the mean of (w*_S, Lambda_S)): centres from rank 0, scores on every rank, ordered merge.
#pragma once
#include <vector>

#include "sdegen/experiment/computed_blocks.hpp"
#include "sdegen/stats/cell_result.hpp"

namespace sdegen {

// Collective. `cells` holds the first pass's merged results on rank 0 (empty elsewhere); on rank
// 0 each estimator's second-pass accumulators are filled, in block order.
void run_second_passes(const ExperimentSetup& setup, const WorkPlan& plan, const Communicator& comm,
                       const ComputedBlocks& blocks, std::vector<CellResult>& cells);

}  // namespace sdegen
