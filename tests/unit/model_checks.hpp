// Shared helpers of the model tests: central finite differences and the training risk and full
// gradient of any model with the problem kernels (empirical_risks, weighted_gradient_sums).
#pragma once
#include <Eigen/Core>

#include "sdegen/problems/problem.hpp"

namespace sdegen::test {

// Central differences have truncation error h^2 |f'''| / 6 and rounding error ~ eps |f| / h; for
// O(1) functions of O(1) weights h = 1e-5 makes both about 1e-10 to 1e-11, so agreement to 1e-7
// (relative to 1 + the norm) leaves three orders of magnitude, and any wrong term fails.
constexpr double kFdStep = 1e-5;
constexpr double kFdTolerance = 1e-7;

template <class F>
Vector fd_gradient(F f, const Vector& w, double step = kFdStep) {
  Vector g(w.size());
  for (Eigen::Index i = 0; i < w.size(); ++i) {
    Vector a = w, b = w;
    a[i] += step;
    b[i] -= step;
    g[i] = (f(a) - f(b)) / (2 * step);
  }
  return g;
}

// Column i = derivative of the vector function along e_i.
template <class F>
Matrix fd_jacobian(F f, const Vector& w, double step = kFdStep) {
  Matrix jac(w.size(), w.size());
  for (Eigen::Index i = 0; i < w.size(); ++i) {
    Vector a = w, b = w;
    a[i] += step;
    b[i] -= step;
    jac.col(i) = (f(a) - f(b)) / (2 * step);
  }
  return jac;
}

template <class Model>
double training_risk(const Model& model, const Dataset& data, const Vector& w) {
  Vector r(model.losses().size());
  model.empirical_risks(data, w, r);
  return r[0];
}

template <class Model>
Vector full_gradient(const Model& model, const Dataset& data, const Vector& w) {
  const Matrix weights = Matrix::Constant(data.size(), 1, 1.0 / data.size());
  Matrix out;
  GradientScratch scratch;
  model.weighted_gradient_sums(data, w, weights, out, scratch);
  return out.col(0);
}

inline Dataset example(const Dataset& data, int i) {
  return Dataset{data.X.row(i), data.y.segment(i, 1)};
}

// Mean and standard error of the mean of each column (z-tests).
struct ColumnMeans {
  Vector mean, se;
};
inline ColumnMeans column_means(const Matrix& samples) {
  const double count = static_cast<double>(samples.rows());
  ColumnMeans out;
  out.mean = samples.colwise().mean().transpose();
  out.se = ((samples.rowwise() - out.mean.transpose()).array().square().colwise().sum().transpose() /
            ((count - 1) * count))
               .sqrt()
               .matrix();
  return out;
}

}  // namespace sdegen::test
