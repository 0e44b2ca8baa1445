// Per-step trajectory terms. Sigma_S comes from one symmetric rank-n update (syrk) of the
// gradients; its Cholesky factor gives log det, and tr C comes from ||Gc||_F^2 directly. With a
// noise floor and n < d, log det comes from the n x n Gram matrix instead (matrix determinant lemma).
#include "sdegen/bounds/trajectory_terms.hpp"

#include <Eigen/Cholesky>
#include <cmath>

#include "sdegen/linalg/symmetric_gram.hpp"

namespace sdegen {

LogdetPath cheaper_logdet_path(Eigen::Index n, Eigen::Index d, double noise_floor) {
  return noise_floor > 0 && n < d ? LogdetPath::gram : LogdetPath::dense;
}

namespace {

// log det C from P and its column mean G; work as in noise_covariance_logdet.
bool covariance_logdet(const Matrix& example_gradients, const Vector& gradient, double kappa, double noise_floor,
                       LogdetPath path, Matrix& work, double& logdet) {
  const Eigen::Index rows = example_gradients.rows(), d = example_gradients.cols();
  const double n = static_cast<double>(rows);
  if (path == LogdetPath::dense) {
    // C = kappa (P^T P / n - G G^T) + lambda I: one symmetric rank-n update and a rank-1 downdate.
    work.setZero(d, d);
    add_symmetric_gram(example_gradients, kappa / n, work);
    work.selfadjointView<Eigen::Lower>().rankUpdate(gradient, -kappa);
    work.diagonal().array() += noise_floor;
    Eigen::LLT<Eigen::Ref<Matrix>> chol(work);  // in place: work becomes the factor (lower triangle)
    if (chol.info() != Eigen::Success) return false;
    logdet = 2.0 * work.diagonal().array().log().sum();
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
    if (chol.info() != Eigen::Success) return false;
    logdet = static_cast<double>(d) * std::log(noise_floor) + 2.0 * work.diagonal().array().log().sum();
  }
  return std::isfinite(logdet);
}

// tr C from ||Gc||_F^2 = ||P||_F^2 - n ||G||^2: no centred copy of the n x d matrix (gradients are
// O(1) against their mean here, so the subtraction loses nothing that matters in double precision).
double covariance_trace(const Matrix& example_gradients, const Vector& gradient, double kappa, double noise_floor) {
  const double n = static_cast<double>(example_gradients.rows());
  return kappa * (example_gradients.squaredNorm() / n - gradient.squaredNorm()) +
         noise_floor * static_cast<double>(gradient.size());
}

// tr(C_mu^-1 C_t) = ||L_mu^-1 L_t||_F^2 with C = L L^T (lower factors). X = L_mu^-1 L_t is lower
// triangular too: forward substitution on the lower triangle only (d^3 / 6 multiply-adds), which at
// the d of the bounds runs about twice as fast as Eigen's general triangular solve.
double alignment_trace(const Matrix& lower_mu, const Matrix& lower_t, Matrix& x) {
  const Eigen::Index d = lower_mu.rows();
  x.resize(d, d);
  x.triangularView<Eigen::Lower>() = lower_t;
  const double* l = lower_mu.data();
  double* out = x.data();
  for (Eigen::Index k = 0; k < d; ++k) {
    const double* l_k = l + k * d;  // column k of L_mu
    const double inverse_pivot = 1.0 / l_k[k];  // one division per row: divisions would dominate
    for (Eigen::Index j = 0; j <= k; ++j) {
      double* x_j = out + j * d;
      x_j[k] *= inverse_pivot;  // row k of X is final once the rows above have been subtracted
      const double x_kj = x_j[k];
      for (Eigen::Index i = k + 1; i < d; ++i) x_j[i] -= l_k[i] * x_kj;
    }
  }
  double sum = 0;
  for (Eigen::Index j = 0; j < d; ++j) sum += x.col(j).tail(d - j).squaredNorm();
  return sum;
}

}  // namespace

NoiseLogdet noise_covariance_logdet(const Matrix& example_gradients, double kappa, double noise_floor, LogdetPath path,
                                    Matrix& work) {
  const Vector gradient = example_gradients.colwise().mean().transpose();
  NoiseLogdet out;
  out.trace = covariance_trace(example_gradients, gradient, kappa, noise_floor);
  out.ok = covariance_logdet(example_gradients, gradient, kappa, noise_floor, path, work, out.logdet);
  return out;
}

TrajectoryTerms trajectory_terms(const Population& population, const Vector& w, const Matrix& example_gradients,
                                 double kappa, double noise_floor, bool with_logdet, bool with_align,
                                 TrajectoryWorkspace& work) {
  const auto d = w.size();
  TrajectoryTerms terms;
  work.gradient.noalias() = example_gradients.colwise().mean().transpose();
  const double trace_c = covariance_trace(example_gradients, work.gradient, kappa, noise_floor);
  work.gap.noalias() = work.gradient - population.population_gradient(w);
  terms.a_zero = work.gradient.squaredNorm() + trace_c;
  terms.a_pop = work.gap.squaredNorm() + trace_c;
  if (!with_logdet) return terms;

  const LogdetPath path = with_align ? LogdetPath::dense  // the alignment term needs C_t's d x d factor
                                     : cheaper_logdet_path(example_gradients.rows(), d, noise_floor);
  double logdet = 0;
  if (!covariance_logdet(example_gradients, work.gradient, kappa, noise_floor, path, work.sigma, logdet)) return terms;
  terms.logdet = logdet;
  terms.logdet_ok = true;
  if (!with_align) return terms;  // align stays 0: not part of any bound then
  // C_mu only enters traj_align: a failure here leaves traj_iso's terms standing.
  work.c_mu = population.population_gradient_covariance(w);
  work.c_mu *= kappa;
  work.c_mu.diagonal().array() += noise_floor;
  Eigen::LLT<Eigen::Ref<Matrix>> chol_mu(work.c_mu);  // in place: c_mu becomes L_mu
  if (chol_mu.info() != Eigen::Success) return terms;
  const double logdet_mu = 2.0 * work.c_mu.diagonal().array().log().sum();
  // gap^T C_mu^-1 gap = ||L_mu^-1 gap||^2: no inverse.
  const double trace_ratio = alignment_trace(work.c_mu, work.sigma, work.ratio);
  work.c_mu.triangularView<Eigen::Lower>().solveInPlace(work.gap);
  const double quadratic = work.gap.squaredNorm();
  terms.align = trace_ratio - static_cast<double>(d) - (terms.logdet - logdet_mu) + quadratic;
  terms.align_ok = std::isfinite(terms.align);
  return terms;
}

}  // namespace sdegen
