// Evaluates every bound as a function of replicate means, then its jackknife error bar: the same
// function on the statistics without group g, for each non-empty group (groups are fixed sets of
// replicate blocks, so the error bar does not depend on the rank count either).
#include "sdegen/bounds/bound_values.hpp"

#include <cmath>
#include <limits>

#include "sdegen/dynamics/lr_schedule.hpp"
#include "sdegen/dynamics/sde_noise.hpp"

namespace sdegen {

const std::vector<std::string>& bound_names() {
  static const std::vector<std::string> names = {"traj_iso_zero", "traj_iso_pop", "traj_iso_plugin", "traj_align",
                                                 "wang_mao_2022", "term_xr",      "term_iso",        "term_init",
                                                 "term_negrea"};
  return names;
}

namespace {

enum Name { iso_zero, iso_pop, iso_plugin, align, wang_mao, term_xr, term_iso, term_init, term_negrea, kCount };

struct Evaluation {
  double value[kCount], mi[kCount];
  double sigma = NAN;
  double replace_train = NAN, replace_bounded = NAN, stationary = NAN, mahalanobis = NAN;
};

// Sum over steps 1..until of the thinned log det (or align) terms, each standing for its steps.
double thinned_sum(const Eigen::VectorXd& mean, const BoundLayout& b, int first_index, int until) {
  double sum = 0;
  for (int j = 0; j < b.thinned; ++j) {
    const int covered = std::min(b.thinned_weight[j], until - j * b.logdet_every);
    if (covered <= 0) break;
    sum += covered * mean[first_index + j];
  }
  return sum;
}

double bound_from_twice_mi(double twice_mi, double r, int n) { return std::sqrt(r * r / n * twice_mi); }

Evaluation evaluate(const CellParams& cell, const BoundLayout& b, const CellStatistics& s, int until) {
  Evaluation e;
  for (int k = 0; k < kCount; ++k) e.value[k] = e.mi[k] = NAN;
  const int n = cell.n;
  const double d = b.dim;
  if (s.trajectory.count() > 0) {
    const Eigen::VectorXd& m = s.trajectory.mean();
    double zero = 0, pop = 0, dispersion = 0;
    const LearningRateSchedule schedule(cell);
    for (int t = 1; t <= until; ++t) {
      zero += d * std::log(m[b.a_zero(t)] / d);
      pop += d * std::log(m[b.a_pop(t)] / d);
    }
    // Dispersion of the step's gradient around the prior mean grad L_mu(W_{t-1}), which depends on
    // W_{t-1} only: E||g - grad L_mu||^2 = ||G - grad L_mu||^2 + tr C = a_pop. (tr Sigma_mu / b
    // would be the dispersion only if W_{t-1} were independent of S.)
    for (int t = 1; t <= b.steps; ++t) dispersion += std::pow(schedule.at(t), 2) * m[b.a_pop(t)];
    if (b.logdet_defined) {
      const double logdet = thinned_sum(m, b, b.logdet(0), until);
      e.mi[iso_zero] = 0.5 * (zero - logdet);
      e.mi[iso_pop] = 0.5 * (pop - logdet);
      e.mi[align] = 0.5 * thinned_sum(m, b, b.align(0), until);
      if (until == b.steps) e.mi[iso_plugin] = 0.5 * m[b.plugin_pop()];
    }
    if (until == b.steps) {  // min over sigma of sqrt(R^2/n sum eta^2 V / sigma^2) + |flatness(sigma)|
      double best = std::numeric_limits<double>::infinity();
      for (std::size_t j = 0; j < b.perturbations.size(); ++j) {
        const double sigma = b.perturbations[j] / std::sqrt(double(b.steps));
        const double mi = dispersion / (2 * sigma * sigma);
        const double value = bound_from_twice_mi(2 * mi, b.r, n) + std::abs(m[b.flatness(static_cast<int>(j))]);
        if (value < best) {
          best = value;
          e.value[wang_mao] = value;
          e.mi[wang_mao] = mi;
          e.sigma = sigma;
        }
      }
    }
    for (int k : {iso_zero, iso_pop, iso_plugin, align}) e.value[k] = bound_from_twice_mi(2 * e.mi[k], b.r, n);
  }
  if (s.terminal.count() > 0) {
    const Eigen::VectorXd& m = s.terminal.mean();
    const double kappa = minibatch_kappa(cell.n, cell.batch);
    const double count = static_cast<double>(s.terminal.count());
    // E ||w* - w_bar||^2: the spread of w*_S across training sets (M2 / count).
    const double spread = s.terminal.m2().segment(b.w_star(), b.dim).sum() / count;
    if (kappa > 0) {
      const double scale = 2.0 / (kappa * b.terminal_eta);  // 2 b' / eta, b' = 1 / kappa
      e.mi[term_iso] = 0.5 * scale * spread;
      e.mi[term_init] = 0.5 * scale * m[b.dist_init_sq()];
    }
    if (s.terminal_xr.count() > 0) e.mi[term_xr] = 0.5 * s.terminal_xr.mean()[0];
    for (int k : {term_iso, term_init, term_xr}) e.value[k] = bound_from_twice_mi(2 * e.mi[k], b.r, n);
    // Negrea et al.: E_{S_J} sqrt(2 R^2 E[KL | S_J] / (n - m)). One KL sample per replicate cannot
    // estimate the inner expectation, and E sqrt(KL) is below it (Jensen); sqrt of the mean KL is
    // above it (Jensen again), so that is what is reported. The sample of sqrt terms is kept.
    e.mi[term_negrea] = m[b.negrea_kl()];
    e.value[term_negrea] = std::sqrt(2 * b.r * b.r * e.mi[term_negrea] / (n - b.negrea_m));
    e.replace_train = m[b.replace_one_train()];
    e.replace_bounded = m[b.replace_one_bounded()];
    e.mahalanobis = m[b.mahalanobis()];
    if (b.config.stationary_steps > 0)  // ||E[cov - Lambda_S]||_F / ||E Lambda_S||_F
      e.stationary = m.segment(b.stationary_difference(), b.dim * b.dim).norm() /
                     m.segment(b.lambda(), b.dim * b.dim).norm();
  }
  return e;
}

// Leave-one-group-out jackknife of every evaluated figure.
std::vector<Evaluation> jackknife(const CellParams& cell, const BoundLayout& b, const std::vector<CellStatistics>& groups,
                                  const QuantityLayout& layout) {
  std::vector<Evaluation> out;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].values.count() == 0) continue;
    CellStatistics rest(layout, b);
    for (std::size_t h = 0; h < groups.size(); ++h)
      if (h != g) rest.merge(groups[h]);
    out.push_back(evaluate(cell, b, rest, b.steps));
  }
  return out;
}

