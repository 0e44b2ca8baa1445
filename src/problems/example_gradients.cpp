// Moments of the per-example gradients from either form: for the scaled design one product with
// X per moment (G = X^T s / n, the row-scaled syrk); the n x d matrix P only when asked for.
#include "sdegen/problems/example_gradients.hpp"

#include "sdegen/linalg/symmetric_gram.hpp"

namespace sdegen {

void ExampleGradients::mean(Vector& out) const {
  const double n = static_cast<double>(rows());
  if (!dense_) {
    out.noalias() = design_->transpose() * *row_scales_;
    out /= n;
    return;
  }
  // A column at a time while it is in L1.
  out.resize(cols());
  for (Eigen::Index j = 0; j < cols(); ++j) out[j] = dense_->col(j).sum() / n;
}

double ExampleGradients::mean_squared_norm() const {
  const double n = static_cast<double>(rows());
  if (dense_) return dense_->squaredNorm() / n;
  return (design_->rowwise().squaredNorm().array() * row_scales_->array().square()).sum() / n;
}

void ExampleGradients::add_gram(double scale, Matrix& c) const {
  if (dense_)
    add_symmetric_gram(*dense_, scale, c);
  else
    add_row_scaled_symmetric_gram(*design_, *row_scales_, scale, c);
}

const Matrix& ExampleGradients::matrix(Matrix& scratch) const {
  if (dense_) return *dense_;
  scratch.noalias() = row_scales_->asDiagonal() * *design_;
  return scratch;
}

}  // namespace sdegen
