// Moments and weighted sums of the per-example gradients from either form: for the scaled design
// products with X (G = X^T s / n, the row-scaled syrk); the n x d matrix P only when asked for.
#include "sdegen/problems/example_gradients.hpp"

#include "sdegen/linalg/symmetric_gram.hpp"
#include "sdegen/linalg/transposed_product.hpp"

namespace sdegen {

void ExampleGradients::mean(Vector& out) const {
  if (mean_) {
    out = *mean_;
    return;
  }
  const double n = static_cast<double>(rows());
  if (!dense_) {
    out.resize(cols());
    transposed_product(*design_, *row_scales_, out);
    out /= n;
    return;
  }
  // A column at a time while it is in L1.
  out.resize(cols());
  for (Eigen::Index j = 0; j < cols(); ++j) out[j] = dense_->col(j).sum() / n;
}

void ExampleGradients::weighted_sums(const Eigen::Ref<const Matrix>& weights, Matrix& out, Matrix& rows) const {
  // All columns in one pass over the n x d matrix (Eigen's general product would pack X^T anew on
  // every call, 4x slower at these shapes; a matrix-vector product per column, 1.3x).
  out.resize(cols(), weights.cols());
  if (dense_) return transposed_product(*dense_, weights, out);
  rows = weights.array().colwise() * row_scales_->array();
  transposed_product(*design_, rows, out);
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
