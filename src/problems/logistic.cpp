// Logistic regression on a two-Gaussian mixture. With u = y x ~ N(m, s^2 I) the margin
// M = w^T u is N(w^T m, s^2 ||w||^2): population risks are 1-D Gauss-Hermite integrals.
#include "sdegen/problems/logistic.hpp"

#include <cmath>

#include "sdegen/problems/gauss_hermite.hpp"

namespace sdegen {

namespace {
double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }
double sigmoid(double x) { return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x)); }

// E f(M) for M ~ N(mu, sd^2) by Gauss-Hermite quadrature.
template <class F>
double expect_normal(double mu, double sd, F f) {
  const auto& rule = gauss_hermite_rule();
  double sum = 0;
  for (Eigen::Index k = 0; k < rule.nodes.size(); ++k) sum += rule.weights[k] * f(mu + sd * rule.nodes[k]);
  return sum;
}
}  // namespace

Logistic::Logistic(int dim, double noise, double signal)
    : mean_(Vector::Constant(dim, signal / std::sqrt(double(dim)))), noise_(noise) {
  losses_ = {{"logistic", std::numeric_limits<double>::infinity(), "logistic loss log(1 + exp(-y w^T x))"},
             {"zero_one", 0.5, "0-1 loss 1{y w^T x <= 0}", 1}};
}

Dataset Logistic::sample(Stream& stream, int n) const {
  Dataset data;
  data.y.resize(n);
  for (int i = 0; i < n; ++i) data.y[i] = stream.uniform() < 0.5 ? -1.0 : 1.0;
  data.X.resize(n, dim());
  stream.fill_normal(data.X);
  data.X = noise_ * data.X + data.y * mean_.transpose();
  return data;
}

void Logistic::loss_derivative(const Vector& u, const Vector& y, Vector& out) const {
  // -y sigma(-y u), written so that exp overflow gives the right limit (0) without branches
  out = -y.array() / (1.0 + (y.array() * u.array()).exp());
}

Vector Logistic::loss_curvature(const Vector& u, const Vector&) const {
  return u.unaryExpr([](double v) { return sigmoid(v) * sigmoid(-v); });
}

void Logistic::empirical_risks(const Dataset& data, const Vector& w, Eigen::Ref<Vector> out) const {
  const Eigen::ArrayXd margin = data.y.array() * (data.X * w).array();
  out[0] = margin.unaryExpr([](double m) { return softplus(-m); }).mean();
  out[1] = (margin <= 0).cast<double>().mean();
}

void Logistic::example_losses(const Dataset& data, const Vector& w, Matrix& out) const {
  const Eigen::ArrayXd margin = data.y.array() * (data.X * w).array();
  out.resize(data.size(), 2);
  out.col(0) = margin.unaryExpr([](double m) { return softplus(-m); });
  out.col(1) = (margin <= 0).cast<double>();
}

void Logistic::example_predictions(const Dataset& data, const Vector& w, Eigen::ArrayXi& out) const {
  const Eigen::ArrayXd score = (data.X * w).array();
  out = (score > 0).cast<int>() + 2 * (score == 0).cast<int>();
}

void Logistic::population_risks(const Vector& w, Eigen::Ref<Vector> out) const {
  const double mu = w.dot(mean_);
  const double sd = noise_ * w.norm();
  out[0] = expect_normal(mu, sd, [](double m) { return softplus(-m); });
  // P(M <= 0); w = 0 gives margin 0 everywhere, which counts as an error.
  out[1] = sd > 0 ? 0.5 * std::erfc(mu / (sd * std::sqrt(2.0))) : (mu > 0 ? 0.0 : 1.0);
}

Vector Logistic::population_gradient(const Vector& w) const {
  // grad = -E[sigma(-M) u] = -m E sigma(-M) + s^2 w E[sigma(M) sigma(-M)]
  const double mu = w.dot(mean_), sd = noise_ * w.norm();
  const double a = expect_normal(mu, sd, [](double m) { return sigmoid(-m); });
  const double b = expect_normal(mu, sd, [](double m) { return sigmoid(m) * sigmoid(-m); });
  return -a * mean_ + noise_ * noise_ * b * w;
}

Matrix Logistic::second_moment(const Vector& w, double f, double df, double d2f) const {
  // u = m + s zeta: E[f zeta] = s w E f', E[f zeta zeta^T] = E f I + s^2 w w^T E f''.
  const double s2 = noise_ * noise_;
  Matrix out = f * mean_ * mean_.transpose();
  out += s2 * df * (mean_ * w.transpose() + w * mean_.transpose());
  out += s2 * s2 * d2f * w * w.transpose();
  out.diagonal().array() += s2 * f;
  return out;
}

Matrix Logistic::population_hessian(const Vector& w) const {
  // H = E[phi(M) u u^T], phi = sigma(M) sigma(-M), phi' = phi (1 - 2 sigma), phi'' = phi ((1-2 sigma)^2 - 2 phi)
  const double mu = w.dot(mean_), sd = noise_ * w.norm();
  auto phi = [](double m) { return sigmoid(m) * sigmoid(-m); };
  const double f = expect_normal(mu, sd, phi);
  const double df = expect_normal(mu, sd, [&](double m) { return phi(m) * (1 - 2 * sigmoid(m)); });
  const double d2f = expect_normal(mu, sd, [&](double m) {
    const double t = 1 - 2 * sigmoid(m);
    return phi(m) * (t * t - 2 * phi(m));
  });
  return second_moment(w, f, df, d2f);
}

Matrix Logistic::population_gradient_covariance(const Vector& w) const {
  // E[g g^T] = E[psi(M) u u^T], psi = sigma(-M)^2; psi' = -2 sigma(-M)^2 sigma(M),
  // psi'' = 4 sigma(-M)^2 sigma(M)^2 - 2 sigma(-M)^3 sigma(M).
  const double mu = w.dot(mean_), sd = noise_ * w.norm();
  const double f = expect_normal(mu, sd, [](double m) { return std::pow(sigmoid(-m), 2); });
  const double df = expect_normal(mu, sd, [](double m) { return -2 * std::pow(sigmoid(-m), 2) * sigmoid(m); });
  const double d2f = expect_normal(mu, sd, [](double m) {
    const double p = sigmoid(-m), q = sigmoid(m);
    return 4 * p * p * q * q - 2 * p * p * p * q;
  });
  const Vector g = population_gradient(w);
  return second_moment(w, f, df, d2f) - g * g.transpose();
}

}  // namespace sdegen
