// Runs one replicate and measures it at the logged steps. The noise statistics are those of the
// configured minibatch at W_t (the covariance of step t+1's noise), whatever the algorithm.
#include "sdegen/experiment/replicate.hpp"

#include <Eigen/Cholesky>
#include <cmath>

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

}  // namespace

void run_replicate(const Problem& problem, const CellParams& cell, const QuantityLayout& layout,
                   std::uint64_t seed, std::uint64_t replicate, ReplicateTrace& trace) {
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

  Trainer trainer(problem, data, cell, Stream(seed, cell_key, replicate, Purpose::batches),
                  Stream(seed, cell_key, replicate, Purpose::noise));
  const double kappa = minibatch_kappa(cell.n, cell.batch);
  Matrix example_grads(cell.n, problem.dim());
  int t = 0;
  for (std::size_t k = 0; k < layout.steps.size(); ++k) {
    for (; t < layout.steps[k]; ++t) {
      trainer.step(t + 1, w);
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
}

}  // namespace sdegen
