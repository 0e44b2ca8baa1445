// Exact Gaussian minibatch noise from per-example gradients, without forming a d x d matrix:
// Cov(Gc^T z) = Gc^T Gc = n Sigma_S, so sqrt(kappa / n) Gc^T z has covariance kappa Sigma_S.
#include "sdegen/dynamics/sde_noise.hpp"

#include <cmath>

namespace sdegen {

double minibatch_kappa(int n, int batch) {
  return static_cast<double>(n - batch) / (static_cast<double>(batch) * (n - 1));
}

void gradient_and_noise(const Problem& problem, const Dataset& data, const Vector& w, double kappa,
                        Stream& stream, Vector& gradient, Vector& noise, SdeWorkspace& work) {
  const int n = data.size();
  work.weights.resize(n, 2);
  work.weights.col(0).setConstant(1.0 / n);
  stream.fill_normal(work.weights.col(1));
  const double z_sum = work.weights.col(1).sum();
  work.sums.resize(problem.dim(), 2);
  problem.weighted_gradient_sums(data, w, work.weights, work.sums, work.scratch);
  gradient = work.sums.col(0);
  noise = std::sqrt(kappa / n) * (work.sums.col(1) - z_sum * gradient);
}

void noise_from_example_gradients(const Matrix& example_gradients, double kappa, Stream& stream,
                                  Vector& gradient, Vector& noise, SdeWorkspace& work) {
  const auto n = example_gradients.rows();
  work.weights.resize(n, 2);
  stream.fill_normal(work.weights.col(1));
  const double z_sum = work.weights.col(1).sum();
  gradient = example_gradients.colwise().mean().transpose();
  noise.noalias() = example_gradients.transpose() * work.weights.col(1);
  noise = std::sqrt(kappa / n) * (noise - z_sum * gradient);
}

}  // namespace sdegen
