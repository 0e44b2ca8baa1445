// Gaussian mean estimation: z ~ N(m, s^2 I_d), l(w, z) = ||w - z||^2 (science.md). Its
// gradient noise does not depend on w, which gives closed forms for gen at every step.
#pragma once
#include "sdegen/problems/problem.hpp"

namespace sdegen {

class GaussianMean : public Problem, public Population {
 public:
  // mean = signal * (1, ..., 1) / sqrt(d); clip <= 0 selects 4 d s^2 (4 x the optimal risk).
  GaussianMean(int dim, double noise, double signal, double clip);
  std::string name() const override { return "gaussian-mean"; }
  int dim() const override { return static_cast<int>(mean_.size()); }
  Dataset sample(Stream& stream, int n) const override;
  const std::vector<EvalLoss>& losses() const override { return losses_; }
  const Population* closed_form_population() const override { return this; }
  void example_gradients(const Dataset& data, const Vector& w, Matrix& out) const override;
  void weighted_gradient_sums(const Dataset& data, const Vector& w, const Matrix& weights,
                              Matrix& out, GradientScratch& scratch) const override;
  void batch_gradient(const Dataset& data, const Eigen::VectorXi& rows, const Vector& w,
                      Vector& out, GradientScratch& scratch) const override;
  void empirical_risks(const Dataset& data, const Vector& w, Eigen::Ref<Vector> out) const override;
  void example_losses(const Dataset& data, const Vector& w, Matrix& out) const override;
  void population_risks(const Vector& w, Eigen::Ref<Vector> out) const override;
  Vector population_gradient(const Vector& w) const override;
  Matrix empirical_hessian(const Dataset& data, const Vector& w) const override;
  Matrix population_hessian(const Vector& w) const override;
  Matrix population_gradient_covariance(const Vector& w) const override;
  bool population_gradient_covariance_structure(const Vector& w, DiagonalPlusLowRank& out) const override;
  const Vector& mean() const { return mean_; }

 private:
  Vector mean_;
  double noise_;
  double clip_;
  std::vector<EvalLoss> losses_;
};

}  // namespace sdegen
