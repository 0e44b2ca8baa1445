// Relations every run must satisfy up to its error bars (B13 <= B8; I(Delta;U) <= I(L;U) <= ln 2;
// B8 <= B7'; every bound >= gen): returns the ones the estimates violate.
#pragma once
#include <string>
#include <vector>

#include "sdegen/bounds/supersample/conditional_bounds.hpp"
#include "sdegen/bounds/supersample/plain_estimates.hpp"

namespace sdegen::supersample {

struct Violation {
  std::string relation;  // e.g. "b13_exact_cgf <= b8_ld_mi"
  double lhs = 0, rhs = 0;
  double tolerance = 0;  // lhs - rhs exceeded this
};

// A measured gen in normalised units with its standard error. For gen of the quantised loss
// l_B itself the slack is 0; for gen of the unquantised loss (e.g. from a closed-form L_mu) it
// is LossLevels::quantisation_slack(), since gen(l) <= bound(l_B) + 1/B.
struct MeasuredGen {
  double value = 0;
  double stderr_ = 0;
  double quantisation_slack = 0;
};

// lhs <= rhs is violated when lhs - rhs > z sqrt(se_lhs^2 + se_rhs^2) + 1e-12 (a NaN error bar
// counts as 0; gen's quantisation slack is added to its tolerance). loss_difference: conditional
// estimates from loss-difference symbols, for b8 <= B7'; gen: for bound >= gen (applicable plain
// bounds, and B7, B7' when loss_difference is given).
std::vector<Violation> violated_relations(const PlainEstimates& plain,
                                          const ConditionalEstimates* loss_difference = nullptr,
                                          const MeasuredGen* gen = nullptr, double z = 3.0);

}  // namespace sdegen::supersample
