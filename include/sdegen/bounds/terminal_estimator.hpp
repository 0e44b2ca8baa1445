// The terminal-state bounds (term_xr, term_iso, term_init, term_negrea), the replace-one estimate
// of gen and the stationary check, from the analysis of each replicate's end state.
#pragma once
#include "sdegen/bounds/bound_estimator.hpp"
#include "sdegen/bounds/terminal_state.hpp"

namespace sdegen {

class TerminalEstimator : public BoundEstimator {
 public:
  // Throws UsageError when an explicit option is invalid for the cell (bounds.negrea_m, ...). A
  // cell where the analysis does not apply (no minibatch noise, b = n) gets undefined bounds.
  explicit TerminalEstimator(BoundContext context);

  std::string family() const override { return "terminal"; }
  std::string record_description() const override { return "terminal-state first pass"; }
  std::string second_pass_name() const override { return "terminal_xr"; }
  std::string second_pass_description() const override { return "2 KL to N(w_bar, Lambda_bar)"; }
  // Asked for, and d small enough for the d x d Hessian and Lyapunov solve (bounds.max_dense_dim).
  bool enabled() const override { return context_.config.terminal && layout_.dim <= context_.config.max_dense_dim; }
  std::vector<std::string> bound_names() const override;
  std::vector<std::string> reference_names() const override;
  std::vector<std::string> failure_kinds() const override;
  int record_size() const override { return enabled() ? layout_.size() : 0; }
  int second_pass_size() const override { return enabled() ? 1 : 0; }
  int kept_size() const override { return layout_.dim + layout_.dim * layout_.dim; }  // (w*_S, Lambda_S)
  int centre_size() const override { return kept_size(); }                            // (w_bar, Lambda_bar)

  void at_end(const EndView& end, EstimatorRecord& record) const override;
  // term_xr's prior N(w_bar, Lambda_bar): the mean of (w*_S, Lambda_S) over the cell.
  std::vector<double> second_pass_centre(const EstimatorStatistics& total) const override;
  // 2 KL(N(w*_S, Lambda_S) || N(w_bar, Lambda_bar)).
  Eigen::VectorXd second_pass_score(const Eigen::VectorXd& kept, const std::vector<double>& centre) const override;
  EstimatorReport report(const EstimatorStatistics& total, const std::vector<EstimatorStatistics>& leave_one_out,
                         const std::vector<int>& logged_steps) const override;

  const TerminalLayout& layout() const { return layout_; }

 private:
  struct Evaluation;
  Evaluation evaluate(const EstimatorStatistics& stats) const;
  TerminalLayout layout_;
  std::string stationary_reason_;  // why the stationary law does not apply ("" when it does)
  std::string negrea_reason_;      // why term_negrea's coupled run does not apply
};

}  // namespace sdegen
