// Logistic regression on a Gaussian mixture: y = +-1, x | y ~ N(y m, s^2 I). Trained on the
// logistic loss; evaluated on it and on the 0-1 loss (R = 1/2), both with population closed forms.
#pragma once
#include "sdegen/problems/linear_model.hpp"

namespace sdegen {

class Logistic : public LinearModelProblem, public Population {
 public:
  // m = signal * (1, ..., 1) / sqrt(d).
  Logistic(int dim, double noise, double signal);
  std::string name() const override { return "logistic"; }
  int dim() const override { return static_cast<int>(mean_.size()); }
  Dataset sample(Stream& stream, int n) const override;
  const std::vector<EvalLoss>& losses() const override { return losses_; }
  const Population* closed_form_population() const override { return this; }
  void empirical_risks(const Dataset& data, const Vector& w, Eigen::Ref<Vector> out) const override;
  void example_losses(const Dataset& data, const Vector& w, Matrix& out) const override;
  // 0: predicts y = -1 (w^T x < 0), 1: y = +1 (w^T x > 0), 2: a tie, an error for either label.
  int prediction_symbols() const override { return 3; }
  void example_predictions(const Dataset& data, const Vector& w, Eigen::ArrayXi& out) const override;
  void population_risks(const Vector& w, Eigen::Ref<Vector> out) const override;
  Vector population_gradient(const Vector& w) const override;
  Matrix population_hessian(const Vector& w) const override;
  Matrix population_gradient_covariance(const Vector& w) const override;

 protected:
  void loss_derivative(const Vector& u, const Vector& y, Vector& out) const override;
  Vector loss_curvature(const Vector& u, const Vector& y) const override;

 private:
  // E[f(M) u u^T], u = y x ~ N(m, s^2 I), M = w^T u, from E f, E f', E f'' (Stein's lemma).
  Matrix second_moment(const Vector& w, double f, double df, double d2f) const;
  Vector mean_;
  double noise_;
  std::vector<EvalLoss> losses_;
};

}  // namespace sdegen
