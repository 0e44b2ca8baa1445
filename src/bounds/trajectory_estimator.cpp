// The trajectory family as an estimator: the per-step KL ingredients at W_{t-1} before each
// step, the plug-in sums and the flatness term at W_T, and the bounds from replicate means.
#include "sdegen/bounds/trajectory_estimator.hpp"

#include <cmath>
#include <limits>

#include "sdegen/dynamics/lr_schedule.hpp"
#include "sdegen/dynamics/sde_noise.hpp"
#include "sdegen/stats/jackknife.hpp"

namespace sdegen {

namespace {

enum Bound { iso_zero, iso_pop, iso_plugin, iso_align, wang_mao, kCount };
const char* const kNames[kCount] = {"traj_iso_zero", "traj_iso_pop", "traj_iso_plugin", "traj_align",
                                    "wang_mao_2022"};

double bound_from_twice_mi(double twice_mi, double r, int n) { return std::sqrt(r * r / n * twice_mi); }

}  // namespace

struct TrajectoryEstimator::Evaluation {
  double value[kCount], mi[kCount];
  double sigma = NAN;
};

TrajectoryEstimator::TrajectoryEstimator(BoundContext context) : BoundEstimator(std::move(context)) {
  const CellParams& cell = context_.cell;
  steps_ = cell.steps;
  dim_ = context_.problem->dim();
  kappa_ = minibatch_kappa(cell.n, cell.batch);
  const int every = context_.config.logdet_every;
  for (int t = 1; t <= cell.steps; t += every) thinned_weight_.push_back(std::min(every, cell.steps - t + 1));
  // Perturbation scales a third of a decade apart, from 1e-3 up to a perturbation whose norm
  // (about s sqrt(d)) is the signal's: far beyond, the exact flatness term tends to -gen(W_T) and
  // the bound to |gen| itself, valid but circular (docs/bounds.md).
  const double largest = std::max(cell.signal, 1e-3) / std::sqrt(double(dim_));
  for (int j = 0; std::pow(10.0, -3.0 + j / 3.0) <= largest * (1 + 1e-12); ++j)
    perturbations_.push_back(std::pow(10.0, -3.0 + j / 3.0));
  // traj_align needs C_mu^-1: d x d matrices (O(N d^2 + d^3) per step, N the population sample).
  dense_ = dim_ <= context_.config.max_dense_dim;
  if (!dense_)
    dense_reason_ = "C_mu^-1 needs d x d matrices, and d = " + std::to_string(dim_) + " > bounds.max_dense_dim = " +
                    std::to_string(context_.config.max_dense_dim);
  if (cell.noise_floor > 0)
    logdet_defined_ = true;
  else if (cell.batch == cell.n)
    logdet_reason_ = "C_t = 0 (b = n) and no noise floor";
  else if (cell.n - 1 < dim_)
    logdet_reason_ = "C_t is singular (rank <= n - 1 < d) and no noise floor";
  else
    logdet_defined_ = true;
}

std::vector<std::string> TrajectoryEstimator::bound_names() const { return {kNames, kNames + kCount}; }

std::vector<std::pair<std::string, std::string>> TrajectoryEstimator::extra_names() const {
  return {{"wang_mao_2022", "sigma"}};
}

int TrajectoryEstimator::record_size() const {
  return enabled() ? flatness(static_cast<int>(perturbations_.size())) : 0;
}

void TrajectoryEstimator::at_step(const StepView& step, EstimatorRecord& record) const {
  // Terms of step t at W_{t-1}, from the gradients the step then reuses.
  const bool thinned_step = (step.t - 1) % context_.config.logdet_every == 0;
  const bool with_logdet = logdet_defined_ && thinned_step;
  const TrajectoryTerms terms = trajectory_terms(step.population, step.w, step.example_gradients, kappa_,
                                                 context_.cell.noise_floor, with_logdet, with_logdet && dense_, work_);
  record.values[a_zero(step.t)] = terms.a_zero;
  record.values[a_pop(step.t)] = terms.a_pop;
  if (with_logdet) {
    const int j = (step.t - 1) / context_.config.logdet_every;
    record.values[logdet(j)] = terms.logdet;
    record.values[align(j)] = terms.align;
    if (!terms.logdet_ok) record.failure = 0;
  }
}

namespace {

// The flatness term of wang_mao_2022 for the bounded loss: for each perturbation scale s_j,
// the mean over K draws of [gen(W_T + s_j zeta) - gen(W_T)], with the same zeta for every s_j.
void flatness_terms(const Problem& problem, const Population& population, const Dataset& data, const Vector& w,
                    int bounded_loss, const std::vector<double>& perturbations, int samples, Stream& stream,
                    Eigen::Ref<Eigen::VectorXd> out) {
  const int losses = static_cast<int>(problem.losses().size());
  Vector empirical(losses), risks(losses);
  problem.empirical_risks(data, w, empirical);
  population.population_risks(w, risks);
  const double base = risks[bounded_loss] - empirical[bounded_loss];
  out.setZero();
  Vector zeta(w.size());
  for (int k = 0; k < samples; ++k) {
    stream.fill_normal(zeta);
    for (int j = 0; j < out.size(); ++j) {
      const Vector perturbed = w + perturbations[j] * zeta;
      problem.empirical_risks(data, perturbed, empirical);
      population.population_risks(perturbed, risks);
      out[j] += risks[bounded_loss] - empirical[bounded_loss] - base;
    }
  }
  out /= samples;
}

}  // namespace

void TrajectoryEstimator::at_end(const EndView& end, EstimatorRecord& record) const {
  Eigen::VectorXd& v = record.values;
  const double d = dim_;
  double logdet_sum = 0;
  for (int j = 0; j < thinned(); ++j) logdet_sum += thinned_weight_[j] * v[logdet(j)];
  double zero = 0, pop = 0;
  for (int s = 1; s <= steps_; ++s) {
    zero += d * std::log(v[a_zero(s)] / d);
    pop += d * std::log(v[a_pop(s)] / d);
  }
  v[plugin_zero()] = zero - logdet_sum;
  v[plugin_pop()] = pop - logdet_sum;
  Stream perturb = end.streams.get(Purpose::perturb);
  flatness_terms(*context_.problem, end.population, end.data, end.w, context_.bounded_loss, perturbations_,
                 context_.config.flatness_samples, perturb,
                 v.segment(flatness(0), static_cast<Eigen::Index>(perturbations_.size())));
  if (!v.allFinite()) record.failure = 0;
}

namespace {

// Sum over steps 1..until of the thinned log det (or align) terms, each standing for its steps.
double thinned_sum(const Eigen::VectorXd& mean, const std::vector<int>& weight, int every, int first_index, int until) {
  double sum = 0;
  for (std::size_t j = 0; j < weight.size(); ++j) {
    const int covered = std::min(weight[j], until - static_cast<int>(j) * every);
    if (covered <= 0) break;
    sum += covered * mean[first_index + static_cast<int>(j)];
  }
  return sum;
}

}  // namespace

TrajectoryEstimator::Evaluation TrajectoryEstimator::evaluate(const EstimatorStatistics& stats, int until) const {
  Evaluation e;
  for (int k = 0; k < kCount; ++k) e.value[k] = e.mi[k] = NAN;
  if (stats.moments.count() == 0) return e;
  const CellParams& cell = context_.cell;
  const double r = context_.r;
  const int n = cell.n, every = context_.config.logdet_every;
  const double d = dim_;
  const Eigen::VectorXd& m = stats.moments.mean();
  double zero = 0, pop = 0, dispersion = 0;
  const LearningRateSchedule schedule(cell);
  for (int t = 1; t <= until; ++t) {
    zero += d * std::log(m[a_zero(t)] / d);
    pop += d * std::log(m[a_pop(t)] / d);
  }
  // Dispersion of the step's gradient around the prior mean grad L_mu(W_{t-1}), which depends on
  // W_{t-1} only: E||g - grad L_mu||^2 = ||G - grad L_mu||^2 + tr C = a_pop. (tr Sigma_mu / b
  // would be the dispersion only if W_{t-1} were independent of S.)
  for (int t = 1; t <= steps_; ++t) dispersion += std::pow(schedule.at(t), 2) * m[a_pop(t)];
  if (logdet_defined_) {
    const double logdet_sum = thinned_sum(m, thinned_weight_, every, logdet(0), until);
    e.mi[iso_zero] = 0.5 * (zero - logdet_sum);
    e.mi[iso_pop] = 0.5 * (pop - logdet_sum);
    e.mi[iso_align] = 0.5 * thinned_sum(m, thinned_weight_, every, align(0), until);
    if (until == steps_) e.mi[iso_plugin] = 0.5 * m[plugin_pop()];
  }
  if (until == steps_) {  // min over sigma of sqrt(R^2/n sum eta^2 V / sigma^2) + |flatness(sigma)|
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < perturbations_.size(); ++j) {
      const double sigma = perturbations_[j] / std::sqrt(double(steps_));
      const double mi = dispersion / (2 * sigma * sigma);
      const double value = bound_from_twice_mi(2 * mi, r, n) + std::abs(m[flatness(static_cast<int>(j))]);
      if (value < best) {
        best = value;
        e.value[wang_mao] = value;
        e.mi[wang_mao] = mi;
        e.sigma = sigma;
      }
    }
  }
  for (int k : {iso_zero, iso_pop, iso_plugin, iso_align}) e.value[k] = bound_from_twice_mi(2 * e.mi[k], r, n);
  return e;
}

