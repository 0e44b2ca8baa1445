// A family of bounds as an estimator: what it needs from each step and from the end of a
// replicate, the record it accumulates, and how reduced records become values and error bars.
#pragma once
#include <limits>
#include <string>
#include <vector>

#include "sdegen/bounds/bound_values.hpp"
#include "sdegen/bounds/bounds_config.hpp"
#include "sdegen/config/grid.hpp"
#include "sdegen/dynamics/dynamics_registry.hpp"
#include "sdegen/problems/example_gradients.hpp"
#include "sdegen/problems/problem.hpp"
#include "sdegen/problems/problem_registry.hpp"
#include "sdegen/random/replicate_streams.hpp"
#include "sdegen/stats/cell_statistics.hpp"
#include "sdegen/stats/jackknife.hpp"

namespace sdegen {

// What an estimator knows about its cell, fixed before any replicate runs.
struct BoundContext {
  CellParams cell;
  const Problem* problem = nullptr;
  BoundsConfig config;
  DynamicsCapabilities dynamics;
  ProblemCapabilities problem_capabilities;
  PopulationSource population = PopulationSource::closed_form;
  int bounded_loss = -1;  // the evaluation loss the bounds apply to (first with finite R), -1: none
  double r = 0;           // its subgaussian constant
};

// The state before step t of a replicate.
struct StepView {
  int t;                            // the step about to be taken (1-based); w is W_{t-1}
  const Vector& w;
  const ExampleGradients& example_gradients;  // per-example gradients at W_{t-1} (n x d)
  const Population& population;
};

// The state at a logged step, after the replicate's quantities were measured there.
struct LoggedView {
  int row;  // index of the logged step in QuantityLayout::steps
  int t;    // the step: w is W_t
  const Vector& w;
  const Dataset& data;   // the training set
  const Dataset* test;   // n fresh points from Purpose::test (when an estimator asks for them), else nullptr
  const QuantityLayout& layout;
  Eigen::Ref<const Vector> measured;  // this step's row of the replicate's quantities (layout columns)
};

// The step just taken, W_{t-1} -> W_t: the dynamics moved by -eta_t g_t, whatever g_t was (the
// minibatch gradient, the gradient plus Gaussian noise, the sum over substeps).
struct StepTaken {
  int t;                  // the step taken (1-based)
  const Vector& before;   // W_{t-1}
  const Vector& after;    // W_t
};

// A finished replicate.
struct EndView {
  const Dataset& data;
  const Population& population;
  const Vector& w0;
  const Vector& w;  // W_T
  const ReplicateStreams& streams;
};

class BoundEstimator {
 public:
  explicit BoundEstimator(BoundContext context) : context_(std::move(context)) {}
  virtual ~BoundEstimator() = default;

  virtual std::string family() const = 0;  // names its raw accumulators in the results file
  virtual std::string record_description() const = 0;
  // Names the co-moment accumulator of the record segment comoment_offset()..+comoment_size().
  virtual std::string comoment_name() const { return family() + "_comoments"; }
  virtual std::string comoment_description() const { return ""; }
  virtual bool enabled() const = 0;
  // Names of the bounds, reference figures and extra figures it reports, in order, whether or
  // not it is enabled (they become /summary columns).
  virtual std::vector<std::string> bound_names() const = 0;
  virtual std::vector<std::string> reference_names() const { return {}; }
  virtual std::vector<std::pair<std::string, std::string>> extra_names() const { return {}; }  // (bound, extra)
  virtual std::vector<std::string> failure_kinds() const = 0;
  virtual int record_size() const = 0;                  // 0 when disabled
  // The record segment whose full covariance is accumulated across replicates (size 0: none).
  virtual int comoment_offset() const { return 0; }
  virtual int comoment_size() const { return 0; }
  virtual int count_size() const { return 0; }          // integer counts it accumulates (0 when disabled)
  virtual int deferred_size() const { return 0; }       // numbers a replicate defers to its block's end
  virtual bool needs_step_gradients() const { return false; }
  virtual bool needs_test_points() const { return false; }  // LoggedView::test
  // A design that fixes how the training set is drawn (the nested supersample design) draws it
  // here; otherwise the replicate draws n examples from Purpose::data.
  virtual bool draws_training_set() const { return false; }
  virtual Dataset training_set(const ReplicateStreams& streams) const;
  virtual bool needs_steps_taken() const { return false; }  // after_step wanted
  EstimatorStatistics::Shape shape() const {
    return {record_size(), static_cast<int>(failure_kinds().size()), comoment_offset(), comoment_size(), count_size()};
  }

  // Replicate hooks, on the rank computing the replicate. A failure sets record.failure.
  virtual void begin(EstimatorRecord& record) const;
  virtual void at_step(const StepView&, EstimatorRecord&) const {}
  virtual void at_logged_step(const LoggedView&, EstimatorRecord&) const {}
  virtual void after_step(const StepTaken&, EstimatorRecord&) const {}
  virtual void at_end(const EndView&, EstimatorRecord&) const {}
  // After the last replicate of a block, before the block is packed: reduces the records the
  // block's replicates deferred (statistics.pending) into the accumulators, and empties it.
  virtual void end_block(EstimatorStatistics&) const {}

  // Values, validity and error bars from the cell's statistics and its leave-one-group-out
  // recomputations (one per non-empty jackknife group).
  virtual EstimatorReport report(const EstimatorStatistics& total, const std::vector<EstimatorStatistics>& leave_one_out,
                                 const std::vector<int>& logged_steps) const = 0;

  const BoundContext& context() const { return context_; }

 protected:
  BoundContext context_;
};

// A defined bound's value and information from the full evaluation (arrays `value`, `mi` indexed
// by bound) and its jackknife error from the leave-one-group-out ones; NaNs when undefined.
template <class Evaluation>
void set_bound_figures(BoundValue& v, int k, const Evaluation& full, const std::vector<Evaluation>& leave) {
  if (!v.defined) {
    v.value = v.mi = v.stderr_ = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  v.value = full.value[k];
  v.mi = full.mi[k];
  v.stderr_ = jackknife_error_of(leave, [k](const Evaluation& e) { return e.value[k]; });
}

}  // namespace sdegen
