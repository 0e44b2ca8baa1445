// Defaults of the estimator interface, the cell context every estimator starts from, and the
// lookup of a bound by name in a cell's results.
#include "sdegen/bounds/bound_estimator.hpp"

#include <cmath>

namespace sdegen {

void BoundEstimator::begin(EstimatorRecord& record) const {
  record.values.setZero(record_size());
  record.failure = -1;
}

const BoundValue* CellBounds::find(const std::string& bound) const {
  for (const auto& e : estimators)
    for (const auto& b : e.bounds)
      if (b.name == bound) return &b;
  return nullptr;
}

}  // namespace sdegen
