// Runs one replicate and measures it at the logged steps. The noise statistics are those of the
// configured minibatch at W_t (the covariance of step t+1's noise), whatever the dynamics.
#include "sdegen/experiment/replicate.hpp"

#include <cmath>

#include "sdegen/dynamics/dynamics_registry.hpp"
#include "sdegen/dynamics/sde_noise.hpp"
#include "sdegen/linalg/cholesky_in_place.hpp"
#include "sdegen/linalg/symmetric_gram.hpp"
#include "sdegen/problems/sample_population.hpp"
#include "sdegen/random/replicate_streams.hpp"

namespace sdegen {

namespace {

// Beyond this magnitude a value's square (in M2) could overflow: the replicate counts as diverged.
constexpr double kDivergenceLimit = 1e100;

bool finite_and_bounded(const Eigen::Ref<const Vector>& v) {
  return v.allFinite() && (v.size() == 0 || v.cwiseAbs().maxCoeff() < kDivergenceLimit);
}

// Records the quantities at W_t into row k; returns false when a loss is not finite.
bool measure(const Problem& problem, const Population& population, const Dataset& data, const Vector& w,
             const Vector& w0, double kappa, const QuantityLayout& layout, int k, Matrix& example_grads,
             ReplicateTrace& trace) {
  const int losses = layout.loss_count;
  Vector empirical(losses), risks(losses);
  problem.empirical_risks(data, w, empirical);
  population.population_risks(w, risks);
  if (!finite_and_bounded(empirical) || !finite_and_bounded(risks)) return false;
  for (int l = 0; l < losses; ++l) {
    trace.values[layout.flat(k, layout.train(l))] = empirical[l];
    trace.values[layout.flat(k, layout.test(l))] = risks[l];
    trace.values[layout.flat(k, layout.gen(l))] = risks[l] - empirical[l];
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
    add_symmetric_gram(example_grads, 1.0 / n, sigma);
    double logdet_sigma = 0;
    if (!cholesky_logdet(sigma, logdet_sigma)) {
      trace.logdet_ok = false;
    } else {
      trace.logdet[k] = w.size() * std::log(kappa) + logdet_sigma;
      trace.logdet_ok = std::isfinite(trace.logdet[k]);
    }
  }
  return true;
}

// S from Purpose::data, unless an enabled estimator's design draws it (the nested supersample design).
Dataset draw_training_set(const CellSetup& setup, const ReplicateStreams& streams) {
  for (const auto& e : setup.estimators)
    if (e->enabled() && e->draws_training_set()) return e->training_set(streams);
  Stream data_stream = streams.get(Purpose::data);
  return setup.problem->sample(data_stream, setup.cell.n);
}

}  // namespace

void run_replicate(const CellSetup& setup, std::uint64_t seed, std::uint64_t replicate, ReplicateTrace& trace) {
  const CellParams& cell = setup.cell;
  const Problem& problem = *setup.problem;
  const QuantityLayout& layout = setup.layout;
  const ReplicateStreams streams(seed, cell.keys, replicate);
  // W_0: the replicate's own, or replicate 0's for every replicate (one shared initialisation).
  Stream init_stream = cell.init_draw == "shared" ? ReplicateStreams(seed, cell.keys, 0).get(Purpose::init)
                                                  : streams.get(Purpose::init);
  const Dataset data = draw_training_set(setup, streams);
  // Population quantities: closed form, exact over a table, or estimated from a held-out sample
  // independent of S.
  Dataset holdout;
  std::unique_ptr<SamplePopulation> estimated;
  if (setup.population == PopulationSource::held_out) {
    Stream holdout_stream = streams.get(Purpose::holdout);
    holdout = problem.sample(holdout_stream, cell.holdout);
    estimated = std::make_unique<SamplePopulation>(problem, holdout, PopulationSource::held_out);
  }
  const Population& population = estimated      ? *estimated
                                 : setup.finite ? *setup.finite
                                                : *problem.closed_form_population();
  Vector w;
  problem.initial_weights(init_stream, cell.init, w);
  const Vector w0 = w;

  trace.values.resize(static_cast<Eigen::Index>(layout.steps.size()) * layout.width());
  trace.logdet.resize(static_cast<Eigen::Index>(layout.steps.size()));
  trace.diverged = false;
  trace.logdet_ok = layout.logdet_defined;
  trace.estimators.resize(setup.estimators.size());
  bool step_gradients = false, test_points = false, steps_taken = false;
  for (std::size_t e = 0; e < setup.estimators.size(); ++e) {
    setup.estimators[e]->begin(trace.estimators[e]);
    step_gradients = step_gradients || (setup.estimators[e]->enabled() && setup.estimators[e]->needs_step_gradients());
    test_points = test_points || (setup.estimators[e]->enabled() && setup.estimators[e]->needs_test_points());
    steps_taken = steps_taken || (setup.estimators[e]->enabled() && setup.estimators[e]->needs_steps_taken());
  }
  Dataset test;  // n fresh points, independent of everything else the replicate draws
  if (test_points) {
    Stream test_stream = streams.get(Purpose::test);
    test = problem.sample(test_stream, cell.n);
  }

  const auto dynamics =
      make_dynamics(problem, data, cell, TrainingStreams{streams.get(Purpose::batches), streams.get(Purpose::noise)});
  const double kappa = minibatch_kappa(cell.n, cell.batch);
  Matrix example_grads(cell.n, problem.dim()), step_grads;
  Vector step_scales, step_mean;
  // G at each step as the steps compute it, a weighted sum with weights 1/n.
  const Matrix mean_weights = Matrix::Constant(cell.n, 1, 1.0 / cell.n);
  Matrix mean_sums, mean_rows;
  GradientScratch gradient_scratch;
  Vector previous;
  int t = 0;
  for (std::size_t k = 0; k < layout.steps.size(); ++k) {
    for (; t < layout.steps[k]; ++t) {
      if (steps_taken) previous = w;
      if (step_gradients) {  // the estimators see W_t before step t + 1
        // A margin model's gradients are scaled rows of X: the estimators read them so, without an
        // n x d matrix, and the step reuses the scales and G, computing from them what it computes
        // without bounds (sgd reads its batch rows itself). Other models form the matrix once,
        // and step t + 1 reuses it.
        const bool scaled = problem.example_gradient_scales(data, w, step_scales, gradient_scratch);
        if (!scaled) problem.example_gradients(data, w, step_grads);
        const ExampleGradients formed = scaled ? ExampleGradients(data.X, step_scales) : ExampleGradients(step_grads);
        formed.weighted_sums(mean_weights, mean_sums, mean_rows);
        step_mean = mean_sums.col(0);
        const ExampleGradients gradients = formed.with_mean(step_mean);
        const StepView view{t + 1, w, gradients, population};
        for (std::size_t e = 0; e < setup.estimators.size(); ++e)
          if (setup.estimators[e]->enabled()) setup.estimators[e]->at_step(view, trace.estimators[e]);
        dynamics->step(t + 1, w, &gradients);
      } else {
        dynamics->step(t + 1, w);
      }
      if (!finite_and_bounded(w)) {
        trace.diverged = true;
        return;
      }
      if (steps_taken) {
        const StepTaken taken{t + 1, previous, w};
        for (std::size_t e = 0; e < setup.estimators.size(); ++e)
          if (setup.estimators[e]->enabled()) setup.estimators[e]->after_step(taken, trace.estimators[e]);
      }
    }
    if (!measure(problem, population, data, w, w0, kappa, layout, static_cast<int>(k), example_grads, trace)) {
      trace.diverged = true;
      return;
    }
    const LoggedView logged{static_cast<int>(k), layout.steps[k], w, data, test_points ? &test : nullptr, layout,
                            trace.values.segment(layout.flat(static_cast<int>(k), 0), layout.width())};
    for (std::size_t e = 0; e < setup.estimators.size(); ++e)
      if (setup.estimators[e]->enabled()) setup.estimators[e]->at_logged_step(logged, trace.estimators[e]);
  }
  const EndView end{data, population, w0, w, streams};
  for (std::size_t e = 0; e < setup.estimators.size(); ++e)
    if (setup.estimators[e]->enabled()) setup.estimators[e]->at_end(end, trace.estimators[e]);
}

}  // namespace sdegen
