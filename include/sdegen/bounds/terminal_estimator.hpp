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
  std::string comoment_name() const override { return "terminal_xr"; }
  std::string comoment_description() const override {
    return "co-moments of w*_S (term_xr: tr(Lambda_bar^-1 Cov w*_S))";
  }
  // Asked for, and d small enough for the d x d Hessian and Lyapunov solve (bounds.max_dense_dim).
  bool enabled() const override { return context_.config.terminal && layout_.dim <= context_.config.max_dense_dim; }
  std::vector<std::string> bound_names() const override;
  std::vector<std::string> reference_names() const override;
  std::vector<std::string> failure_kinds() const override;
  int record_size() const override { return enabled() ? layout_.size() : 0; }
  int comoment_offset() const override { return layout_.w_star(); }
  int comoment_size() const override { return enabled() ? layout_.dim : 0; }  // Cov(w*_S) for term_xr

  void at_end(const EndView& end, EstimatorRecord& record) const override;
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