// sqrt((G-1)/G sum_g (theta_(g) - mean)^2) of the figure `pick` selects from each recomputation.
template <class Pick>
double jackknife_error(const std::vector<Evaluation>& leave_out, Pick pick) {
  const double g = static_cast<double>(leave_out.size());
  if (g < 2) return NAN;
  double mean = 0;
  for (const auto& e : leave_out) mean += pick(e) / g;
  double sum = 0;
  for (const auto& e : leave_out) sum += std::pow(pick(e) - mean, 2);
  return std::sqrt((g - 1) / g * sum);
}

double jackknife_error(const std::vector<Evaluation>& leave_out, double Evaluation::*field) {
  return jackknife_error(leave_out, [field](const Evaluation& e) { return e.*field; });
}

}  // namespace

CellBounds compute_bounds(const CellParams& cell, const Problem& problem, const QuantityLayout& layout,
                          const BoundLayout& b, const CellStatistics& total, const std::vector<CellStatistics>& groups) {
  CellBounds out;
  if (b.bounded_loss >= 0) {
    out.loss = problem.losses()[b.bounded_loss].name;
    out.r = b.r;
  }
  const Evaluation full = evaluate(cell, b, total, b.steps);
  const std::vector<Evaluation> leave_out = jackknife(cell, b, groups, layout);
  out.jackknife_groups = static_cast<int>(leave_out.size());
  const bool noisy = cell.algorithm != "gd" || cell.noise_floor > 0;
  for (int k = 0; k < kCount; ++k) {
    BoundValue v;
    v.name = bound_names()[k];
    const bool trajectory_family = k <= wang_mao;
    if (trajectory_family && !b.config.trajectory) v.reason = "not computed: [bounds] trajectory = false";
    else if (!trajectory_family && !b.config.terminal) v.reason = "not computed: [bounds] terminal = false";
    else if (b.bounded_loss < 0) v.reason = "the problem has no bounded evaluation loss";
    else if (trajectory_family && !noisy) v.reason = "gd without a noise floor has no noise: the KL terms are infinite";
    else if (trajectory_family && total.trajectory.count() == 0) v.reason = "no replicate with finite trajectory terms";
    else if (k < wang_mao && !b.logdet_defined) v.reason = b.logdet_reason;
    else if (!trajectory_family && total.terminal.count() == 0) v.reason = "no replicate with a terminal state (see terminal_failed)";
    else if ((k == term_iso || k == term_init) && cell.batch == cell.n) v.reason = "b = n: no minibatch noise";
    else if (k == term_xr && total.terminal_xr.count() == 0)
      v.reason = "needs w_bar and Lambda_bar over all replicates at once (not kept when replicate ranges are merged)";
    else if (!std::isfinite(full.value[k])) v.reason = "not finite";
    v.defined = v.reason.empty();
    // Guaranteed: the trajectory bounds for the SDE they are derived for (sgd: an estimate of
    // the SDE's bound); wang_mao_2022 for sgd and sde (a minimum of valid bounds on the same
    // expectation is valid). Terminal bounds assume the stationary Gaussian law of the
    // linearised SDE: estimates. The plug-in is an estimate by Jensen.
    // Exact sums need every step's log det and the one-step Gaussian kernel (substeps = 1).
    const bool exact_sde = cell.algorithm == "sde" && cell.substeps == 1 && b.logdet_every == 1;
    v.valid = v.defined && ((k == iso_zero || k == iso_pop || k == align) ? exact_sde
                            : k == wang_mao ? cell.algorithm != "gd" : false);
    if (v.defined) {
      v.value = full.value[k];
      v.mi = full.mi[k];
      v.stderr_ = jackknife_error(leave_out, [k](const Evaluation& e) { return e.value[k]; });
      if (k == wang_mao) v.sigma = full.sigma;
    } else {
      v.value = v.mi = v.stderr_ = NAN;
    }
    if (v.defined && k < wang_mao && k != iso_plugin)
      for (int step : layout.steps) v.running.push_back(step == 0 ? 0.0 : evaluate(cell, b, total, step).value[k]);
    out.bounds.push_back(v);
  }
  if (b.config.terminal && total.terminal.count() > 0) {
    out.replace_one_train = {full.replace_train, jackknife_error(leave_out, &Evaluation::replace_train), true};
    out.replace_one_bounded = {full.replace_bounded, jackknife_error(leave_out, &Evaluation::replace_bounded), true};
    out.terminal_mahalanobis = {full.mahalanobis, jackknife_error(leave_out, &Evaluation::mahalanobis), true};
    if (b.config.stationary_steps > 0)
      out.stationary_relerr = {full.stationary, jackknife_error(leave_out, &Evaluation::stationary), true};
  }
  return out;
}

}  // namespace sdegen
