// Linear regression: x ~ N(0, Sx), Sx = diag(k^-decay), y = w_true^T x + eps, eps ~ N(0, s^2),
// l = (w^T x - y)^2 / 2, with closed-form population risk, gradient, Hessian and Sigma_mu.
#pragma once
#include "sdegen/problems/linear_model.hpp"

namespace sdegen {

class LinearRegression : public LinearModelProblem, public Population {
 public:
  // w_true = signal * (1, ..., 1) / sqrt(d); clip <= 0 selects 2 s^2 (4 x the optimal risk),
  // or 1 when s = 0.
  LinearRegression(int dim, double noise, double signal, double spectrum_decay, double clip);
  std::string name() const override { return "linreg"; }
  int dim() const override { return static_cast<int>(w_true_.size()); }
  Dataset sample(Stream& stream, int n) const override;
  const std::vector<EvalLoss>& losses() const override { return losses_; }
  const Population* closed_form_population() const override { return this; }
  void empirical_risks(const Dataset& data, const Vector& w, Eigen::Ref<Vector> out) const override;
  void example_losses(const Dataset& data, const Vector& w, Matrix& out) const override;
  void population_risks(const Vector& w, Eigen::Ref<Vector> out) const override;
  Vector population_gradient(const Vector& w) const override;
  Matrix population_hessian(const Vector& w) const override;
  Matrix population_gradient_covariance(const Vector& w) const override;
  bool population_gradient_covariance_structure(const Vector& w, DiagonalPlusLowRank& out) const override;
  const Vector& w_true() const { return w_true_; }
  const Vector& spectrum() const { return spectrum_; }

 protected:
  void loss_derivative(const Vector& u, const Vector& y, Vector& out) const override;
  Vector loss_curvature(const Vector& u, const Vector& y) const override;

 private:
  Vector w_true_;
  Vector spectrum_;  // eigenvalues of Sx (diagonal)
  double noise_;
  double clip_;
  std::vector<EvalLoss> losses_;
};

}  // namespace sdegen
