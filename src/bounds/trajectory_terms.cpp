// Per-step trajectory terms. Sigma_S comes from one symmetric rank-n update (syrk) of the
// gradients; its Cholesky factor gives log det, and tr C comes from ||Gc||_F^2 directly. With a
// noise floor and n < d, log det comes from the n x n Gram matrix instead (matrix determinant lemma).
#include "sdegen/bounds/trajectory_terms.hpp"

#include <Eigen/Cholesky>
#include <cmath>

namespace sdegen {

LogdetPath cheaper_logdet_path(Eigen::Index n, Eigen::Index d, double noise_floor) {
  return noise_floor > 0 && n < d ? LogdetPath::gram : LogdetPath::dense;
}

NoiseLogdet noise_covariance_logdet(const Matrix& example_gradients, double kappa, double noise_floor, LogdetPath path,
                                    Matrix& work) {
  const Eigen::Index rows = example_gradients.rows(), d = example_gradients.cols();
  const double n = static_cast<double>(rows);
  const Vector gradient = example_gradients.colwise().mean().transpose();
  NoiseLogdet out;
  // ||Gc||_F^2 = ||P||_F^2 - n ||G||^2: no centred copy of the n x d matrix (gradients are O(1)
  // against their mean here, so the subtraction loses nothing that matters in double precision).
  out.trace = kappa * (example_gradients.squaredNorm() / n - gradient.squaredNorm()) + noise_floor * d;
  if (path == LogdetPath::dense) {
    // C = kappa (P^T P / n - G G^T) + lambda I: one symmetric rank-n update and a rank-1 downdate.
    work.setZero(d, d);
    work.selfadjointView<Eigen::Lower>().rankUpdate(example_gradients.transpose(), kappa / n);
    work.selfadjointView<Eigen::Lower>().rankUpdate(gradient, -kappa);
    work.diagonal().array() += noise_floor;
    Eigen::LLT<Eigen::Ref<Matrix>> chol(work);  // in place: work becomes the factor (lower triangle)
    if (chol.info() != Eigen::Success) return out;
    out.logdet = 2.0 * work.diagonal().array().log().sum();
  } else {
    // Gc Gc^T = H P P^T H with H = I - 1 1^T / n: centre the Gram matrix of P instead of P itself.
    work.setZero(rows, rows);
    work.selfadjointView<Eigen::Lower>().rankUpdate(example_gradients);
    work.triangularView<Eigen::StrictlyUpper>() = work.transpose();
    const Vector row_means = work.rowwise().mean();
    const double grand_mean = row_means.mean();
    work.colwise() -= row_means;
    work.rowwise() -= row_means.transpose();
    work.array() += grand_mean;
    work *= kappa / (n * noise_floor);
    work.diagonal().array() += 1.0;
    Eigen::LLT<Eigen::Ref<Matrix>> chol(work);
    if (chol.info() != Eigen::Success) return out;
    out.logdet = static_cast<double>(d) * std::log(noise_floor) + 2.0 * work.diagonal().array().log().sum();
  }
  out.ok = std::isfinite(out.logdet);
  return out;
}

TrajectoryTerms trajectory_terms(const Population& population, const Vector& w, const Matrix& example_gradients,
                                 double kappa, double noise_floor, bool with_logdet, bool with_align,
                                 TrajectoryWorkspace& work) {
  const auto n = static_cast<double>(example_gradients.rows());
  const auto d = w.size();
  TrajectoryTerms terms;
  const Vector gradient = example_gradients.colwise().mean().transpose();
  const double trace_c = kappa * (example_gradients.squaredNorm() / n - gradient.squaredNorm()) + noise_floor * d;
  const Vector population_gradient = population.population_gradient(w);
  const Vector gap = gradient - population_gradient;
  terms.a_zero = gradient.squaredNorm() + trace_c;
  terms.a_pop = gap.squaredNorm() + trace_c;
  if (!with_logdet) return terms;

  const LogdetPath path = with_align ? LogdetPath::dense  // the alignment term needs C_t's d x d factor
                                     : cheaper_logdet_path(example_gradients.rows(), d, noise_floor);
  const NoiseLogdet c_t = noise_covariance_logdet(example_gradients, kappa, noise_floor, path, work.sigma);
  if (!c_t.ok) return terms;
  terms.logdet = c_t.logdet;
  terms.logdet_ok = true;
  if (!with_align) return terms;  // align stays 0: not part of any bound then
  // C_mu only enters traj_align: a failure here leaves traj_iso's terms standing.
  Matrix c_mu = kappa * population.population_gradient_covariance(w);
  c_mu.diagonal().array() += noise_floor;
  Eigen::LLT<Matrix> chol_mu(c_mu);
  if (chol_mu.info() != Eigen::Success) return terms;
  const double logdet_mu = 2.0 * chol_mu.matrixLLT().diagonal().array().log().sum();
  // tr(C_mu^-1 C_t) = ||L_mu^-1 L_t||_F^2 with C = L L^T: one triangular solve, no inverse.
  const Matrix lower = work.sigma.triangularView<Eigen::Lower>();
  const double trace_ratio = chol_mu.matrixL().solve(lower).squaredNorm();
  const double quadratic = gap.dot(chol_mu.solve(gap));
  terms.align = trace_ratio - static_cast<double>(d) - (terms.logdet - logdet_mu) + quadratic;
  terms.align_ok = std::isfinite(terms.align);
  return terms;
}

}  // namespace sdegen
