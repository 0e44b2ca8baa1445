// The per-step ingredients of the trajectory bounds at W_{t-1}, from the per-example gradients
// the step uses: ||G - g~||^2 + tr C_t for both prior means, log det C_t, the alignment KL term
// with one Cholesky factorisation of C_t for log det and one of C_mu for the alignment term.
#pragma once
#include "sdegen/problems/problem.hpp"

namespace sdegen {

struct TrajectoryTerms {
  double a_zero = 0;      // ||G||^2 + tr C_t               (prior mean 0)
  double a_pop = 0;       // ||G - grad L_mu||^2 + tr C_t   (prior mean: population gradient)
  double logdet = 0;      // log det C_t
  double align = 0;       // tr(C_mu^-1 C_t) - d - log det(C_mu^-1 C_t) + (G - grad L_mu)^T C_mu^-1 (G - grad L_mu)
  bool logdet_ok = false; // C_t positive definite (when asked for): traj_iso's terms exist
  bool align_ok = false;  // C_t and C_mu positive definite (when asked for): traj_align's term exists
};

struct TrajectoryWorkspace {
  Matrix sigma;
};

// C_t = kappa Sigma_S(w) + lambda I and C_mu = kappa Sigma_mu(w) + lambda I. The log det and
// alignment terms (O(n d^2 + d^3)) only when with_logdet; the rest is O(n d).
TrajectoryTerms trajectory_terms(const Population& population, const Vector& w, const Matrix& example_gradients,
                                 double kappa, double noise_floor, bool with_logdet,
                                 TrajectoryWorkspace& work);

}  // namespace sdegen
