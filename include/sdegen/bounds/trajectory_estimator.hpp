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
  bool needs_steps_taken() const override { return enabled(); }

  void begin(EstimatorRecord& record) const override;
  void at_step(const StepView& step, EstimatorRecord& record) const override;
  void after_step(const StepTaken& step, EstimatorRecord& record) const override;
  void at_end(const EndView& end, EstimatorRecord& record) const override;
  EstimatorReport report(const EstimatorStatistics& total, const std::vector<EstimatorStatistics>& leave_one_out,
                         const std::vector<int>& logged_steps) const override;

  // Record layout, for steps t = 1..T, K thinned log-det steps and P perturbation scales:
  // [a_zero(T), a_pop(T), logdet(K), align(K), iso_kept, align_kept, plugin_zero, plugin_pop,
  //  step_gradient(T x d), trace_h_mu, trace_h_s, flatness(P)]. iso_kept (align_kept) is 1 when C_t (and
  // C_mu) was positive definite at every thinned step; the log det (alignment) terms and the
  // plug-in sums are 0 otherwise, and their averages are over the kept replicates.
  int a_zero(int t) const { return t - 1; }
  int a_pop(int t) const { return steps_ + t - 1; }
  int logdet(int j) const { return 2 * steps_ + j; }
  int align(int j) const { return 2 * steps_ + thinned() + j; }
  int iso_kept() const { return 2 * steps_ + 2 * thinned(); }
  int align_kept() const { return iso_kept() + 1; }
  int plugin_zero() const { return iso_kept() + 2; }
  int plugin_pop() const { return iso_kept() + 3; }
  int step_gradient(int t) const { return iso_kept() + 4 + (t - 1) * dim_; }  // g_t = (W_{t-1} - W_t) / eta_t
  int trace_h_mu() const { return step_gradient(steps_ + 1); }  // tr H_mu(W_T), training loss
  int trace_h_s() const { return trace_h_mu() + 1; }             // tr H_S(W_T), training loss
  int flatness(int j) const { return trace_h_mu() + 2 + j; }
  int thinned() const { return static_cast<int>(thinned_weight_.size()); }
  // wang_mao_2022's perturbation std per coordinate, p = sigma sqrt(T), ascending, from 10^-2 to
  // 10^2 times signal / sqrt(d) (a perturbation as long as the signal vector).
  const std::vector<double>& perturbations() const { return perturbations_; }

 private:
  struct Evaluation;
  Evaluation evaluate(const EstimatorStatistics& stats, int until) const;

  int steps_ = 0, dim_ = 0;
  double kappa_ = 0;
  std::vector<int> thinned_weight_;    // steps each thinned log det stands for (t = 1, 1 + k, ...)
  std::vector<double> perturbations_;
  std::vector<double> eta_;            // eta_t, t = 1..T (eta_[t - 1])
  bool logdet_defined_ = false;        // C_t (+ noise floor) positive definite in principle
  std::string logdet_reason_;
  bool dense_ = true;  // d <= bounds.max_dense_dim: traj_align is computed
  std::string dense_reason_;
  mutable TrajectoryWorkspace work_;
};

}  // namespace sdegen
