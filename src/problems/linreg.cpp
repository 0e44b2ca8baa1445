// Linear regression with Gaussian design. The residual w^T x - y is N(0, v) with
// v = delta^T Sx delta + s^2, so the loss is (v/2) chi^2_1 and the clipped risk is closed form.
#include "sdegen/problems/linreg.hpp"

#include <cmath>

#include "sdegen/problems/clipped_chi_squared.hpp"

namespace sdegen {

LinearRegression::LinearRegression(int dim, double noise, double signal, double spectrum_decay,
                                   double clip)
    : w_true_(Vector::Constant(dim, signal / std::sqrt(double(dim)))),
      spectrum_(dim),
      noise_(noise),
      clip_(clip > 0 ? clip : (noise > 0 ? 2.0 * noise * noise : 1.0)) {
  for (int k = 0; k < dim; ++k) spectrum_[k] = std::pow(double(k + 1), -spectrum_decay);
  losses_ = {{"sq", std::numeric_limits<double>::infinity(), "squared error (w^T x - y)^2 / 2"},
             {"sq_clip", clip_ / 2, "clipped squared error min((w^T x - y)^2 / 2, c), c = " +
                                        std::to_string(clip_)}};
}

Dataset LinearRegression::sample(Stream& stream, int n) const {
  Dataset data;
  data.X.resize(n, dim());
  stream.fill_normal(data.X);
  data.X = data.X * spectrum_.cwiseSqrt().asDiagonal();
  data.y.resize(n);
  stream.fill_normal(data.y);
  data.y = data.X * w_true_ + noise_ * data.y;
  return data;
}

void LinearRegression::loss_derivative(const Vector& u, const Vector& y, Vector& out) const {
  out = u - y;
}

Vector LinearRegression::loss_curvature(const Vector& u, const Vector&) const {
  return Vector::Ones(u.size());
}

void LinearRegression::empirical_risks(const Dataset& data, const Vector& w,
                                       Eigen::Ref<Vector> out) const {
  const Eigen::ArrayXd loss = 0.5 * (data.X * w - data.y).array().square();
  out[0] = loss.mean();
  out[1] = loss.min(clip_).mean();
}

void LinearRegression::example_losses(const Dataset& data, const Vector& w, Matrix& out) const {
  out.resize(data.size(), 2);
  out.col(0) = 0.5 * (data.X * w - data.y).array().square();
  out.col(1) = out.col(0).cwiseMin(clip_);
}

void LinearRegression::population_risks(const Vector& w, Eigen::Ref<Vector> out) const {
  const Vector delta = w - w_true_;
  const double v = delta.dot(spectrum_.asDiagonal() * delta) + noise_ * noise_;
  out[0] = v / 2;
  // min(v Q / 2, c) = (v/2) min(Q, 2c/v), Q ~ chi^2_1
  out[1] = v > 0 ? (v / 2) * expected_clipped_chi_squared(1, 0, 2 * clip_ / v) : 0.0;
}

Vector LinearRegression::population_gradient(const Vector& w) const {
  return spectrum_.asDiagonal() * (w - w_true_);
}

Matrix LinearRegression::population_hessian(const Vector&) const {
  return spectrum_.asDiagonal();
}

Matrix LinearRegression::population_gradient_covariance(const Vector& w) const {
  DiagonalPlusLowRank structure;
  population_gradient_covariance_structure(w, structure);
  return structure.dense();
}

bool LinearRegression::population_gradient_covariance_structure(const Vector& w, DiagonalPlusLowRank& out) const {
  // Sigma_mu = (delta^T Sx delta + s^2) Sx + Sx delta delta^T Sx: v Sx (diagonal) plus rank 1.
  const Vector delta = w - w_true_;
  out.factor = spectrum_.asDiagonal() * delta;
  const double v = delta.dot(out.factor.col(0)) + noise_ * noise_;
  out.diagonal = v * spectrum_;
  return true;
}

}  // namespace sdegen
