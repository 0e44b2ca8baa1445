// The supersample estimator's replicate hooks: one loss-pair table per logged step from the
// training set and the n fresh points, and in the nested design the column-ordered symbols of the
// supersample's 2n points, reduced per supersample when the block ends.
#include "sdegen/bounds/supersample_estimator.hpp"

#include <algorithm>
#include <cmath>

#include "sdegen/bounds/supersample/supersample_tables.hpp"
#include "sdegen/bounds/supersample_reduction.hpp"
#include "sdegen/config/usage_error.hpp"

namespace sdegen {

namespace {
// Counts travel as doubles (exact below 2^53) and the largest merged study has 1e9 replicates.
constexpr double kMaxExactCount = 9007199254740992.0;
constexpr double kMaxReplicates = 1e9;
// Every cell result holds one table per logged step for the cell and each jackknife group.
constexpr double kMaxCounts = 2e6;
}  // namespace

SupersampleEstimator::SupersampleEstimator(BoundContext context)
    : BoundEstimator(std::move(context)), design_(std::max(context_.config.supersample_masks, 1)) {
  const CellParams& cell = context_.cell;
  const BoundsConfig& config = context_.config;
  layout_.steps = static_cast<int>(cell.logged_steps().size());
  layout_.pairs = cell.n;
  layout_.masks = config.nested() ? config.supersample_masks : 0;
  if (context_.bounded_loss >= 0) {
    // A bounded loss has values in [0, 2R]; one that declares levels needs no quantisation when
    // they are 0 and 1 (the 0-1 loss).
    const EvalLoss& loss = context_.problem->losses()[static_cast<std::size_t>(context_.bounded_loss)];
    const double range = 2 * context_.r;
    if (loss.levels == 1 && range == 1) levels_ = supersample::LossLevels::zero_one();
    else levels_ = supersample::LossLevels::clipped(range, loss.levels > 0 ? loss.levels : config.supersample_levels);
    layout_.levels = levels_.levels();
    if (layout_.masks > 0) layout_.prediction_symbols = context_.problem->prediction_symbols();
  }
  if (!enabled()) return;
  if (static_cast<double>(layout_.count_size()) > kMaxCounts)
    throw UsageError("options 'train.steps' / 'train.log_every' and 'bounds.supersample_levels' give " +
                     std::to_string(layout_.steps) + " loss-pair tables of " + std::to_string(layout_.table_size()) +
                     " counts, more than the 2e6 counts per cell sdegen supports: use a larger 'train.log_every' or "
                     "fewer levels (cell " + std::to_string(cell.index) + ")");
  if (double(cell.n) * kMaxReplicates > kMaxExactCount)
    throw UsageError("option 'data.n' = " + std::to_string(cell.n) +
                     " is too large for exact pair counts with supersample bounds (at most 9007199, cell " +
                     std::to_string(cell.index) + ")");
}

std::string SupersampleEstimator::record_description() const {
  return layout_.masks > 0 ? "per supersample: plain figures averaged over its masks, conditional-information sums"
                           : "per replicate: gen_ss, held-out mean loss and measured gen at each logged step";
}

Dataset SupersampleEstimator::training_set(const ReplicateStreams& streams) const {
  return design_.draw(*context_.problem, streams, layout_.pairs).training_set();
}

void SupersampleEstimator::at_logged_step(const LoggedView& view, EstimatorRecord& record) const {
  if (record.failure >= 0 || view.test == nullptr) return;
  const Problem& problem = *context_.problem;
  const auto loss = static_cast<Eigen::Index>(context_.bounded_loss);
  Matrix training, heldout;
  problem.example_losses(view.data, view.w, training);
  problem.example_losses(*view.test, view.w, heldout);
  if (!training.col(loss).allFinite() || !heldout.col(loss).allFinite()) {
    record.failure = 0;
    return;
  }
  const Eigen::ArrayXi a = levels_.quantise(training.col(loss)), b = levels_.quantise(heldout.col(loss));
  for (Eigen::Index i = 0; i < a.size(); ++i) record.tallies.push_back(layout_.count(view.row, a(i), b(i)));
  const double held = heldout.col(loss).mean();
  record.values[layout_.gen_ss(view.row)] = held - training.col(loss).mean();
  record.values[layout_.heldout(view.row)] = held;
  record.values[layout_.gen_measured(view.row)] = view.measured[view.layout.gen(context_.bounded_loss)];
}

void SupersampleEstimator::at_end(const EndView& end, EstimatorRecord& record) const {
  if (layout_.masks == 0 || record.failure >= 0) return;
  const Problem& problem = *context_.problem;
  const int n = layout_.pairs;
  const SupersampleDraw draw = design_.draw(problem, end.streams, n);
  Matrix losses;
  problem.example_losses(draw.points, end.w, losses);
  const auto column = losses.col(static_cast<Eigen::Index>(context_.bounded_loss));
  if (!column.allFinite()) {
    record.failure = 0;
    return;
  }
  // Column order (never training / held-out order): the symbols carry U only through W.
  const Eigen::ArrayXi level = levels_.quantise(column);
  Eigen::VectorXd& deferred = record.deferred;
  deferred.resize(layout_.deferred_size());
  deferred(0) = static_cast<double>(draw.supersample);
  deferred.segment(layout_.deferred_plain(), layout_.plain_size()) = record.values;
  deferred.segment(layout_.deferred_mask(), n) = draw.mask.cast<double>().matrix();
  using Kind = SupersampleLayout::Kind;
  deferred.segment(layout_.deferred_symbols(Kind::gap), n) =
      supersample::loss_difference_symbols(level.head(n), level.tail(n), layout_.levels).cast<double>().matrix();
  deferred.segment(layout_.deferred_symbols(Kind::pair), n) =
      supersample::loss_pair_symbols(level.head(n), level.tail(n), layout_.levels).cast<double>().matrix();
  if (layout_.prediction_symbols > 0) {
    Eigen::ArrayXi predicted;
    problem.example_predictions(draw.points, end.w, predicted);
    deferred.segment(layout_.deferred_symbols(Kind::prediction), n) =
        supersample::prediction_pair_symbols(predicted.head(n), predicted.tail(n), layout_.prediction_symbols)
            .cast<double>()
            .matrix();
  }
  record.values.resize(0);  // the supersample's record replaces the replicate's in the moments
}

void SupersampleEstimator::end_block(EstimatorStatistics& statistics) const {
  if (statistics.pending.empty()) return;
  NullRootCache null_roots;
  std::vector<const Eigen::VectorXd*> masks;
  auto reduce = [&] {
    if (!masks.empty()) statistics.moments.add(reduce_supersample(layout_, masks, null_roots));
    masks.clear();
  };
  // A supersample's masks are consecutive replicates of one block (blocks hold whole supersamples).
  for (const Eigen::VectorXd& record : statistics.pending) {
    if (!masks.empty() && record(0) != (*masks.front())(0)) reduce();
    masks.push_back(&record);
  }
  reduce();
  statistics.pending.clear();
}

}  // namespace sdegen
