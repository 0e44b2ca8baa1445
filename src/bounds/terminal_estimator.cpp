// The terminal-state family as an estimator: one analysis per replicate at W_T, and the bounds
// from the cell's means and (term_xr) the co-moments of w*_S.
#include "sdegen/bounds/terminal_estimator.hpp"

#include <Eigen/Cholesky>
#include <cmath>

#include "sdegen/bounds/gaussian_kl.hpp"
#include "sdegen/config/usage_error.hpp"
#include "sdegen/dynamics/lr_schedule.hpp"
#include "sdegen/dynamics/sde_noise.hpp"
#include "sdegen/stats/jackknife.hpp"

namespace sdegen {

namespace {

enum Bound { term_xr, term_iso, term_init, term_negrea, kCount };
const char* const kNames[kCount] = {"term_xr", "term_iso", "term_init", "term_negrea"};
enum Reference { replace_bounded, replace_train, stationary, stationary_floor, mahalanobis, kReferences };
const char* const kReferenceNames[kReferences] = {"gen_replace_one", "gen_replace_one_train", "stationary_relerr",
                                                  "stationary_relerr_floor", "terminal_mahalanobis"};

double bound_from_twice_mi(double twice_mi, double r, int n) { return std::sqrt(r * r / n * twice_mi); }

// term_xr's 2 E_S KL(N(w*_S, Lambda_S) || N(w_bar, Lambda_bar)) with Lambda_bar = E Lambda_S, which
// makes E tr(Lambda_bar^-1 Lambda_S) = d (docs/bounds.md 6.2): the Jensen gap log det Lambda_bar -
// E log det Lambda_S plus tr(Lambda_bar^-1 Cov w*_S), with the unbiased covariance. NaN when
// Lambda_bar is not positive definite or fewer than two replicates have a terminal state.
double twice_xr_information(const EstimatorStatistics& s, const TerminalLayout& b) {
  if (s.comoments.count() < 2) return NAN;
  const int d = b.dim;
  const Eigen::VectorXd& m = s.moments.mean();
  const Eigen::LLT<Matrix> lambda_bar(Eigen::Map<const Matrix>(m.data() + b.lambda(), d, d));
  if (lambda_bar.info() != Eigen::Success) return NAN;
  const double jensen = 2.0 * lambda_bar.matrixLLT().diagonal().array().log().sum() - m[b.lambda_logdet()];
  return jensen + lambda_bar.solve(s.comoments.covariance()).trace();
}

}  // namespace

struct TerminalEstimator::Evaluation {
  double value[kCount], mi[kCount];
  double reference[kReferences];
};

TerminalEstimator::TerminalEstimator(BoundContext context) : BoundEstimator(std::move(context)) {
  const CellParams& cell = context_.cell;
  const BoundsConfig& config = context_.config;
  layout_.dim = context_.problem->dim();
  layout_.substeps = context_.dynamics.substeps;
  layout_.negrea_m = config.negrea_m > 0 ? config.negrea_m : cell.n - 1;
  const int m = layout_.negrea_m;
  // An explicit m that no batch size could make valid, or that conflicts with this cell's batch
  // when some m would do, is an error; when no m can exist (b = n) term_negrea is undefined.
  if (config.terminal && config.negrea_m > 0 && (m >= cell.n || m < 2 || (m < cell.batch && cell.batch < cell.n)))
    throw UsageError("option 'bounds.negrea_m' = " + std::to_string(m) + " must be below data.n = " +
                     std::to_string(cell.n) + ", at least 2 and at least train.batch = " + std::to_string(cell.batch) +
                     " (cell " + std::to_string(cell.index) + ")");
  if (config.stationary_steps == 1) throw UsageError("option 'bounds.stationary_steps' must be 0 or at least 2");
  layout_.terminal_eta = LearningRateSchedule(cell).at(cell.steps);
  if (!context_.dynamics.minibatch_noise)
    stationary_reason_ = "the terminal-state law assumes the minibatch noise model, which " + cell.algorithm +
                         " does not have";
  else if (cell.batch == cell.n && !(cell.noise_floor > 0))
    stationary_reason_ = "b = n and no noise floor: no gradient noise, the stationary law is a point mass";
  if (!stationary_reason_.empty())
    negrea_reason_ = stationary_reason_;
  else if (cell.batch == cell.n)
    negrea_reason_ = "needs train.batch <= m < data.n: no subset size m exists when b = n";
  else if (m < 2 || m < cell.batch)
    negrea_reason_ = "needs 2 <= m and train.batch <= m < data.n (default m = n - 1 = " + std::to_string(m) + ")";
  layout_.stationary_law = stationary_reason_.empty();
  layout_.negrea_run = negrea_reason_.empty();
}

std::vector<std::string> TerminalEstimator::bound_names() const { return {kNames, kNames + kCount}; }
std::vector<std::string> TerminalEstimator::reference_names() const {
  return {kReferenceNames, kReferenceNames + kReferences};
}
std::vector<std::string> TerminalEstimator::failure_kinds() const {
  std::vector<std::string> kinds;
  for (int k = 0; k < kTerminalFailureKinds; ++k) kinds.push_back(failure_name(static_cast<TerminalFailure>(k)));
  return kinds;
}

void TerminalEstimator::at_end(const EndView& end, EstimatorRecord& record) const {
  analyse_terminal_state(context_, layout_, end, record);
}

TerminalEstimator::Evaluation TerminalEstimator::evaluate(const EstimatorStatistics& s) const {
  Evaluation e;
  for (int k = 0; k < kCount; ++k) e.value[k] = e.mi[k] = NAN;
  for (double& r : e.reference) r = NAN;
  if (s.moments.count() == 0) return e;
  const CellParams& cell = context_.cell;
  const TerminalLayout& b = layout_;
  const int n = cell.n;
  const double r = context_.r;
  const Eigen::VectorXd& m = s.moments.mean();
  const double kappa = minibatch_kappa(cell.n, cell.batch);
  const double count = static_cast<double>(s.moments.count());
  // E ||w* - w_bar||^2: the spread of w*_S across training sets (M2 / count).
  const double spread = s.moments.m2().segment(b.w_star(), b.dim).sum() / count;
  if (kappa > 0) {
    const double scale = 2.0 / (kappa * b.terminal_eta);  // 2 b' / eta, b' = 1 / kappa
    e.mi[term_iso] = 0.5 * scale * spread;
    e.mi[term_init] = 0.5 * scale * m[b.dist_init_sq()];
  }
  e.mi[term_xr] = 0.5 * twice_xr_information(s, b);
  for (int k : {term_iso, term_init, term_xr}) e.value[k] = bound_from_twice_mi(2 * e.mi[k], r, n);
  // Negrea et al.: E_{S_J} sqrt(2 R^2 E[KL | S_J] / (n - m)). One KL sample per replicate cannot
  // estimate the inner expectation, and E sqrt(KL) is below it (Jensen); sqrt of the mean KL is
  // above it (Jensen again), so that is what is reported. The sample of sqrt terms is kept.
  e.mi[term_negrea] = m[b.negrea_kl()];
  e.value[term_negrea] = std::sqrt(2 * r * r * e.mi[term_negrea] / (n - b.negrea_m));
  e.reference[replace_train] = m[b.replace_one_train()];
  e.reference[replace_bounded] = m[b.replace_one_bounded()];
  e.reference[mahalanobis] = m[b.mahalanobis()];
  if (context_.config.stationary_steps > 0) {  // ||E[cov - Lambda_S]||_F / ||E Lambda_S||_F
    const double lambda_norm = m.segment(b.lambda(), b.dim * b.dim).norm();
    e.reference[stationary] = m.segment(b.stationary_difference(), b.dim * b.dim).norm() / lambda_norm;
    // The norm of a mean of noisy matrices stays above 0 when their expectation is 0: about
    // sqrt(sum_ij Var(D_ij) / count), the floor the relative error cannot go below at this count.
    e.reference[stationary_floor] =
        count > 1 ? std::sqrt(s.moments.m2().segment(b.stationary_difference(), b.dim * b.dim).sum() /
                              (count * (count - 1))) / lambda_norm
                  : NAN;
  }
  return e;
}

EstimatorReport TerminalEstimator::report(const EstimatorStatistics& total,
                                          const std::vector<EstimatorStatistics>& leave_one_out,
                                          const std::vector<int>&) const {
  EstimatorReport out;
  out.family = family();
  const CellParams& cell = context_.cell;
  const Evaluation full = evaluate(total);
  std::vector<Evaluation> leave;
  for (const auto& rest : leave_one_out) leave.push_back(evaluate(rest));
  // Every terminal bound assumes the stationary Gaussian law of the linearised SDE: estimates.
  for (int k = 0; k < kCount; ++k) {
    BoundValue v;
    v.name = kNames[k];
    if (!context_.config.terminal) v.reason = "not computed: [bounds] terminal = false";
    else if (!enabled())
      v.reason = "the Hessian and the Lyapunov solve need d x d matrices, and d = " + std::to_string(layout_.dim) +
                 " > bounds.max_dense_dim = " + std::to_string(context_.config.max_dense_dim);
    else if (context_.bounded_loss < 0) v.reason = "the problem has no bounded evaluation loss";
    else if (!stationary_reason_.empty()) v.reason = stationary_reason_;
    else if (k == term_negrea && !negrea_reason_.empty()) v.reason = negrea_reason_;
    else if (total.moments.count() == 0) v.reason = "no replicate with a terminal state (see terminal_failed)";
    else if ((k == term_iso || k == term_init) && cell.batch == cell.n) v.reason = "b = n: no minibatch noise";
    else if (k == term_xr && total.comoments.count() < 2)
      v.reason = "needs at least 2 replicates with a terminal state (its prior is estimated from them)";
    else if (!std::isfinite(full.value[k])) v.reason = "not finite";
    v.defined = v.reason.empty();
    v.valid = false;
    set_bound_figures(v, k, full, leave);
    out.bounds.push_back(v);
  }
  const bool any = enabled() && total.moments.count() > 0;
  for (int k = 0; k < kReferences; ++k) {
    ReferenceValue ref;
    ref.name = kReferenceNames[k];
    ref.defined = any && (k == replace_bounded || k == replace_train || layout_.stationary_law) &&
                  ((k != stationary && k != stationary_floor) || context_.config.stationary_steps > 0);
    if (ref.defined) {
      ref.mean = full.reference[k];
      ref.stderr_ = jackknife_error_of(leave, [k](const Evaluation& e) { return e.reference[k]; });
    }
    out.references.push_back(ref);
  }
  for (int k = 1; k < kTerminalFailureKinds; ++k)
    out.attributes.push_back({std::string("terminal_failed_") + failure_name(static_cast<TerminalFailure>(k)),
                              total.failures.empty() ? std::int64_t{0} : total.failures[static_cast<std::size_t>(k)]});
  out.attributes.push_back({"terminal_eta", layout_.terminal_eta});
  out.attributes.push_back({"negrea_m", std::int64_t{layout_.negrea_m}});
  return out;
}

}  // namespace sdegen
