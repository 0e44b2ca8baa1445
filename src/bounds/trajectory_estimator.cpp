// The trajectory family as an estimator: the per-step KL ingredients at W_{t-1} before each
// step, the step actually taken after it, the plug-in sums, the Hessian gap and the flatness
// term at W_T, and the bounds from replicate means.
#include "sdegen/bounds/trajectory_estimator.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

#include "sdegen/bounds/hessian_trace.hpp"
#include "sdegen/dynamics/lr_schedule.hpp"
#include "sdegen/dynamics/sde_noise.hpp"
#include "sdegen/stats/jackknife.hpp"

namespace sdegen {

namespace {

enum Bound { iso_zero, iso_pop, iso_plugin, iso_align, wang_mao, wang_mao_taylor, kCount };
const char* const kNames[kCount] = {"traj_iso_zero", "traj_iso_pop",  "traj_iso_plugin",
                                    "traj_align",    "wang_mao_2022", "wang_mao_2022_taylor"};

// wang_mao_2022's perturbation grid, fixed before the run: scales a sixth of a decade apart from
// 10^-2 to 10^2 times the problem's scale, wide enough to hold the chosen sigma (docs/bounds.md,
// section 5).
constexpr int kDecadesEachSide = 2, kPerDecade = 6;

double bound_from_twice_mi(double twice_mi, double r, int n) { return std::sqrt(r * r / n * twice_mi); }

std::string format_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

}  // namespace

struct TrajectoryEstimator::Evaluation {
  double value[kCount], mi[kCount];
  double sigma = NAN, sigma_taylor = NAN, hessian_gap = NAN, sharpness = NAN;
  int chosen = -1;  // grid index of wang_mao_2022's sigma
  std::vector<double> bound, information, flatness, rule;  // wang_mao_2022 on the grid
  std::int64_t iso_left_out = 0, align_left_out = 0;
};

TrajectoryEstimator::TrajectoryEstimator(BoundContext context) : BoundEstimator(std::move(context)) {
  const CellParams& cell = context_.cell;
  steps_ = cell.steps;
  dim_ = context_.problem->dim();
  kappa_ = minibatch_kappa(cell.n, cell.batch);
  const int every = context_.config.logdet_every;
  for (int t = 1; t <= cell.steps; t += every) thinned_weight_.push_back(std::min(every, cell.steps - t + 1));
  const LearningRateSchedule schedule(cell);
  for (int t = 1; t <= cell.steps; ++t) eta_.push_back(schedule.at(t));
  // Perturbation std per coordinate around signal / sqrt(d), a perturbation about as long as the
  // signal vector: fixed from the problem's scale before the run, never from gen.
  const double scale = std::max(cell.signal, 1e-3) / std::sqrt(double(dim_));
  for (int j = -kDecadesEachSide * kPerDecade; j <= kDecadesEachSide * kPerDecade; ++j)
    perturbations_.push_back(scale * std::pow(10.0, double(j) / kPerDecade));
  // traj_align needs C_mu^-1: d x d matrices (O(N d^2 + d^3) per step, N the population sample).
  dense_ = dim_ <= context_.config.max_dense_dim;
  if (!dense_)
    dense_reason_ = "C_mu^-1 needs d x d matrices, and d = " + std::to_string(dim_) + " > bounds.max_dense_dim = " +
                    std::to_string(context_.config.max_dense_dim);
  if (!context_.dynamics.stochastic && !(cell.noise_floor > 0))
    logdet_reason_ = "no noise: the KL terms are infinite";  // no log det to compute (gd)
  else if (cell.noise_floor > 0)
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
  return {{"wang_mao_2022", "sigma"},
          {"wang_mao_2022", "at_edge"},
          {"wang_mao_2022", "sharpness"},
          {"wang_mao_2022_taylor", "sigma"},
          {"wang_mao_2022_taylor", "hessian_gap"}};
}

int TrajectoryEstimator::record_size() const {
  return enabled() ? flatness(static_cast<int>(perturbations_.size())) : 0;
}

void TrajectoryEstimator::begin(EstimatorRecord& record) const {
  BoundEstimator::begin(record);
  if (!enabled()) return;
  record.values[iso_kept()] = 1;
  record.values[align_kept()] = 1;
}

void TrajectoryEstimator::at_step(const StepView& step, EstimatorRecord& record) const {
  // Terms of step t at W_{t-1}, from the per-example gradients there (as a matrix the step then
  // reuses, or as linreg's and logistic's scaled rows of X).
  const bool thinned_step = (step.t - 1) % context_.config.logdet_every == 0;
  const bool with_logdet = logdet_defined_ && thinned_step;
  const TrajectoryTerms terms = trajectory_terms(step.population, step.w, step.example_gradients, kappa_,
                                                 context_.cell.noise_floor, with_logdet, with_logdet && dense_, work_);
  Eigen::VectorXd& v = record.values;
  v[a_zero(step.t)] = terms.a_zero;
  v[a_pop(step.t)] = terms.a_pop;
  if (with_logdet) {
    const int j = (step.t - 1) / context_.config.logdet_every;
    v[logdet(j)] = terms.logdet_ok ? terms.logdet : 0.0;
    v[align(j)] = terms.align_ok ? terms.align : 0.0;
    if (!terms.logdet_ok) v[iso_kept()] = 0;
    if (!terms.align_ok) v[align_kept()] = 0;
  }
}

void TrajectoryEstimator::after_step(const StepTaken& step, EstimatorRecord& record) const {
  // The step's gradient as the dynamics took it: noise, minibatch and substeps included.
  record.values.segment(step_gradient(step.t), dim_) = (step.before - step.after) / eta_[step.t - 1];
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
  if (v[iso_kept()] == 0)  // a singular C_t: the replicate counts for the other bounds only
    for (int j = 0; j < thinned(); ++j) v[logdet(j)] = 0;
  if (v[align_kept()] == 0)
    for (int j = 0; j < thinned(); ++j) v[align(j)] = 0;
  if (logdet_defined_ && v[iso_kept()] != 0) {
    double logdet_sum = 0;
    for (int j = 0; j < thinned(); ++j) logdet_sum += thinned_weight_[j] * v[logdet(j)];
    double zero = 0, pop = 0;
    for (int s = 1; s <= steps_; ++s) {
      zero += d * std::log(v[a_zero(s)] / d);
      pop += d * std::log(v[a_pop(s)] / d);
    }
    v[plugin_zero()] = zero - logdet_sum;
    v[plugin_pop()] = pop - logdet_sum;
  }
  // Curvature of the (twice differentiable) training loss at W_T: the choice of sigma and the
  // paper's second-order flatness term.
  // Beyond bounds.max_dense_dim no d x d Hessian is formed: Hutchinson's estimate of its trace,
  // unbiased over replicates (the rule uses only the mean).
  if (context_.problem_capabilities.hessian) {
    if (dense_) {
      v[trace_h_mu()] = end.population.population_hessian(end.w).trace();
      v[trace_h_s()] = context_.problem->empirical_hessian(end.data, end.w).trace();
    } else {
      constexpr int kProbes = 4;
      Stream probes = end.streams.get(Purpose::curvature);
      v[trace_h_mu()] = hutchinson_trace([&](const Vector& u) { return end.population.population_gradient(u); },
                                         end.w, kProbes, probes);
      v[trace_h_s()] = hutchinson_trace([&](const Vector& u) { return context_.problem->full_gradient(end.data, u); },
                                        end.w, kProbes, probes);
    }
  }
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
  const std::int64_t count = stats.moments.count();
  if (count == 0) return e;
  const CellParams& cell = context_.cell;
  const double r = context_.r;
  const int n = cell.n, every = context_.config.logdet_every;
  const double d = dim_;
  const Eigen::VectorXd& m = stats.moments.mean();
  const double iso_share = m[iso_kept()], align_share = m[align_kept()];
  e.iso_left_out = count - std::llround(iso_share * double(count));
  e.align_left_out = count - std::llround(align_share * double(count));
  double zero = 0, pop = 0;
  for (int t = 1; t <= until; ++t) {
    zero += d * std::log(m[a_zero(t)] / d);
    pop += d * std::log(m[a_pop(t)] / d);
  }
  // The log det and alignment terms average over the replicates that kept them.
  if (logdet_defined_ && iso_share > 0) {
    const double logdet_sum = thinned_sum(m, thinned_weight_, every, logdet(0), until) / iso_share;
    e.mi[iso_zero] = 0.5 * (zero - logdet_sum);
    e.mi[iso_pop] = 0.5 * (pop - logdet_sum);
    if (until == steps_) e.mi[iso_plugin] = 0.5 * m[plugin_pop()] / iso_share;
  }
  if (logdet_defined_ && align_share > 0)
    e.mi[iso_align] = 0.5 * thinned_sum(m, thinned_weight_, every, align(0), until) / align_share;
  for (int k : {iso_zero, iso_pop, iso_plugin, iso_align}) e.value[k] = bound_from_twice_mi(2 * e.mi[k], r, n);
  if (until < steps_ || count < 2) return e;

  // wang_mao_2022. The dispersion of g_t around the constant E[g_t], a legal predictor from the
  // perturbed record's past: V_t = tr Cov(g_t) across replicates, unbiased from M2 / (count - 1).
  const Eigen::VectorXd& m2 = stats.moments.m2();
  double dispersion = 0;
  for (int t = 1; t <= steps_; ++t)
    dispersion += eta_[t - 1] * eta_[t - 1] * m2.segment(step_gradient(t), dim_).sum() / double(count - 1);
  // The information term is a / sigma in loss units. Second order in the perturbation, each
  // risk moves by (sigma^2 T / 2) tr H at W_T: the flatness term by (sigma^2 T / 2) h with
  // h = E tr(H_mu - H_S) (the paper's form), and |flatness| <= |change of L_mu| + |change of L_S|
  // by (sigma^2 T / 2) sharpness, sharpness = |E tr H_mu| + |E tr H_S|.
  const double a = std::sqrt(r * r / n * dispersion), big_t = steps_;
  const bool curvature = context_.problem_capabilities.hessian;
  e.hessian_gap = curvature ? m[trace_h_mu()] - m[trace_h_s()] : NAN;
  e.sharpness = curvature ? std::abs(m[trace_h_mu()]) + std::abs(m[trace_h_s()]) : NAN;
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t j = 0; j < perturbations_.size(); ++j) {
    const double p = perturbations_[j], sigma = p / std::sqrt(big_t);
    const double information = a / sigma;
    const double flat = m[flatness(static_cast<int>(j))];
    e.information.push_back(information);
    e.flatness.push_back(flat);
    e.bound.push_back(information + std::abs(flat));
    e.rule.push_back(information + 0.5 * p * p * e.sharpness);
    // sigma minimises the second-order form with the sharpness, which never involves gen (the
    // difference of the two risks): the value is the bound there with the exact flatness term.
    // Ties go to the smaller sigma; without a Hessian there is no rule, and no value.
    if (curvature && e.rule.back() < best) {
      best = e.rule.back();
      e.chosen = static_cast<int>(j);
    }
  }
  if (e.chosen >= 0) {
    e.sigma = perturbations_[static_cast<std::size_t>(e.chosen)] / std::sqrt(big_t);
    e.value[wang_mao] = e.bound[static_cast<std::size_t>(e.chosen)];
    e.mi[wang_mao] = dispersion / (2 * e.sigma * e.sigma);
  }
  // The paper's form: min over sigma of a / sigma + (sigma^2 T / 2) |h|, at sigma^3 = a / (T |h|).
  const double h = std::abs(e.hessian_gap);
  if (curvature && h > 0) {
    e.sigma_taylor = std::cbrt(a / (big_t * h));
    e.value[wang_mao_taylor] = 1.5 * std::cbrt(a * a * big_t * h);
    e.mi[wang_mao_taylor] = dispersion / (2 * e.sigma_taylor * e.sigma_taylor);
  }
  return e;
}

