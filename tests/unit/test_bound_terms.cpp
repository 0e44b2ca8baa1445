// Tests of the trajectory-bound ingredients: the per-step KL term against the Gaussian KL with
// eta written out (eta cancels), and the stationary covariance of long SDE runs against Lyapunov.
#include <catch2/catch.hpp>

#include <cmath>

#include "sdegen/bounds/gaussian_kl.hpp"
#include "sdegen/bounds/lyapunov.hpp"
#include "sdegen/bounds/minimizer.hpp"
#include "sdegen/bounds/trajectory_terms.hpp"
#include "sdegen/dynamics/sde_noise.hpp"
#include "sdegen/dynamics/dynamics_registry.hpp"
#include "sdegen/problems/linreg.hpp"

using namespace sdegen;

TEST_CASE("the traj_iso step term is the Gaussian KL of one SDE step for every eta") {
  // d = 13 is not a multiple of the kernels' tile and vector widths.
  const int dim = GENERATE(4, 13);
  LinearRegression problem(dim, 0.5, 1, 0.5, 0);
  Stream stream(3, 0, 0, Purpose::data);
  const Dataset data = problem.sample(stream, 25);
  const Vector w = Vector::LinSpaced(dim, -0.3, 0.4);
  Matrix grads;
  problem.example_gradients(data, w, grads);
  const double kappa = minibatch_kappa(25, 5);
  TrajectoryWorkspace work;
  const TrajectoryTerms terms = trajectory_terms(problem, w, grads, kappa, 0.0, true, true, work);
  REQUIRE(terms.logdet_ok);
  const Vector g = grads.colwise().mean().transpose();
  const Matrix c = kappa * empirical_gradient_covariance(grads);
  const Vector g_pop = problem.population_gradient(w);
  const Matrix c_mu = kappa * problem.population_gradient_covariance(w);
  // With one replicate, A = ||G - g~||^2 + tr C and the per-step bound term is d log(A/d) - log det C.
  const double d = dim;
  const double iso_term = d * std::log(terms.a_pop / d) - terms.logdet;
  for (double eta : {1e-3, 0.05, 0.7}) {
    INFO("eta " << eta);
    // KL(N(w - eta G, eta^2 C) || N(w - eta g~, eta^2 s^2 I)) with s^2 = A / d, written out.
    const double s2 = terms.a_pop / d;
    const double twice_kl = twice_gaussian_kl(w - eta * g, eta * eta * c, w - eta * g_pop,
                                              eta * eta * s2 * Matrix::Identity(dim, dim));
    CHECK(twice_kl == Approx(iso_term).epsilon(1e-9));
    // traj_align: prior N(w - eta grad L_mu, eta^2 C_mu).
    CHECK(twice_gaussian_kl(w - eta * g, eta * eta * c, w - eta * g_pop, eta * eta * c_mu) ==
          Approx(terms.align).epsilon(1e-9));
  }
  CHECK(terms.a_zero == Approx(g.squaredNorm() + c.trace()).epsilon(1e-12));
  CHECK(terms.logdet == Approx(log_det_spd(c)).epsilon(1e-12));
}

