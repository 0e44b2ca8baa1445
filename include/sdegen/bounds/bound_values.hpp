// The bounds of a cell from its merged statistics: each bound's value, information term (nats),
// validity and a delete-a-group jackknife standard error; trajectory bounds also step by step.
#pragma once
#include <string>
#include <vector>

#include "sdegen/experiment/cell_statistics.hpp"

namespace sdegen {

struct BoundValue {
  std::string name;
  bool defined = false;
  std::string reason;        // why it is undefined (empty when defined)
  bool valid = false;        // a guaranteed bound for this cell's algorithm (else an estimate)
  double value = 0, stderr_ = 0, mi = 0;
  double sigma = 0;          // wang_mao_2022: the minimising perturbation scale
  std::vector<double> running;  // trajectory family: the bound after each logged step
};

struct ReferenceValue {  // a Monte Carlo figure reported beside the bounds
  double mean = 0, stderr_ = 0;
  bool defined = false;
};

struct CellBounds {
  std::vector<BoundValue> bounds;  // in bound_names() order
  std::string loss;                // the evaluation loss the bounds apply to
  double r = 0;                    // its subgaussian constant
  ReferenceValue replace_one_train, replace_one_bounded, stationary_relerr;
  // E[(W_T - w*)^T Lambda_S^-1 (W_T - w*)] / d: about 1 when training ended at the stationary
  // law the terminal bounds assume, far above when it had not converged yet.
  ReferenceValue terminal_mahalanobis;
  int jackknife_groups = 0;        // non-empty groups used for the error bars
};

const std::vector<std::string>& bound_names();

CellBounds compute_bounds(const CellParams& cell, const Problem& problem, const QuantityLayout& layout,
                          const BoundLayout& bounds, const CellStatistics& total,
                          const std::vector<CellStatistics>& groups);

}  // namespace sdegen
