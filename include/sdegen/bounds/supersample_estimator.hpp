// The supersample (CMI-family) bounds as an estimator: loss-pair tables of the training set and n
// fresh points at every logged step (b5, b6, b8..b13), the nested design's conditional bounds
// (b3, b4, b7, b7'), and b1 by argument. Derivations: docs/supersample.md.
#pragma once
#include "sdegen/bounds/bound_estimator.hpp"
#include "sdegen/bounds/supersample/loss_levels.hpp"
#include "sdegen/bounds/supersample_design.hpp"
#include "sdegen/bounds/supersample_layout.hpp"

namespace sdegen {

class SupersampleEstimator : public BoundEstimator {
 public:
  // Throws UsageError when the cell is too large for exact counts (see the constructor).
  explicit SupersampleEstimator(BoundContext context);

  std::string family() const override { return "supersample"; }
  std::string record_description() const override;
  bool enabled() const override { return context_.config.supersample && context_.bounded_loss >= 0; }
  std::vector<std::string> bound_names() const override;
  std::vector<std::string> reference_names() const override;
  std::vector<std::pair<std::string, std::string>> extra_names() const override;
  std::vector<std::string> failure_kinds() const override { return {"nonfinite_loss"}; }
  int record_size() const override { return enabled() ? layout_.record_size() : 0; }
  int count_size() const override { return enabled() ? static_cast<int>(layout_.count_size()) : 0; }
  int deferred_size() const override { return enabled() && layout_.masks > 0 ? layout_.deferred_size() : 0; }
  bool needs_test_points() const override { return enabled(); }
  bool draws_training_set() const override { return enabled() && layout_.masks > 0; }
  Dataset training_set(const ReplicateStreams& streams) const override;

  void at_logged_step(const LoggedView& view, EstimatorRecord& record) const override;
  void at_end(const EndView& end, EstimatorRecord& record) const override;
  void end_block(EstimatorStatistics& statistics) const override;
  EstimatorReport report(const EstimatorStatistics& total, const std::vector<EstimatorStatistics>& leave_one_out,
                         const std::vector<int>& logged_steps) const override;

  const SupersampleLayout& layout() const { return layout_; }
  const supersample::LossLevels& loss_levels() const { return levels_; }

 private:
  SupersampleLayout layout_;
  supersample::LossLevels levels_;  // of the bounded loss: exact for a loss with declared levels
  SupersampleDesign design_;
};

}  // namespace sdegen
