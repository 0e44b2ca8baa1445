// Terminal-state analysis. The coupled runs reuse the replicate's own batch and noise streams,
// so S, S_J and S^(i) differ only in their data (docs/bounds.md, sections 6.4 and 6.5).
#include "sdegen/bounds/terminal_state.hpp"

#include <cmath>

#include "sdegen/bounds/gaussian_kl.hpp"
#include "sdegen/bounds/lyapunov.hpp"
#include "sdegen/bounds/minimizer.hpp"
#include "sdegen/dynamics/sde_noise.hpp"
#include "sdegen/dynamics/dynamics_registry.hpp"

namespace sdegen {

const char* failure_name(TerminalFailure failure) {
  switch (failure) {
    case TerminalFailure::none: return "none";
    case TerminalFailure::no_minimum: return "no_minimum";
    case TerminalFailure::hessian_not_pd: return "hessian_not_pd";
    case TerminalFailure::edge_of_stability: return "edge_of_stability";
    case TerminalFailure::coupled_diverged: return "coupled_diverged";
    case TerminalFailure::count: break;
  }
  return "unknown";
}

namespace {

// Smallest Hessian eigenvalue accepted at w*_S (losses and inputs here are of order 1).
constexpr double kFlatCurvature = 1e-6;
// The engine's divergence limit: a squared figure beyond it could overflow M2.
constexpr double kDivergenceLimit = 1e100;

struct Stationary {
  TerminalFailure failure = TerminalFailure::none;
  Vector w_star;
  Matrix lambda;
};

// w*_S, then Lambda_S from the discrete Lyapunov equation with C_S = kappa Sigma_S(w*) + lambda I.
Stationary stationary_law(const Problem& problem, const Dataset& data, const Vector& start, int batch,
                          double noise_floor, double eta, int substeps, double tolerance) {
  Stationary out;
  const MinimizerResult minimum = find_minimum(problem, data, start, tolerance, 100);
  if (!minimum.converged) {
    out.failure = TerminalFailure::no_minimum;
    return out;
  }
  out.w_star = minimum.w;
  Matrix grads;
  problem.example_gradients(data, out.w_star, grads);
  Matrix c = minibatch_kappa(data.size(), batch) * empirical_gradient_covariance(grads);
  c.diagonal().array() += noise_floor;
  const LyapunovSolution solution = solve_lyapunov(problem.empirical_hessian(data, out.w_star), c, eta, substeps);
  // A numerically flat direction means no minimum at finite distance (e.g. separable logistic
  // data, where Newton stops on a tiny gradient far out): Lambda_S would be meaningless there.
  if (!solution.positive_definite || solution.lambda_min < kFlatCurvature) out.failure = TerminalFailure::hessian_not_pd;
  else if (solution.edge_of_stability) out.failure = TerminalFailure::edge_of_stability;
  else if (!solution.discrete.allFinite() || !std::isfinite(log_det_spd(solution.discrete)))
    out.failure = TerminalFailure::hessian_not_pd;
  out.lambda = solution.discrete;
  return out;
}

Dataset rows_of(const Dataset& data, const Eigen::VectorXi& rows) {
  Dataset out;
  out.X = data.X(rows, Eigen::all);
  if (data.y.size() > 0) out.y = data.y(rows);
  return out;
}

// Losses of one example (row i of `data`) at w.
Vector example_losses(const Problem& problem, const Dataset& data, int i, const Vector& w) {
  Dataset one;
  one.X = data.X.row(i);
  if (data.y.size() > 0) one.y = data.y.segment(i, 1);
  Vector out(problem.losses().size());
  problem.empirical_risks(one, w, out);
  return out;
}

}  // namespace

void analyse_terminal_state(const BoundContext& context, const TerminalLayout& layout, const EndView& end,
                            EstimatorRecord& record) {
  const Problem& problem = *context.problem;
  const CellParams& cell = context.cell;
  const Dataset& data = end.data;
  const Vector& w_final = end.w;
  const Vector& w0 = end.w0;
  const double eta = layout.terminal_eta;
  auto fail = [&](TerminalFailure f) { record.failure = static_cast<int>(f); };
  auto training = [&](Purpose batches, Purpose noise) {
    return TrainingStreams{end.streams.get(batches), end.streams.get(noise)};
  };

  const int d = layout.dim;
  Stationary main;
  if (layout.stationary_law) {
    main = stationary_law(problem, data, w_final, cell.batch, cell.noise_floor, eta, layout.substeps,
                          context.config.newton_tol);
    if (main.failure != TerminalFailure::none) return fail(main.failure);
    record.values.segment(layout.w_star(), d) = main.w_star;
    record.values.segment(layout.lambda(), d * d) = Eigen::Map<const Eigen::VectorXd>(main.lambda.data(), d * d);
    record.values[layout.lambda_logdet()] = log_det_spd(main.lambda);
    record.values[layout.dist_init_sq()] = (main.w_star - w0).squaredNorm();
    // Is W_T plausibly a draw from N(w*_S, Lambda_S)? About 1 when it is (chi^2_d / d).
    record.values[layout.mahalanobis()] = twice_gaussian_kl(w_final, main.lambda, main.w_star, main.lambda) / d;
  }

  // term_negrea: the same dynamics on S_J, |J| = m, from the same W_0 with the same streams.
  if (layout.negrea_run) {
    Stream subset_stream = end.streams.get(Purpose::subset);
    Eigen::VectorXi order = Eigen::VectorXi::LinSpaced(cell.n, 0, cell.n - 1);
    for (int k = 0; k < layout.negrea_m; ++k) std::swap(order[k], order[k + static_cast<int>(subset_stream.below(cell.n - k))]);
    const Dataset subset = rows_of(data, order.head(layout.negrea_m));
    CellParams sub = cell;
    sub.n = layout.negrea_m;
    const auto dynamics = make_dynamics(problem, subset, sub, training(Purpose::batches, Purpose::noise));
    Vector w = w0;
    if (!train_steps(*dynamics, 1, cell.steps, w)) return fail(TerminalFailure::coupled_diverged);
    const Stationary prior = stationary_law(problem, subset, w, cell.batch, cell.noise_floor, eta, layout.substeps,
                                            context.config.newton_tol);
    if (prior.failure != TerminalFailure::none) return fail(prior.failure);
    const double kl = 0.5 * twice_gaussian_kl(main.w_star, main.lambda, prior.w_star, prior.lambda);
    if (!std::isfinite(kl)) return fail(TerminalFailure::hessian_not_pd);
    record.values[layout.negrea()] = std::sqrt(2 * context.r * context.r * kl / (cell.n - layout.negrea_m));
    record.values[layout.negrea_kl()] = kl;
  }

  // Replace-one gen: S^(i) has Z_i replaced by a fresh example; same W_0 and streams.
  {
    Stream replace_stream = end.streams.get(Purpose::replace);
    const int i = static_cast<int>(replace_stream.below(cell.n));
    Dataset replaced = data;
    const Dataset fresh = problem.sample(replace_stream, 1);
    replaced.X.row(i) = fresh.X.row(0);
    if (replaced.y.size() > 0) replaced.y[i] = fresh.y[0];
    const auto dynamics = make_dynamics(problem, replaced, cell, training(Purpose::batches, Purpose::noise));
    Vector w = w0;
    if (!train_steps(*dynamics, 1, cell.steps, w)) return fail(TerminalFailure::coupled_diverged);
    const Vector difference = example_losses(problem, data, i, w) - example_losses(problem, data, i, w_final);
    record.values[layout.replace_one_train()] = difference[0];
    record.values[layout.replace_one_bounded()] = difference[context.bounded_loss];
  }

  // Stationary check: K more steps at the terminal rate; the covariance of those iterates about
  // w* (the stationary mean) minus Lambda_S. Averaged over replicates, the difference converges
  // to the systematic error; a per-replicate relative error would keep a noise floor of order
  // sqrt(correlation time / K) however many replicates are run.
  if (layout.stationary_law && context.config.stationary_steps > 0) {
    CellParams fixed = cell;
    fixed.lr = eta;
    fixed.lr_schedule = "constant";
    const auto dynamics =
        make_dynamics(problem, data, fixed, training(Purpose::stationary_batches, Purpose::stationary_noise));
    const int k = context.config.stationary_steps;
    Matrix iterates(k, d);
    Vector w = w_final;
    for (int t = 1; t <= k; ++t) {
      dynamics->step(t, w);
      if (!w.allFinite()) return fail(TerminalFailure::coupled_diverged);
      iterates.row(t - 1) = w.transpose();
    }
    const Matrix centred = iterates.rowwise() - main.w_star.transpose();
    const Matrix difference = centred.transpose() * centred / k - main.lambda;
    record.values.segment(layout.stationary_difference(), d * d) = Eigen::Map<const Eigen::VectorXd>(difference.data(), d * d);
  }
  // A figure whose square could overflow the accumulator's M2 (the engine's divergence limit)
  // comes from a coupled run that blew up: the extra steps beyond a noise-driven edge of stability.
  if (!record.values.allFinite() || record.values.cwiseAbs().maxCoeff() >= kDivergenceLimit)
    return fail(TerminalFailure::coupled_diverged);
}

}  // namespace sdegen
