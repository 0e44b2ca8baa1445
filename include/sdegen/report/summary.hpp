// Per-cell summary at the final logged step (train, test and gen with standard errors for every
// evaluation loss), the bounds, and the paired SGD-SDE comparison: what /summary is made of.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "sdegen/bounds/bound_values.hpp"
#include "sdegen/experiment/experiment.hpp"

namespace sdegen {

struct Estimate {
  double mean = 0, stderr_ = 0;
};

struct LossSummary {
  std::string loss;
  double subgaussian_r = 0;
  Estimate train, test, gen;
};

// gen of a dynamics minus gen of its surrogate (sgd - sde) in the cell that differs only in the
// algorithm. Both train on the same training sets (streams keyed by meaning), so the difference
// has a paired error bar: the jackknife over the common replicate groups.
struct SurrogateGap {
  bool defined = false;
  std::string partner;  // the other cell's algorithm
  std::vector<Estimate> gap;              // per loss: mean and paired standard error
  std::vector<double> unpaired_stderr;    // per loss: sqrt(se_a^2 + se_b^2), for comparison
};

struct CellSummary {
  std::int64_t replicates = 0;  // finite replicates that enter the averages
  std::int64_t diverged = 0;
  std::vector<LossSummary> losses;  // losses[0]: the training loss
  CellBounds bounds;                 // when [bounds] asks for any
  SurrogateGap surrogate;            // when the sweep pairs a dynamics with its surrogate
};

CellSummary summarize_cell(const QuantityLayout& layout, const Problem& problem, const CellStatistics& stats);

// Every estimator's report for a cell, from its merged statistics and jackknife groups.
CellBounds compute_cell_bounds(const CellSetup& setup, const CellResult& result);

// Summaries (with bounds when asked for) of every cell of the grid, indexed by cell; cells the
// run did not compute (another --cells part) are left empty.
std::vector<CellSummary> summarize(const ExperimentSetup& setup, const ExperimentResult& result);

// For each cell: the paired z-score (gen_sgd - gen_sde) / paired standard error of the training
// loss against the cell that differs only in algorithm; NaN where there is no such pair.
std::vector<double> sgd_sde_z_scores(const Grid& grid, const std::vector<CellSummary>& summaries);

}  // namespace sdegen
