// Per-step trajectory terms. Sigma_S comes from one symmetric rank-n update (syrk) of the
// centred gradients; its Cholesky factor gives log det, and tr C comes from ||Gc||_F^2 directly.
#include "sdegen/bounds/trajectory_terms.hpp"

#include <Eigen/Cholesky>
#include <cmath>

namespace sdegen {

TrajectoryTerms trajectory_terms(const Population& population, const Vector& w, const Matrix& example_gradients,
                                 double kappa, double noise_floor, bool with_logdet,
                                 TrajectoryWorkspace& work) {
  const auto n = static_cast<double>(example_gradients.rows());
  const auto d = w.size();
  TrajectoryTerms terms;
  const Vector gradient = example_gradients.colwise().mean().transpose();
  // ||Gc||_F^2 = ||P||_F^2 - n ||G||^2: no centred copy of the n x d matrix (gradients are O(1)
  // against their mean here, so the subtraction loses nothing that matters in double precision).
  const double trace_c = kappa * (example_gradients.squaredNorm() / n - gradient.squaredNorm()) + noise_floor * d;
  const Vector population_gradient = population.population_gradient(w);
  const Vector gap = gradient - population_gradient;
  terms.a_zero = gradient.squaredNorm() + trace_c;
  terms.a_pop = gap.squaredNorm() + trace_c;
  if (!with_logdet) return terms;

  // C = kappa (P^T P / n - G G^T) + lambda I: one symmetric rank-n update and a rank-1 downdate.
  work.sigma.setZero(d, d);
  work.sigma.selfadjointView<Eigen::Lower>().rankUpdate(example_gradients.transpose(), kappa / n);
  work.sigma.selfadjointView<Eigen::Lower>().rankUpdate(gradient, -kappa);
  work.sigma.diagonal().array() += noise_floor;
  Eigen::LLT<Matrix> chol(work.sigma);  // reads the lower triangle only
  if (chol.info() != Eigen::Success) return terms;
  terms.logdet = 2.0 * chol.matrixLLT().diagonal().array().log().sum();
  terms.logdet_ok = std::isfinite(terms.logdet);
  if (!terms.logdet_ok) return terms;
  // C_mu only enters traj_align: a failure here leaves traj_iso's terms standing.
  Matrix c_mu = kappa * population.population_gradient_covariance(w);
  c_mu.diagonal().array() += noise_floor;
  Eigen::LLT<Matrix> chol_mu(c_mu);
  if (chol_mu.info() != Eigen::Success) return terms;
  const double logdet_mu = 2.0 * chol_mu.matrixLLT().diagonal().array().log().sum();
  // tr(C_mu^-1 C_t) = ||L_mu^-1 L_t||_F^2 with C = L L^T: one triangular solve, no inverse.
  const Matrix lower = chol.matrixL();
  const double trace_ratio = chol_mu.matrixL().solve(lower).squaredNorm();
  const double quadratic = gap.dot(chol_mu.solve(gap));
  terms.align = trace_ratio - static_cast<double>(d) - (terms.logdet - logdet_mu) + quadratic;
  terms.align_ok = std::isfinite(terms.align);
  return terms;
}

}  // namespace sdegen
