// Problems whose loss depends on w only through the margin u = x^T w: l(w; x, y) = f(u, y).
// Then g_i = f'(u_i, y_i) x_i, so all gradient work is one matrix product over the training set.
#pragma once
#include "sdegen/problems/problem.hpp"

namespace sdegen {

class LinearModelProblem : public Problem {
 public:
  void example_gradients(const Dataset& data, const Vector& w, Matrix& out) const override;
  bool example_gradient_scales(const Dataset& data, const Vector& w, Vector& scales,
                               GradientScratch& scratch) const override;
  void weighted_gradient_sums(const Dataset& data, const Vector& w, const Matrix& weights,
                              Matrix& out, GradientScratch& scratch) const override;
  void batch_gradient(const Dataset& data, const Eigen::VectorXi& rows, const Vector& w,
                      Vector& out, GradientScratch& scratch) const override;
  Matrix empirical_hessian(const Dataset& data, const Vector& w) const override;

 protected:
  // f'(u, y) and f''(u, y), element-wise over a set of examples.
  virtual void loss_derivative(const Vector& u, const Vector& y, Vector& out) const = 0;
  virtual Vector loss_curvature(const Vector& u, const Vector& y) const = 0;
};

}  // namespace sdegen
