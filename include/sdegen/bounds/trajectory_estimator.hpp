// The trajectory bounds (traj_iso_zero, traj_iso_pop, traj_iso_plugin, traj_align) and
// wang_mao_2022: per-step terms accumulated over every step, the flatness term at W_T.
#pragma once
#include "sdegen/bounds/bound_estimator.hpp"
#include "sdegen/bounds/trajectory_terms.hpp"

namespace sdegen {

class TrajectoryEstimator : public BoundEstimator {
 public:
  explicit TrajectoryEstimator(BoundContext context);

  std::string family() const override { return "trajectory"; }
  std::string record_description() const override { return "per-step trajectory terms"; }
  bool enabled() const override { return context_.config.trajectory; }
  std::vector<std::string> bound_names() const override;
  std::vector<std::pair<std::string, std::string>> extra_names() const override;
  std::vector<std::string> failure_kinds() const override { return {"failed"}; }
  int record_size() const override;
  bool needs_step_gradients() const override { return enabled(); }

  void at_step(const StepView& step, EstimatorRecord& record) const override;
  void at_end(const EndView& end, EstimatorRecord& record) const override;
  EstimatorReport report(const EstimatorStatistics& total, const std::vector<EstimatorStatistics>& leave_one_out,
                         const std::vector<int>& logged_steps) const override;

  // Record layout: [a_zero(T), a_pop(T), logdet(K), align(K), plugin_zero, plugin_pop,
  // flatness(P)] for steps t = 1..T, K thinned log-det steps and P perturbation scales.
  int a_zero(int t) const { return t - 1; }
  int a_pop(int t) const { return steps_ + t - 1; }
  int logdet(int j) const { return 2 * steps_ + j; }
  int align(int j) const { return 2 * steps_ + thinned() + j; }
  int plugin_zero() const { return 2 * steps_ + 2 * thinned(); }
  int plugin_pop() const { return plugin_zero() + 1; }
  int flatness(int j) const { return plugin_zero() + 2 + j; }
  int thinned() const { return static_cast<int>(thinned_weight_.size()); }
  const std::vector<double>& perturbations() const { return perturbations_; }

 private:
  struct Evaluation;
  Evaluation evaluate(const EstimatorStatistics& stats, int until) const;

  int steps_ = 0, dim_ = 0;
  double kappa_ = 0;
  std::vector<int> thinned_weight_;    // steps each thinned log det stands for (t = 1, 1 + k, ...)
  std::vector<double> perturbations_;  // wang_mao_2022: perturbation std per coordinate, sigma sqrt(T)
  bool logdet_defined_ = false;        // C_t (+ noise floor) positive definite in principle
  std::string logdet_reason_;
  bool dense_ = true;  // d <= bounds.max_dense_dim: traj_align is computed
  std::string dense_reason_;
  mutable TrajectoryWorkspace work_;
};

}  // namespace sdegen
