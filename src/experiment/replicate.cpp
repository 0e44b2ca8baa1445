// Runs one replicate and measures it at the logged steps. The noise statistics are those of the
// configured minibatch at W_t (the covariance of step t+1's noise), whatever the algorithm.
#include "sdegen/experiment/replicate.hpp"

#include <Eigen/Cholesky>
#include <cmath>

#include "sdegen/bounds/trajectory_terms.hpp"
#include "sdegen/dynamics/sde_noise.hpp"
#include "sdegen/dynamics/trainer.hpp"

namespace sdegen {

namespace {

// Beyond this magnitude a value's square (in M2) could overflow: the replicate counts as diverged.
constexpr double kDivergenceLimit = 1e100;

bool finite_and_bounded(const Eigen::Ref<const Vector>& v) {
  return v.allFinite() && (v.size() == 0 || v.cwiseAbs().maxCoeff() < kDivergenceLimit);
}

// Records the quantities at W_t into row k; returns false when a loss is not finite.
bool measure(const Problem& problem, const Dataset& data, const Vector& w, const Vector& w0,
             double kappa, const QuantityLayout& layout, int k, Matrix& example_grads,
             ReplicateTrace& trace) {
  const int losses = layout.loss_count;
  Vector empirical(losses), population(losses);
  problem.empirical_risks(data, w, empirical);
  problem.population_risks(w, population);
  if (!finite_and_bounded(empirical) || !finite_and_bounded(population)) return false;
  for (int l = 0; l < losses; ++l) {
    trace.values[layout.flat(k, layout.train(l))] = empirical[l];
    trace.values[layout.flat(k, layout.test(l))] = population[l];
    trace.values[layout.flat(k, layout.gen(l))] = population[l] - empirical[l];
  }
  problem.example_gradients(data, w, example_grads);
  const Vector gradient = example_grads.colwise().mean();
  example_grads.rowwise() -= gradient.transpose();  // centred: Gc
  const double n = static_cast<double>(data.size());
  trace.values[layout.flat(k, layout.grad_norm_sq())] = gradient.squaredNorm();
  trace.values[layout.flat(k, layout.noise_trace())] = kappa * example_grads.squaredNorm() / n;
  trace.values[layout.flat(k, layout.dist_init_sq())] = (w - w0).squaredNorm();
  if (!finite_and_bounded(trace.values.segment(layout.flat(k, 0), layout.width()))) return false;
  if (layout.logdet_defined && trace.logdet_ok) {
    Matrix sigma = Matrix::Zero(w.size(), w.size());
    sigma.selfadjointView<Eigen::Lower>().rankUpdate(example_grads.transpose(), 1.0 / n);
    Eigen::LLT<Matrix> chol(sigma);
    if (chol.info() != Eigen::Success) {
      trace.logdet_ok = false;
    } else {
      const double logdet_sigma = 2.0 * chol.matrixLLT().diagonal().array().log().sum();
      trace.logdet[k] = w.size() * std::log(kappa) + logdet_sigma;
      trace.logdet_ok = std::isfinite(trace.logdet[k]);
    }
  }
  return true;
}


// The flatness term of wang_mao_2022 for the bounded loss: for each perturbation scale s_j,
// the mean over K draws of [gen(W_T + s_j zeta) - gen(W_T)], with the same zeta for every s_j.
void flatness_terms(const Problem& problem, const Dataset& data, const Vector& w, const BoundLayout& bounds,
                    Stream& stream, Eigen::Ref<Eigen::VectorXd> out) {
  const int losses = static_cast<int>(problem.losses().size());
  Vector empirical(losses), population(losses);
  problem.empirical_risks(data, w, empirical);
  problem.population_risks(w, population);
  const double base = population[bounds.bounded_loss] - empirical[bounds.bounded_loss];
  out.setZero();
  Vector zeta(w.size());
  for (int k = 0; k < bounds.config.flatness_samples; ++k) {
    stream.fill_normal(zeta);
    for (int j = 0; j < out.size(); ++j) {
      const Vector perturbed = w + bounds.perturbations[j] * zeta;
      problem.empirical_risks(data, perturbed, empirical);
      problem.population_risks(perturbed, population);
      out[j] += population[bounds.bounded_loss] - empirical[bounds.bounded_loss] - base;
    }
  }
  out /= bounds.config.flatness_samples;
}

}  // namespace

void run_replicate(const Problem& problem, const CellParams& cell, const QuantityLayout& layout,
                   const BoundLayout& bounds, std::uint64_t seed, std::uint64_t replicate, ReplicateTrace& trace) {
  const auto cell_key = static_cast<std::uint64_t>(cell.index);
  Stream data_stream(seed, cell_key, replicate, Purpose::data);
  Stream init_stream(seed, cell_key, replicate, Purpose::init);
  const Dataset data = problem.sample(data_stream, cell.n);
  Vector w(problem.dim());
  init_stream.fill_normal(w);
  w *= cell.init;
  const Vector w0 = w;

  trace.values.resize(static_cast<Eigen::Index>(layout.steps.size()) * layout.width());
  trace.logdet.resize(static_cast<Eigen::Index>(layout.steps.size()));
  trace.diverged = false;
  trace.logdet_ok = layout.logdet_defined;
  const bool trajectory = bounds.config.trajectory;
  trace.trajectory.setZero(bounds.trajectory_size());
  trace.trajectory_ok = trajectory;
  trace.terminal = TerminalRecord();

  Trainer trainer(problem, data, cell, Stream(seed, cell_key, replicate, Purpose::batches),
                  Stream(seed, cell_key, replicate, Purpose::noise));
  const double kappa = minibatch_kappa(cell.n, cell.batch);
  Matrix example_grads(cell.n, problem.dim()), step_grads;
  TrajectoryWorkspace work;
  int t = 0;
  for (std::size_t k = 0; k < layout.steps.size(); ++k) {
    for (; t < layout.steps[k]; ++t) {
      if (trajectory) {  // terms of step t + 1 at W_t, from the gradients the step then reuses
        problem.example_gradients(data, w, step_grads);
        const bool thinned_step = t % bounds.logdet_every == 0;
        const TrajectoryTerms terms = trajectory_terms(problem, w, step_grads, kappa, cell.noise_floor,
                                                       bounds.logdet_defined && thinned_step, work);
        trace.trajectory[bounds.a_zero(t + 1)] = terms.a_zero;
        trace.trajectory[bounds.a_pop(t + 1)] = terms.a_pop;
        if (bounds.logdet_defined && thinned_step) {
          const int j = t / bounds.logdet_every;
          trace.trajectory[bounds.logdet(j)] = terms.logdet;
          trace.trajectory[bounds.align(j)] = terms.align;
          trace.trajectory_ok = trace.trajectory_ok && terms.logdet_ok;
        }
        trainer.step(t + 1, w, &step_grads);
      } else {
        trainer.step(t + 1, w);
      }
      if (!finite_and_bounded(w)) {
        trace.diverged = true;
        return;
      }
    }
    if (!measure(problem, data, w, w0, kappa, layout, static_cast<int>(k), example_grads, trace)) {
      trace.diverged = true;
      return;
    }
  }
  if (trajectory) {
    const double d = problem.dim();
    double logdet_sum = 0;
    for (int j = 0; j < bounds.thinned; ++j) logdet_sum += bounds.thinned_weight[j] * trace.trajectory[bounds.logdet(j)];
    double zero = 0, pop = 0;
    for (int s = 1; s <= cell.steps; ++s) {
      zero += d * std::log(trace.trajectory[bounds.a_zero(s)] / d);
      pop += d * std::log(trace.trajectory[bounds.a_pop(s)] / d);
    }
    trace.trajectory[bounds.plugin_zero()] = zero - logdet_sum;
    trace.trajectory[bounds.plugin_pop()] = pop - logdet_sum;
    Stream perturb_stream(seed, cell_key, replicate, Purpose::perturb);
    flatness_terms(problem, data, w, bounds, perturb_stream,
                   trace.trajectory.segment(bounds.flatness(0), static_cast<Eigen::Index>(bounds.perturbations.size())));
    trace.trajectory_ok = trace.trajectory_ok && trace.trajectory.allFinite();
  }
  if (bounds.config.terminal)
    trace.terminal = analyse_terminal_state(problem, cell, bounds, data, w, w0, seed, replicate);
}

}  // namespace sdegen
