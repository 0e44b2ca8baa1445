// The terminal-state analysis of one replicate: w*_S and the stationary covariance Lambda_S of
// the linearised SDE there, the coupled runs (S_J for term_negrea, S^(i) for the replace-one gen)
// and the optional stationary check. Any failure leaves the replicate out of this family only.
#pragma once
#include <array>
#include <cstdint>
#include <string>

#include "sdegen/bounds/bound_layout.hpp"

namespace sdegen {

// Why a replicate's terminal analysis failed, in the order they are tried.
enum class TerminalFailure : int {
  none = 0,
  no_minimum,          // Newton did not reach ||grad L_S|| <= newton_tol (also on S_J)
  hessian_not_pd,      // H_S singular: Lambda_S does not exist
  edge_of_stability,   // eta lambda_max(H_S) >= 2: the discrete iteration has no stationary law
  coupled_diverged,    // a coupled run (S_J, S^(i), extra steps) became non-finite
  count
};
const char* failure_name(TerminalFailure failure);
inline constexpr int kTerminalFailureKinds = static_cast<int>(TerminalFailure::count);

struct TerminalRecord {
  TerminalFailure failure = TerminalFailure::none;
  Eigen::VectorXd values;  // see BoundLayout's terminal vector
  Vector w_star;           // kept for the second pass (term_xr)
  Matrix lambda;
  double lambda_logdet = 0;
};

TerminalRecord analyse_terminal_state(const Problem& problem, const CellParams& cell, const BoundLayout& layout,
                                      const Dataset& data, const Vector& w_final, const Vector& w0,
                                      std::uint64_t seed, std::uint64_t replicate);

}  // namespace sdegen