EstimatorReport TrajectoryEstimator::report(const EstimatorStatistics& total,
                                            const std::vector<EstimatorStatistics>& leave_one_out,
                                            const std::vector<int>& logged_steps) const {
  EstimatorReport out;
  out.family = family();
  const CellParams& cell = context_.cell;
  const DynamicsCapabilities& dynamics = context_.dynamics;
  const Evaluation full = evaluate(total, steps_);
  std::vector<Evaluation> leave;
  for (const auto& rest : leave_one_out) leave.push_back(evaluate(rest, steps_));
  const bool noisy = dynamics.stochastic || cell.noise_floor > 0;
  // Guaranteed: the KL-chain bounds for a dynamics whose step is exactly the Gaussian kernel they
  // are derived for (sgd: an estimate of the SDE's bound), with every step's log det;
  // wang_mao_2022 for any dynamics made of gradient steps, noisy or not. The plug-in and the
  // second-order form are estimates.
  const bool exact_kernel = dynamics.gaussian_step && context_.config.logdet_every == 1;
  const std::int64_t count = total.moments.count();
  for (int k = 0; k < kCount; ++k) {
    BoundValue v;
    v.name = kNames[k];
    const bool kl_chain = k < wang_mao;
    if (!enabled()) v.reason = "not computed: [bounds] trajectory = false";
    else if (context_.bounded_loss < 0) v.reason = "the problem has no bounded evaluation loss";
    else if (kl_chain && !noisy)
      v.reason = cell.algorithm + " without a noise floor has no noise: the KL terms are infinite";
    else if (!kl_chain && !dynamics.gradient_steps) v.reason = "the dynamics does not declare gradient steps";
    else if (count == 0) v.reason = "no replicate with finite trajectory terms";
    else if (kl_chain && !logdet_defined_) v.reason = logdet_reason_;
    else if (k == iso_align && !dense_) v.reason = dense_reason_;
    else if ((k == iso_zero || k == iso_pop || k == iso_plugin) && full.iso_left_out == count)
      v.reason = "C_t numerically singular in every replicate";
    else if (k == iso_align && full.align_left_out == count)
      v.reason = "C_t or C_mu numerically singular in every replicate";
    else if (!kl_chain && count < 2) v.reason = "needs two replicates (the dispersion is a variance across them)";
    else if (!kl_chain && !context_.problem_capabilities.hessian)
      v.reason = "the problem has no exact Hessian: the choice of sigma needs the training loss's curvature";
    else if (k == wang_mao_taylor && full.hessian_gap == 0)
      v.reason = "E tr(H_mu - H_S) = 0 (a quadratic loss): the second-order form tends to 0 as sigma grows";
    else if (!std::isfinite(full.value[k])) v.reason = "not finite";
    v.defined = v.reason.empty();
    v.valid = v.defined && ((k == iso_zero || k == iso_pop || k == iso_align) ? exact_kernel
                            : k == wang_mao                                   ? dynamics.gradient_steps
                                                                              : false);
    set_bound_figures(v, k, full, leave);
    if (k == wang_mao) {
      const int last = static_cast<int>(perturbations_.size()) - 1;
      const bool edge = v.defined && (full.chosen == 0 || full.chosen == last);
      v.extras = {{"sigma", v.defined ? full.sigma : NAN},
                  {"at_edge", v.defined ? double(edge) : NAN},
                  {"sharpness", full.sharpness}};
      if (edge)
        v.note = std::string("sigma at the ") + (full.chosen == last ? "top" : "bottom") +
                 " of its range (perturbation std " + format_number(perturbations_.front()) + " to " +
                 format_number(perturbations_.back()) + " per coordinate): the rule asks for a " +
                 (full.chosen == last ? "larger" : "smaller") + " sigma, so the value depends on where the range ends";
      if (v.defined) {
        BoundCurve& c = v.curve;
        c.parameter = "sigma";
        c.description =
            "wang_mao_2022 at each sigma of its range: information term + |flatness term|. The value reported is at "
            "the sigma minimising the rule information term + (sigma^2 T / 2) (|E tr H_mu| + |E tr H_S|), which "
            "does not involve gen (docs/bounds.md, section 5)";
        for (std::size_t j = 0; j < perturbations_.size(); ++j) {
          c.at.push_back(perturbations_[j] / std::sqrt(double(steps_)));
          c.value.push_back(full.bound[j]);
          c.stderr_.push_back(
              jackknife_error_of(leave, [j](const Evaluation& e) { return e.bound.empty() ? NAN : e.bound[j]; }));
        }
        c.parts = {{"perturbation_std", perturbations_},
                   {"information_term", full.information},
                   {"flatness_term", full.flatness},
                   {"rule", full.rule}};
      }
    }
    if (k == wang_mao_taylor)
      v.extras = {{"sigma", v.defined ? full.sigma_taylor : NAN}, {"hessian_gap", full.hessian_gap}};
    if (v.defined && k < wang_mao && k != iso_plugin)
      for (int step : logged_steps) v.running.push_back(step == 0 ? 0.0 : evaluate(total, step).value[k]);
    out.bounds.push_back(v);
  }
  out.attributes = {{"logdet_every", std::int64_t{context_.config.logdet_every}},
                    {"logdet_sum_estimated", std::int64_t{context_.config.logdet_every > 1}},
                    {"trajectory_failed", total.failed()},
                    {"traj_iso_left_out", full.iso_left_out},
                    {"traj_align_left_out", full.align_left_out}};
  return out;
}

}  // namespace sdegen