EstimatorReport TrajectoryEstimator::report(const EstimatorStatistics& total,
                                            const std::vector<EstimatorStatistics>& leave_one_out,
                                            const std::vector<int>& logged_steps) const {
  EstimatorReport out;
  out.family = family();
  const CellParams& cell = context_.cell;
  const Evaluation full = evaluate(total, steps_);
  std::vector<Evaluation> leave;
  for (const auto& rest : leave_one_out) leave.push_back(evaluate(rest, steps_));
  const bool noisy = context_.dynamics.stochastic || cell.noise_floor > 0;
  // Guaranteed: the trajectory bounds for a dynamics whose step is exactly the Gaussian kernel
  // they are derived for (sgd: an estimate of the SDE's bound), with every step's log det;
  // wang_mao_2022 for noisy gradient-step dynamics. The plug-in is an estimate by Jensen.
  const bool exact_kernel = context_.dynamics.gaussian_step && context_.config.logdet_every == 1;
  for (int k = 0; k < kCount; ++k) {
    BoundValue v;
    v.name = kNames[k];
    if (!enabled()) v.reason = "not computed: [bounds] trajectory = false";
    else if (context_.bounded_loss < 0) v.reason = "the problem has no bounded evaluation loss";
    else if (!noisy) v.reason = cell.algorithm + " without a noise floor has no noise: the KL terms are infinite";
    else if (total.moments.count() == 0) v.reason = "no replicate with finite trajectory terms";
    else if (k < wang_mao && !logdet_defined_) v.reason = logdet_reason_;
    else if (k == iso_align && !dense_) v.reason = dense_reason_;
    else if (!std::isfinite(full.value[k])) v.reason = "not finite";
    v.defined = v.reason.empty();
    v.valid = v.defined && ((k == iso_zero || k == iso_pop || k == iso_align) ? exact_kernel
                            : k == wang_mao ? context_.dynamics.stochastic && context_.dynamics.gradient_steps
                                            : false);
    if (v.defined) {
      v.value = full.value[k];
      v.mi = full.mi[k];
      std::vector<double> figures;
      for (const auto& e : leave) figures.push_back(e.value[k]);
      v.stderr_ = jackknife_error(figures);
    } else {
      v.value = v.mi = v.stderr_ = NAN;
    }
    if (k == wang_mao) v.extras.emplace_back("sigma", v.defined ? full.sigma : 0.0);
    if (v.defined && k < wang_mao && k != iso_plugin)
      for (int step : logged_steps) v.running.push_back(step == 0 ? 0.0 : evaluate(total, step).value[k]);
    out.bounds.push_back(v);
  }
  out.attributes = {{"logdet_every", std::int64_t{context_.config.logdet_every}},
                    {"logdet_sum_estimated", std::int64_t{context_.config.logdet_every > 1}},
                    {"trajectory_failed", total.failed()}};
  return out;
}

}  // namespace sdegen
