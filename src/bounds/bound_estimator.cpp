// Defaults of the estimator interface, the cell context every estimator starts from, and the
// lookup of a bound by name in a cell's results.
#include "sdegen/bounds/bound_estimator.hpp"

#include <cmath>
#include <stdexcept>

namespace sdegen {

void BoundEstimator::begin(EstimatorRecord& record) const {
  record.values.setZero(record_size());
  record.failure = -1;
  record.tallies.clear();
  record.deferred.resize(0);
}

Dataset BoundEstimator::training_set(const ReplicateStreams&) const {
  throw std::logic_error(family() + " does not draw training sets");
}

const BoundValue* CellBounds::find(const std::string& bound) const {
  for (const auto& e : estimators)
    for (const auto& b : e.bounds)
      if (b.name == bound) return &b;
  return nullptr;
}

const ReferenceValue* CellBounds::find_reference(const std::string& name) const {
  for (const auto& e : estimators)
    for (const auto& r : e.references)
      if (r.name == name) return &r;
  return nullptr;
}

}  // namespace sdegen
