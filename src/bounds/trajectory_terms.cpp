// Per-step trajectory terms. Sigma_S comes from one symmetric rank-n update (syrk) of the
// gradients; its Cholesky factor gives log det and its diagonal tr C. With a noise floor and
// n < d, log det comes from the n x n Gram matrix instead (matrix determinant lemma).
#include "sdegen/bounds/trajectory_terms.hpp"

#include <Eigen/Cholesky>
#include <cmath>

#include "sdegen/linalg/cholesky_in_place.hpp"
#include "sdegen/linalg/sum_of_logs.hpp"

namespace sdegen {

LogdetPath cheaper_logdet_path(Eigen::Index n, Eigen::Index d, double noise_floor) {
  return noise_floor > 0 && n < d ? LogdetPath::gram : LogdetPath::dense;
}

namespace {

// C = kappa (P^T P / n - G G^T) + lambda I in the lower triangle of c (the upper one holds -kappa
// G G^T): the rank-1 term written first, a column at a time (Eigen's symmetric rank update costs
// several times more at the bounds' d), then one symmetric rank-n update adds to it.
void form_dense_covariance(const ExampleGradients& example_gradients, const Vector& gradient, double kappa,
                           double noise_floor, Matrix& c) {
  const Eigen::Index d = example_gradients.cols();
  c.resize(d, d);
  for (Eigen::Index j = 0; j < d; ++j) c.col(j) = (-kappa * gradient[j]) * gradient;
  example_gradients.add_gram(kappa / static_cast<double>(example_gradients.rows()), c);
  c.diagonal().array() += noise_floor;
}

// log det C from C formed by form_dense_covariance, which becomes its lower Cholesky factor.
bool dense_logdet(Matrix& c, double& logdet) {
  return cholesky_logdet(c, logdet) && std::isfinite(logdet);
}

// log det C from the n x n Gram matrix of the centred P (matrix determinant lemma); work: n x n.
bool gram_logdet(const Matrix& example_gradients, double kappa, double noise_floor, Matrix& work, double& logdet) {
  const Eigen::Index rows = example_gradients.rows(), d = example_gradients.cols();
  const double n = static_cast<double>(rows);
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
  if (!cholesky_logdet(work, logdet)) return false;
  logdet += static_cast<double>(d) * std::log(noise_floor);
  return std::isfinite(logdet);
}

// log det C from P and its column mean G; work as in noise_covariance_logdet.
bool covariance_logdet(const Matrix& example_gradients, const Vector& gradient, double kappa, double noise_floor,
                       LogdetPath path, Matrix& work, double& logdet) {
  if (path == LogdetPath::gram) return gram_logdet(example_gradients, kappa, noise_floor, work, logdet);
  form_dense_covariance(ExampleGradients(example_gradients), gradient, kappa, noise_floor, work);
  return dense_logdet(work, logdet);
}

// tr C = kappa ((1/n) sum ||g_i||^2 - ||G||^2) + lambda d, from ||Gc||_F^2 = ||P||_F^2 - n ||G||^2:
// no centred copy of the n x d matrix (gradients are O(1) against their mean here, so the
// subtraction loses nothing that matters in double precision).
double covariance_trace(const ExampleGradients& example_gradients, const Vector& gradient, double kappa,
                        double noise_floor) {
  return kappa * (example_gradients.mean_squared_norm() - gradient.squaredNorm()) +
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


// The alignment ingredients from a dense C_mu = kappa Sigma_mu + lambda I: its Cholesky factor
// L_mu gives log det, tr(C_mu^-1 C_t) = ||L_mu^-1 L_t||_F^2 and gap^T C_mu^-1 gap = ||L_mu^-1 gap||^2.
// gap is overwritten. O(d^3).
bool dense_alignment(const Matrix& sigma_mu, double kappa, double noise_floor, const Matrix& lower_t, Vector& gap,
                     TrajectoryWorkspace& work, double& trace_ratio, double& logdet_mu, double& quadratic) {
  work.c_mu = kappa * sigma_mu;
  work.c_mu.diagonal().array() += noise_floor;
  if (!cholesky_logdet(work.c_mu, logdet_mu)) return false;
  trace_ratio = alignment_trace(work.c_mu, lower_t, work.ratio);
  work.c_mu.triangularView<Eigen::Lower>().solveInPlace(gap);
  quadratic = gap.squaredNorm();
  return true;
}

// The same from C_mu = D + V V^T, D = kappa a + lambda (diagonal, positive), V = sqrt(kappa) U
// (d x k), and diag(C_t) in work.c_t_diagonal: with Y = D^-1 V and K = I_k + V^T Y, the matrix
// determinant lemma and Woodbury's identity give
//   log det C_mu = sum_i log D_i + log det K,
//   tr(C_mu^-1 C_t) = sum_i (C_t)_ii / D_i - tr(K^-1 Z^T Z),  Z = L_t^T Y (C_t = L_t L_t^T),
//   gap^T C_mu^-1 gap = sum_i gap_i^2 / D_i - (Y^T gap)^T K^-1 (Y^T gap),
// in O(d^2 k) from L_t. When some D_i is not positive, C_mu may still be positive definite:
// the dense path decides then, on D + V V^T formed as a d x d matrix.
bool structured_alignment(const DiagonalPlusLowRank& structure, double kappa, double noise_floor,
                          const Matrix& lower_t, Vector& gap, TrajectoryWorkspace& work, double& trace_ratio,
                          double& logdet_mu, double& quadratic) {
  const Eigen::Index d = lower_t.rows(), k = structure.factor.cols();
  work.d_mu_inverse = kappa * structure.diagonal.array() + noise_floor;  // D, inverted below
  if (!(work.d_mu_inverse.minCoeff() > 0))
    return dense_alignment(structure.dense(), kappa, noise_floor, lower_t, gap, work, trace_ratio, logdet_mu,
                           quadratic);
  logdet_mu = sum_of_logs(work.d_mu_inverse);
  work.d_mu_inverse = work.d_mu_inverse.cwiseInverse();
  trace_ratio = work.c_t_diagonal.dot(work.d_mu_inverse);
  quadratic = gap.cwiseAbs2().dot(work.d_mu_inverse);
  if (k == 0) return true;
  work.y = work.d_mu_inverse.asDiagonal() * (std::sqrt(kappa) * structure.factor);
  // k x k from d x k factors: a coefficient-wise product (a general one packs both operands).
  work.k.noalias() = (std::sqrt(kappa) * structure.factor).transpose().lazyProduct(work.y);
  work.k.diagonal().array() += 1.0;
  double logdet_k = 0;
  if (!cholesky_logdet(work.k, logdet_k)) return false;
  logdet_mu += logdet_k;
  const auto lower_k = work.k.triangularView<Eigen::Lower>();
  // tr(K^-1 Z^T Z) = ||L_K^-1 Z^T||_F^2 and (Y^T g)^T K^-1 (Y^T g) = ||L_K^-1 Y^T g||^2.
  // Z^T = Y^T L_t, a triangular matrix-vector product per column of Y (k is 1 or 2: Eigen's
  // triangular matrix-matrix product would pack the d x d factor for each call).
  work.z_t.resize(k, d);
  for (Eigen::Index c = 0; c < k; ++c)
    work.z_t.row(c).noalias() = work.y.col(c).transpose() * lower_t.triangularView<Eigen::Lower>();
  lower_k.solveInPlace(work.z_t);
  trace_ratio -= work.z_t.squaredNorm();
  work.y_gap.noalias() = work.y.transpose() * gap;
  lower_k.solveInPlace(work.y_gap);
  quadratic -= work.y_gap.squaredNorm();
  return true;
}

}  // namespace

NoiseLogdet noise_covariance_logdet(const Matrix& example_gradients, double kappa, double noise_floor, LogdetPath path,
                                    Matrix& work) {
  Vector gradient;
  const ExampleGradients gradients(example_gradients);
  gradients.mean(gradient);
  NoiseLogdet out;
  out.trace = covariance_trace(gradients, gradient, kappa, noise_floor);
  out.ok = covariance_logdet(example_gradients, gradient, kappa, noise_floor, path, work, out.logdet);
  return out;
}

TrajectoryTerms trajectory_terms(const Population& population, const Vector& w,
                                 const ExampleGradients& example_gradients, double kappa, double noise_floor,
                                 bool with_logdet, bool with_align, TrajectoryWorkspace& work) {
  const auto d = w.size();
  TrajectoryTerms terms;
  example_gradients.mean(work.gradient);
  work.gap.noalias() = work.gradient - population.population_gradient(w);
  // The alignment term needs C_t's d x d factor; log det alone may take the Gram path.
  const LogdetPath path =
      with_align ? LogdetPath::dense : cheaper_logdet_path(example_gradients.rows(), d, noise_floor);
  const bool dense = with_logdet && path == LogdetPath::dense;
  // With C_t formed, tr C_t is the sum of its diagonal: no further pass over P. (With
  // logdet_every > 1 the other steps take covariance_trace: the same formula, rounded otherwise.)
  if (dense) form_dense_covariance(example_gradients, work.gradient, kappa, noise_floor, work.sigma);
  if (dense && with_align) work.c_t_diagonal = work.sigma.diagonal();  // the alignment's tr(D^-1 C_t)
  const double trace_c =
      dense ? work.sigma.trace() : covariance_trace(example_gradients, work.gradient, kappa, noise_floor);
  terms.a_zero = work.gradient.squaredNorm() + trace_c;
  terms.a_pop = work.gap.squaredNorm() + trace_c;
  if (!with_logdet) return terms;

  double logdet = 0;
  if (!(dense ? dense_logdet(work.sigma, logdet)
              : gram_logdet(example_gradients.matrix(work.gradients), kappa, noise_floor, work.sigma, logdet)))
    return terms;
  terms.logdet = logdet;
  terms.logdet_ok = true;
  if (!with_align) return terms;  // align stays 0: not part of any bound then
  // C_mu only enters traj_align: a failure here leaves traj_iso's terms standing.
  double trace_ratio = 0, logdet_mu = 0, quadratic = 0;
  const bool structured = population.population_gradient_covariance_structure(w, work.structure);
  if (structured ? !structured_alignment(work.structure, kappa, noise_floor, work.sigma, work.gap, work, trace_ratio,
                                         logdet_mu, quadratic)
                 : !dense_alignment(population.population_gradient_covariance(w), kappa, noise_floor, work.sigma,
                                    work.gap, work, trace_ratio, logdet_mu, quadratic))
    return terms;
  terms.align = trace_ratio - static_cast<double>(d) - (terms.logdet - logdet_mu) + quadratic;
  terms.align_ok = std::isfinite(terms.align);
  return terms;
}

}  // namespace sdegen
