// The bound families every cell carries, in a fixed order (their records are packed in it):
// the only list a new family of bounds is added to.
#pragma once
#include <memory>
#include <vector>

#include "sdegen/bounds/bound_estimator.hpp"

namespace sdegen {

using EstimatorSet = std::vector<std::unique_ptr<BoundEstimator>>;

// The context of a cell: its dynamics' and problem's capabilities and the bounded loss.
BoundContext make_bound_context(const CellParams& cell, const Problem& problem, const BoundsConfig& config,
                                PopulationSource population);

// Every family, enabled or not. Throws UsageError when bound options do not fit the cell.
EstimatorSet make_estimators(const BoundContext& context);

std::vector<EstimatorStatistics::Shape> estimator_shapes(const EstimatorSet& estimators);

}  // namespace sdegen
