// The two-layer network f_w(x) = a^T phi(W x / sqrt p + b) / sqrt h + c as whole-data-set kernels:
// one forward pass, one batched backward pass for any number of weightings, Jacobian, Hessian.
#pragma once
#include "sdegen/problems/activation.hpp"

namespace sdegen {

// p inputs, h hidden units; the biases b (hidden) and c (output) are optional.
struct NetworkShape {
  int inputs = 1;
  int width = 1;
  Activation activation = Activation::tanh;
  bool hidden_bias = false;
  bool output_bias = false;
};

// Weight vector layout (d = p h + [h] + h + [1]):
//   w[j p + k]              W_jk, input k -> hidden unit j (W row-major: unit j's p weights together)
//   w[hidden_bias_offset() + j]   b_j      (when hidden_bias)
//   w[output_weight_offset() + j] a_j
//   w[output_bias_offset()]       c        (when output_bias)
// so the first p h entries, read column-major as a p x h matrix, are V = W^T and the
// pre-activations of a data matrix X (n x p) are Z = X V / sqrt p + 1 b^T.
class TwoLayerNetwork {
 public:
  explicit TwoLayerNetwork(const NetworkShape& shape);
  const NetworkShape& shape() const { return shape_; }
  int inputs() const { return shape_.inputs; }
  int width() const { return shape_.width; }
  int dim() const { return dim_; }
  int hidden_bias_offset() const { return shape_.inputs * shape_.width; }
  int output_weight_offset() const { return hidden_bias_offset() + (shape_.hidden_bias ? shape_.width : 0); }
  int output_bias_offset() const { return output_weight_offset() + shape_.width; }

  Eigen::Map<const Matrix> input_weights(const Vector& w) const { return {w.data(), inputs(), width()}; }  // V = W^T
  Eigen::Map<const Vector> output_weights(const Vector& w) const { return {w.data() + output_weight_offset(), width()}; }

  // Forward pass over the rows of X: hidden = phi(Z), slopes = phi'(Z) (n x h), outputs = f (n).
  void forward(const Matrix& X, const Vector& w, Matrix& hidden, Matrix& slopes, Vector& outputs) const;
  Vector outputs(const Matrix& X, const Vector& w) const;

  // Batched backward pass after forward(X, w, hidden, slopes, .): with signals s (n x k),
  // out.col(m) = sum_i s_im grad_w f(x_i); out must be d x k. slopes is scaled in place by
  // a^T / sqrt h (it becomes df/dZ); stacked (n x k h) and products (p x k h) are work buffers.
  void backward(const Matrix& X, const Vector& w, const Matrix& hidden, Matrix& slopes, const Matrix& signals,
                Eigen::Ref<Matrix> out, Matrix& stacked, Matrix& products) const;

  // J (n x d): row i = grad_w f(x_i). For tests, bounds and the Hessian, never per step.
  Matrix output_jacobian(const Matrix& X, const Vector& w) const;
  // sum_i t_i Hess_w f(x_i) (d x d): the part of a loss Hessian that the activations' curvature
  // and the output weights' coupling give (the Gauss-Newton part is J^T diag(l'') J).
  Matrix weighted_output_hessian(const Matrix& X, const Vector& w, const Vector& t) const;

 private:
  NetworkShape shape_;
  int dim_;
  double input_scale_, output_scale_;  // 1 / sqrt p, 1 / sqrt h
};

}  // namespace sdegen
