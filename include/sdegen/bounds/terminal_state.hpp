// The terminal-state analysis of one replicate: w*_S and the stationary covariance Lambda_S of
// the linearised SDE there, the coupled runs (S_J for term_negrea, S^(i) for the replace-one gen)
// and the optional stationary check. Any failure leaves the replicate out of this family only.
#pragma once
#include <string>

#include "sdegen/bounds/bound_estimator.hpp"

namespace sdegen {

// Why a replicate's terminal analysis failed, in the order they are tried.
enum class TerminalFailure : int {
  none = 0,
  no_minimum,          // Newton did not reach ||grad L_S|| <= newton_tol (also on S_J)
  hessian_not_pd,      // H_S singular: Lambda_S does not exist
  edge_of_stability,   // eta lambda_max(H_S) >= 2: the discrete iteration has no stationary law
  coupled_diverged,    // a coupled run (S_J, S^(i), extra steps) became non-finite or beyond 1e100
  count
};
const char* failure_name(TerminalFailure failure);
inline constexpr int kTerminalFailureKinds = static_cast<int>(TerminalFailure::count);

// Where each figure sits in the terminal record: [w*(d), Lambda_S (d x d, column-major),
// ||w* - W_0||^2, negrea term sqrt(2 R^2 KL / (n - m)), its KL, replace-one (training loss,
// bounded loss), the scaled Mahalanobis distance of W_T from N(w*, Lambda_S) (about 1 at
// stationarity), for the stationary check the d x d difference (covariance of the extra
// iterates about w*) - Lambda_S, and log det Lambda_S (term_xr's Jensen gap)].
struct TerminalLayout {
  int dim = 0;
  int negrea_m = 0;            // size m of term_negrea's subset S_J
  double terminal_eta = 0;     // the learning rate of the last step
  int substeps = 1;            // Euler substeps per step: the Lyapunov law is that of eta / k
  bool stationary_law = true;  // the linearised stationary law applies (minibatch noise, C != 0)
  bool negrea_run = true;      // term_negrea's coupled run applies (stationary law and b <= m < n)
  int w_star() const { return 0; }
  int lambda() const { return dim; }
  int dist_init_sq() const { return dim + dim * dim; }
  int negrea() const { return dist_init_sq() + 1; }
  int negrea_kl() const { return dist_init_sq() + 2; }
  int replace_one_train() const { return dist_init_sq() + 3; }
  int replace_one_bounded() const { return dist_init_sq() + 4; }
  int mahalanobis() const { return dist_init_sq() + 5; }  // (W_T - w*)^T Lambda_S^-1 (W_T - w*) / d
  int stationary_difference() const { return dist_init_sq() + 6; }
  int lambda_logdet() const { return stationary_difference() + dim * dim; }
  int size() const { return lambda_logdet() + 1; }
};

// Fills record.values (TerminalLayout); on failure sets record.failure to the TerminalFailure.
// Without a stationary law only the replace-one gen is computed (the other figures stay 0 and
// are reported undefined).
void analyse_terminal_state(const BoundContext& context, const TerminalLayout& layout, const EndView& end,
                            EstimatorRecord& record);

}  // namespace sdegen
