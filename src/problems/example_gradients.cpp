// Moments and weighted sums of the per-example gradients from either form: for the scaled design
// products with X (G = X^T s / n, the row-scaled syrk); the n x d matrix P only when asked for.
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

void ExampleGradients::weighted_sums(const Matrix& weights, Matrix& out, Matrix& rows) const {
  out.resize(cols(), weights.cols());
  if (dense_) {
    for (Eigen::Index c = 0; c < weights.cols(); ++c) out.col(c).noalias() = dense_->transpose() * weights.col(c);
    return;
  }
  rows = weights.array().colwise() * row_scales_->array();
  // One matrix-vector product per column: for the few columns used here (full gradient, noise)
  // this runs near peak, where Eigen's general product packs X^T anew on every call (4x slower).
  for (Eigen::Index c = 0; c < weights.cols(); ++c) out.col(c).noalias() = design_->transpose() * rows.col(c);
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
