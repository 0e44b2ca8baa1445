// One replicate: draw a training set and W_0 from the replicate's streams, train, record the
// per-step quantities at the logged steps and feed every enabled bound estimator. A non-finite
// value, or one beyond 1e100 in magnitude (its square could overflow), marks it diverged.
#pragma once
#include <cstdint>
#include <memory>

#include "sdegen/bounds/estimator_set.hpp"
#include "sdegen/config/grid.hpp"
#include "sdegen/problems/problem.hpp"
#include "sdegen/stats/cell_statistics.hpp"
#include "sdegen/stats/quantities.hpp"

namespace sdegen {

// Everything fixed about a cell before its replicates run.
struct CellSetup {
  CellParams cell;
  std::unique_ptr<Problem> problem;
  QuantityLayout layout;
  EstimatorSet estimators;
  PopulationSource population = PopulationSource::closed_form;
  // The exact population of a cell on a table, built once and shared by its replicates.
  std::unique_ptr<const Population> finite;
  int table = -1;  // its table in ExperimentSetup::tables, -1 on synthetic data

  std::vector<EstimatorStatistics::Shape> shapes() const { return estimator_shapes(estimators); }
  CellStatistics empty_statistics() const { return CellStatistics(layout, shapes()); }
};

void run_replicate(const CellSetup& setup, std::uint64_t seed, std::uint64_t replicate, ReplicateTrace& trace);

}  // namespace sdegen
