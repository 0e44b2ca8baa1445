// Gradient and Hessian kernels of margin-based problems as Eigen products over the whole set:
// sum_i c_i f'(u_i) x_i = X^T (c .* f'(u)), H_S = X^T diag(f''(u)) X / n.
#include "sdegen/problems/linear_model.hpp"

#include "sdegen/problems/example_gradients.hpp"

namespace sdegen {

void LinearModelProblem::example_gradients(const Dataset& data, const Vector& w, Matrix& out) const {
  Vector s;
  loss_derivative(data.X * w, data.y, s);
  out.noalias() = s.asDiagonal() * data.X;
}

bool LinearModelProblem::example_gradient_scales(const Dataset& data, const Vector& w, Vector& scales,
                                                 GradientScratch& scratch) const {
  scratch.margins.noalias() = data.X * w;
  loss_derivative(scratch.margins, data.y, scales);
  return true;
}

void LinearModelProblem::weighted_gradient_sums(const Dataset& data, const Vector& w,
                                                const Matrix& weights, Matrix& out,
                                                GradientScratch& scratch) const {
  scratch.margins.noalias() = data.X * w;
  loss_derivative(scratch.margins, data.y, scratch.derivatives);
  ExampleGradients(data.X, scratch.derivatives).weighted_sums(weights, out, scratch.rows);
}

void LinearModelProblem::batch_gradient(const Dataset& data, const Eigen::VectorXi& rows,
                                        const Vector& w, Vector& out,
                                        GradientScratch& scratch) const {
  // A Map of the indices: an indexed view copies a VectorXi index (a heap allocation per step).
  const Eigen::Map<const Eigen::VectorXi> batch(rows.data(), rows.size());
  const Matrix& columns = scratch.examples_as_columns(data);  // X^T with zero rows up to p >= d
  const Eigen::Index d = w.size();
  scratch.batch = columns(Eigen::all, batch);  // p x b
  scratch.targets = data.y(batch);
  scratch.padded.resize(columns.rows());
  scratch.padded.head(d) = w;
  scratch.padded.tail(columns.rows() - d).setZero();
  scratch.margins.noalias() = scratch.batch.transpose().lazyProduct(scratch.padded);  // b short dot products
  loss_derivative(scratch.margins, scratch.targets, scratch.derivatives);
  scratch.padded.noalias() = scratch.batch.lazyProduct(scratch.derivatives);  // no GEMV set-up at this size
  out = scratch.padded.head(d) / static_cast<double>(rows.size());
}

Matrix LinearModelProblem::empirical_hessian(const Dataset& data, const Vector& w) const {
  const Vector curvature = loss_curvature(data.X * w, data.y);
  return data.X.transpose() * curvature.asDiagonal() * data.X / static_cast<double>(data.size());
}

}  // namespace sdegen
