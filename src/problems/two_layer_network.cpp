// Two-layer network kernels as products over the whole data matrix: forward Z = X V / sqrt p,
// backward X^T [s_1 .* E, ..., s_k .* E] / sqrt p for k weightings at once (E = df/dZ).
#include "sdegen/problems/two_layer_network.hpp"

#include <cmath>
#include <stdexcept>

namespace sdegen {

TwoLayerNetwork::TwoLayerNetwork(const NetworkShape& shape)
    : shape_(shape),
      dim_(shape.inputs * shape.width + (shape.hidden_bias ? shape.width : 0) + shape.width + (shape.output_bias ? 1 : 0)),
      input_scale_(1.0 / std::sqrt(double(shape.inputs))),
      output_scale_(1.0 / std::sqrt(double(shape.width))) {
  if (shape.inputs < 1 || shape.width < 1)
    throw std::invalid_argument("a two-layer network needs at least one input and one hidden unit");
}

void TwoLayerNetwork::forward(const Matrix& X, const Vector& w, Matrix& hidden, Matrix& slopes,
                              Vector& outputs) const {
  hidden.resize(X.rows(), width());
  hidden.noalias() = input_scale_ * (X * input_weights(w));
  if (shape_.hidden_bias)
    hidden.rowwise() += Eigen::Map<const Eigen::RowVectorXd>(w.data() + hidden_bias_offset(), width());
  activate(shape_.activation, hidden, slopes);
  outputs.resize(X.rows());
  outputs.noalias() = output_scale_ * (hidden * output_weights(w));
  if (shape_.output_bias) outputs.array() += w[output_bias_offset()];
}

Vector TwoLayerNetwork::outputs(const Matrix& X, const Vector& w) const {
  Matrix hidden, slopes;
  Vector out;
  forward(X, w, hidden, slopes, out);
  return out;
}

void TwoLayerNetwork::backward(const Matrix& X, const Vector& w, const Matrix& hidden, Matrix& slopes,
                               const Matrix& signals, Eigen::Ref<Matrix> out, Matrix& stacked,
                               Matrix& products) const {
  const Eigen::Index n = X.rows(), p = inputs(), h = width(), k = signals.cols();
  eigen_assert(out.rows() == dim_ && out.cols() == k);
  // df/dz_j = a_j phi'(z_j) / sqrt h; column block m of `stacked` is s_m .* (df/dZ). (Column by
  // column: a rowwise product would evaluate the scaled a into a heap temporary on every call.)
  const auto a = output_weights(w);
  for (Eigen::Index j = 0; j < h; ++j) slopes.col(j) *= output_scale_ * a[j];
  stacked.resize(n, k * h);
  for (Eigen::Index m = 0; m < k; ++m)
    stacked.middleCols(m * h, h).array() = slopes.array().colwise() * signals.col(m).array();
  // The one large product: all k input-layer gradients, p x (k h), V-block m contiguous.
  products.resize(p, k * h);
  products.noalias() = input_scale_ * (X.transpose() * stacked);
  for (Eigen::Index m = 0; m < k; ++m) {
    out.col(m).head(p * h) = Eigen::Map<const Vector>(products.data() + m * p * h, p * h);
    if (shape_.hidden_bias)
      out.col(m).segment(hidden_bias_offset(), h) = stacked.middleCols(m * h, h).colwise().sum().transpose();
    out.col(m).segment(output_weight_offset(), h).noalias() = output_scale_ * (hidden.transpose() * signals.col(m));
    if (shape_.output_bias) out(output_bias_offset(), m) = signals.col(m).sum();
  }
}

Matrix TwoLayerNetwork::output_jacobian(const Matrix& X, const Vector& w) const {
  Matrix hidden, slopes;
  Vector f;
  forward(X, w, hidden, slopes, f);
  const Eigen::Index p = inputs(), h = width();
  for (Eigen::Index j = 0; j < h; ++j) slopes.col(j) *= output_scale_ * output_weights(w)[j];  // df/dZ
  Matrix jacobian(X.rows(), dim_);
  for (Eigen::Index j = 0; j < h; ++j) jacobian.middleCols(j * p, p) = (input_scale_ * slopes.col(j)).asDiagonal() * X;
  if (shape_.hidden_bias) jacobian.middleCols(hidden_bias_offset(), h) = slopes;
  jacobian.middleCols(output_weight_offset(), h) = output_scale_ * hidden;
  if (shape_.output_bias) jacobian.col(output_bias_offset()).setOnes();
  return jacobian;
}

Matrix TwoLayerNetwork::weighted_output_hessian(const Matrix& X, const Vector& w, const Vector& t) const {
  // Non-zero second derivatives of f (z_j = w_j.x / sqrt p + b_j, phi_j = phi(z_j)):
  //   d2f/da_j dW_jk = phi'_j x_k / sqrt(h p)     d2f/da_j db_j = phi'_j / sqrt h
  //   d2f/dW_jk dW_jl = a_j phi''_j x_k x_l / (sqrt h p)
  //   d2f/dW_jk db_j = a_j phi''_j x_k / sqrt(h p)   d2f/db_j^2 = a_j phi''_j / sqrt h
  // Units do not couple, and a, c enter linearly.
  const Eigen::Index p = inputs(), h = width();
  Matrix z = input_scale_ * (X * input_weights(w));
  if (shape_.hidden_bias) z.rowwise() += Eigen::Map<const Eigen::RowVectorXd>(w.data() + hidden_bias_offset(), h);
  const Matrix slopes = activation_slopes(shape_.activation, z);
  const Matrix curvatures = activation_curvatures(shape_.activation, z);
  const bool curved = shape_.activation != Activation::relu;  // relu: phi'' = 0 almost everywhere
  const auto a = output_weights(w);
  Matrix out = Matrix::Zero(dim_, dim_);
  for (Eigen::Index j = 0; j < h; ++j) {
    const Eigen::Index unit = j * p, aj = output_weight_offset() + j, bj = hidden_bias_offset() + j;
    const Vector u1 = t.cwiseProduct(slopes.col(j));
    out.block(unit, aj, p, 1).noalias() = (output_scale_ * input_scale_) * (X.transpose() * u1);
    if (shape_.hidden_bias) out(bj, aj) = output_scale_ * u1.sum();
    if (curved) {
      const Vector u2 = (a[j] * output_scale_) * t.cwiseProduct(curvatures.col(j));
      out.block(unit, unit, p, p).noalias() = (input_scale_ * input_scale_) * (X.transpose() * u2.asDiagonal() * X);
      if (shape_.hidden_bias) {
        out.block(unit, bj, p, 1).noalias() = input_scale_ * (X.transpose() * u2);
        out(bj, bj) = u2.sum();
      }
    }
  }
  // Only the upper triangle is needed (and was written above the diagonal blocks): mirror it.
  return Matrix(out.selfadjointView<Eigen::Upper>());
}

}  // namespace sdegen