namespace {

struct LongRun {
  double worst = 0, linearised = 0;  // largest |z| against the exact fixed point, the linearised Lambda_S
  double linearisation_error = 0;    // ||exact - linearised|| / ||linearised||
  double eta_lambda_max = 0;         // eta lambda_max(H_S)
};

// One training set; the SDE (k substeps) started at w*_S; the covariance of its iterates, with
// batch-means standard errors per entry, against the discrete Lyapunov solution. C(w) depends on
// w, so the exact stationary covariance solves it with E[C(w*+delta)] for delta ~ (0, Lambda): for
// linreg that is kappa [Sigma_S(w*) + (1/n) sum_i (x_i^T Lambda x_i) x_i x_i^T - H Lambda H], a
// fixed point. The linearised Lambda_S (C at w*) is its first-order approximation.
LongRun long_sde_run(double eta, int substeps, int batches, int per_batch) {
  const int n = 60, d = 3, batch = 6;
  LinearRegression problem(d, 0.8, 1, 0, 0);
  Stream stream(4, 0, 0, Purpose::data);
  const Dataset data = problem.sample(stream, n);
  const MinimizerResult minimum = find_minimum(problem, data, Vector::Zero(d), 1e-12, 50);
  REQUIRE(minimum.converged);
  Matrix grads;
  problem.example_gradients(data, minimum.w, grads);
  const Matrix c = minibatch_kappa(n, batch) * empirical_gradient_covariance(grads);
  const Matrix h = problem.empirical_hessian(data, minimum.w);
  const LyapunovSolution lyapunov = solve_lyapunov(h, c, eta, substeps);
  REQUIRE(!lyapunov.edge_of_stability);
  LongRun out;
  out.eta_lambda_max = eta * lyapunov.lambda_max;
  const double kappa = minibatch_kappa(n, batch);
  Matrix exact = lyapunov.discrete;
  for (int iteration = 0; iteration < 100; ++iteration) {
    const Vector quad = (data.X * exact).cwiseProduct(data.X).rowwise().sum();  // x_i^T Lambda x_i
    const Matrix mean_c = c + kappa * (data.X.transpose() * quad.asDiagonal() * data.X / n - h * exact * h);
    exact = solve_lyapunov(h, mean_c, eta, substeps).discrete;
  }

  CellParams cell;
  cell.n = n;
  cell.batch = batch;
  cell.algorithm = "sde";
  cell.lr = eta;
  cell.lr_schedule = "constant";
  cell.sampling = "fresh";
  cell.substeps = substeps;
  const auto trainer = make_dynamics(problem, data, cell, {Stream(4, 0, 0, Purpose::batches), Stream(4, 0, 0, Purpose::noise)});
  Vector w = minimum.w;
  std::vector<Matrix> batch_cov;
  for (int t = 1; t <= 2000; ++t) trainer->step(t, w);  // burn-in
  for (int k = 0; k < batches; ++k) {
    Matrix second = Matrix::Zero(d, d);
    for (int t = 0; t < per_batch; ++t) {
      trainer->step(t + 1, w);
      const Vector delta = w - minimum.w;  // the stationary mean is w* (linear drift)
      second += delta * delta.transpose();
    }
    batch_cov.push_back(second / per_batch);
  }
  for (int i = 0; i < d; ++i)
    for (int j = 0; j <= i; ++j) {
      Eigen::VectorXd e(batches);
      for (int k = 0; k < batches; ++k) e[k] = batch_cov[k](i, j);
      const double se = std::sqrt((e.array() - e.mean()).square().sum() / (batches - 1) / batches);
      out.worst = std::max(out.worst, std::abs(e.mean() - exact(i, j)) / se);
      out.linearised = std::max(out.linearised, std::abs(e.mean() - lyapunov.discrete(i, j)) / se);
    }
  out.linearisation_error = (exact - lyapunov.discrete).norm() / lyapunov.discrete.norm();
  return out;
}

}  // namespace

TEST_CASE("long SDE runs on linreg have the discrete Lyapunov covariance around w*") {
  const LongRun run = long_sde_run(0.2, 1, 100, 4000);
  INFO("largest z against the exact fixed point " << run.worst << ", against the linearised Lambda_S "
                                                  << run.linearised);
  CHECK(run.worst < 4.5);  // max of 6 z-scores
  // The linearisation error is a few per cent here: far beyond this test's resolution.
  CHECK(run.linearisation_error < 0.1);
  CHECK(run.linearised > 4.5);
}

TEST_CASE("with k substeps the SDE's stationary covariance is the Lyapunov solution at eta / k") {
  // eta lambda_max(H_S) is 2.2 here: one step of eta has no stationary law, four substeps of
  // eta / 4 (0.55) do, and the iterates' covariance is the k-substep solution. The noise is large
  // at this eta, so the linearised Lambda_S is far off; the exact fixed point is not.
  const LongRun run = long_sde_run(1.6, 4, 100, 2000);
  REQUIRE(run.eta_lambda_max > 2);
  INFO("largest z against the exact fixed point " << run.worst << ", against the linearised Lambda_S "
                                                  << run.linearised << "; linearisation error "
                                                  << run.linearisation_error << "; eta lambda_max "
                                                  << run.eta_lambda_max);
  CHECK(run.worst < 4.5);
}
