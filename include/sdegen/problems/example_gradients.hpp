// The per-example gradients g_i at a point as the bounds read them: an n x d matrix P, or, for a
// margin model (g_i = s_i x_i), the design X and the scales s, whose moments need no P at all.
#pragma once
#include "sdegen/problems/population.hpp"

namespace sdegen {

// A view: the matrices it names must outlive it.
class ExampleGradients {
 public:
  // The rows of example_gradients (n x d) are the g_i.
  ExampleGradients(const Matrix& example_gradients) : dense_(&example_gradients) {}  // NOLINT: a view of P
  // g_i = row_scales_i x_i, x_i the rows of design (n x d).
  ExampleGradients(const Matrix& design, const Vector& row_scales) : design_(&design), row_scales_(&row_scales) {}

  // No views of temporaries: the view would outlive them (a StepView holds it by reference).
  ExampleGradients(Matrix&&) = delete;
  ExampleGradients(const Matrix&, Vector&&) = delete;
  ExampleGradients(Matrix&&, const Vector&) = delete;
  ExampleGradients(Matrix&&, Vector&&) = delete;

  // The same view with G computed once (by weighted_sums with weights 1/n, as a step computes it):
  // mean() copies it, and a step reads it instead of summing again.
  ExampleGradients with_mean(const Vector& mean) const {
    ExampleGradients view = *this;
    view.mean_ = &mean;
    return view;
  }
  ExampleGradients with_mean(Vector&&) const = delete;
  const Vector* known_mean() const { return mean_; }

  Eigen::Index rows() const { return dense_ ? dense_->rows() : design_->rows(); }
  Eigen::Index cols() const { return dense_ ? dense_->cols() : design_->cols(); }
  // P when the gradients are held as one matrix; nullptr for the scaled design.
  const Matrix* dense() const { return dense_; }

  // G = (1/n) sum_i g_i (resized to d); the known one when there is one.
  void mean(Vector& out) const;
  // (1/n) sum_i ||g_i||^2.
  double mean_squared_norm() const;
  // out (d x m) = sum_i weights(i, c) g_i for each column c of weights (n x m): P^T weights, or for
  // the scaled design X^T (weights .* s) through rows (scratch), in one pass (transposed_product:
  // each column's bits independent of the others). The margin models' weighted_gradient_sums is
  // this, so a step given the view computes exactly what it computes without it.
  void weighted_sums(const Eigen::Ref<const Matrix>& weights, Matrix& out, Matrix& rows) const;
  // Adds scale * sum_i g_i g_i^T to the lower triangle of c (d x d): one symmetric rank-n update.
  void add_gram(double scale, Matrix& c) const;
  // P itself: the held matrix, or diag(s) X formed in scratch.
  const Matrix& matrix(Matrix& scratch) const;

 private:
  const Matrix* dense_ = nullptr;
  const Matrix* design_ = nullptr;
  const Vector* row_scales_ = nullptr;
  const Vector* mean_ = nullptr;
};

}  // namespace sdegen
