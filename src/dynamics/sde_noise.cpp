// Exact Gaussian minibatch noise from per-example gradients, without forming a d x d matrix:
// Cov(Gc^T z) = Gc^T Gc = n Sigma_S, so sqrt(kappa / n) Gc^T z has covariance kappa Sigma_S.
#include "sdegen/dynamics/sde_noise.hpp"

#include <cmath>

namespace sdegen {

double minibatch_kappa(int n, int batch) {
  return static_cast<double>(n - batch) / (static_cast<double>(batch) * (n - 1));
}

namespace {

// Weights [1/n, z] with z ~ N(0, I_n) from the stream; returns sum_i z_i.
double draw_weights(Eigen::Index n, Stream& stream, Matrix& weights) {
  weights.resize(n, 2);
  weights.col(0).setConstant(1.0 / static_cast<double>(n));
  stream.fill_normal(weights.col(1));
  return weights.col(1).sum();
}

// G and xi from the sums [G, sum_i z_i g_i].
void gradient_and_noise_from_sums(const Matrix& sums, double z_sum, double kappa, Eigen::Index n, Vector& gradient,
                                  Vector& noise) {
  gradient = sums.col(0);
  noise = std::sqrt(kappa / static_cast<double>(n)) * (sums.col(1) - z_sum * gradient);
}

}  // namespace

void gradient_and_noise(const Problem& problem, const Dataset& data, const Vector& w, double kappa,
                        Stream& stream, Vector& gradient, Vector& noise, SdeWorkspace& work) {
  const double z_sum = draw_weights(data.size(), stream, work.weights);
  work.sums.resize(problem.dim(), 2);
  problem.weighted_gradient_sums(data, w, work.weights, work.sums, work.scratch);
  gradient_and_noise_from_sums(work.sums, z_sum, kappa, data.size(), gradient, noise);
}

void noise_from_example_gradients(const ExampleGradients& example_gradients, double kappa, Stream& stream,
                                  Vector& gradient, Vector& noise, SdeWorkspace& work) {
  const auto n = example_gradients.rows();
  const double z_sum = draw_weights(n, stream, work.weights);
  if (const Vector* mean = example_gradients.known_mean()) {
    // G known: the noise column alone (each column of a weighted sum has the bits it has among others).
    example_gradients.weighted_sums(work.weights.rightCols(1), work.sums, work.scratch.rows);
    gradient = *mean;
    noise = std::sqrt(kappa / static_cast<double>(n)) * (work.sums.col(0) - z_sum * gradient);
    return;
  }
  example_gradients.weighted_sums(work.weights, work.sums, work.scratch.rows);
  gradient_and_noise_from_sums(work.sums, z_sum, kappa, n, gradient, noise);
}

}  // namespace sdegen
