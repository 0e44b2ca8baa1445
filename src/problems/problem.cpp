// Problem members shared by every problem: the full gradient as a weighted gradient sum,
// and the empirical gradient covariance.
#include "sdegen/problems/problem.hpp"

namespace sdegen {

Vector Problem::full_gradient(const Dataset& data, const Vector& w) const {
  const Matrix weights = Matrix::Constant(data.size(), 1, 1.0 / data.size());
  Matrix out(dim(), 1);
  GradientScratch scratch;
  weighted_gradient_sums(data, w, weights, out, scratch);
  return out.col(0);
}

Matrix empirical_gradient_covariance(const Matrix& example_gradients) {
  const Vector mean = example_gradients.colwise().mean();
  const Matrix centred = example_gradients.rowwise() - mean.transpose();
  return centred.transpose() * centred / static_cast<double>(example_gradients.rows());
}

}  // namespace sdegen
