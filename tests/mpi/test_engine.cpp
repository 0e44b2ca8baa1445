// The distributed engine against closed forms (science.md) and against a serial fold:
// gen of gaussian-mean and converged linreg, one-step linreg moments that pin kappa and the
// sampling, divergence accounting, and bit-identical merges whatever the rank count.
#include <catch2/catch.hpp>

#include <Eigen/Eigenvalues>
#include <cmath>

#include "sdegen/bounds/bound_values.hpp"
#include "sdegen/config/config.hpp"
#include "sdegen/experiment/experiment.hpp"
#include "sdegen/mpi/communicator.hpp"
#include "sdegen/problems/linreg.hpp"

using namespace sdegen;

namespace {

struct Run {
  ExperimentSetup setup;
  std::vector<CellStatistics> stats;  // every rank gets rank 0's result (broadcast below)
  std::vector<std::vector<CellStatistics>> groups;

  CellBounds bounds(int cell) const {
    return compute_bounds(setup.grid.cells[cell], *setup.problems[cell], setup.layouts[cell],
                          setup.bound_layouts[cell], stats[cell], groups[cell]);
  }
};

// Rank 0's statistics on every rank.
CellStatistics broadcast(const Communicator& comm, const CellStatistics& stats, const QuantityLayout& layout,
                         const BoundLayout& bounds) {
  std::vector<double> packed;
  if (comm.is_root()) stats.pack(packed);
  int size = static_cast<int>(packed.size());
  MPI_Bcast(&size, 1, MPI_INT, 0, comm.comm);
  packed.resize(static_cast<std::size_t>(size));
  MPI_Bcast(packed.data(), size, MPI_DOUBLE, 0, comm.comm);
  return comm.is_root() ? stats : CellStatistics::unpack(packed, layout, bounds);
}

// Runs an experiment on all ranks and broadcasts rank 0's merged statistics, so that every
// rank checks the same numbers.
Run run(std::vector<std::string> args) {
  Run r;
  r.setup = make_setup(parse_run_command_line(args).config);
  const Communicator comm = Communicator::world();
  const ExperimentResult result = run_experiment(r.setup, comm, false);
  const int groups = r.setup.bounds.jackknife_groups;
  for (std::size_t c = 0; c < r.setup.grid.cells.size(); ++c) {
    const auto& layout = r.setup.layouts[c];
    const auto& bounds = r.setup.bound_layouts[c];
    r.stats.push_back(broadcast(comm, comm.is_root() ? result.cells[c] : CellStatistics(), layout, bounds));
    r.groups.emplace_back();
    for (int g = 0; g < groups; ++g)
      r.groups.back().push_back(broadcast(comm, comm.is_root() ? result.groups[c][g] : CellStatistics(), layout, bounds));
  }
  return r;
}

struct Moment {
  double mean, se;
};
Moment at(const Run& r, int cell, int logged_step, int column) {
  const auto& layout = r.setup.layouts[cell];
  const int k = layout.flat(logged_step, column);
  return {r.stats[cell].values.mean()[k], r.stats[cell].values.standard_error()[k]};
}

}  // namespace

TEST_CASE("gaussian-mean: SGD, SDE and GD match gen = (2 d s^2 / n)(1 - (1 - 2 eta)^T) at every logged step") {
  const int d = 4, n = 12, steps = 20;
  const double s = 0.7, eta = 0.03;
  const Run r = run({"--problem.name", "gaussian-mean", "--problem.dim", "4", "--problem.noise", "0.7",
                     "--data.n", "12", "--train.algorithm", "sgd sde gd", "--train.lr", "0.03", "--train.batch", "3",
                     "--train.steps", "20", "--train.log_every", "10", "--mc.replicates", "6000", "--mc.seed", "21"});
  for (int cell = 0; cell < 3; ++cell) {
    INFO("algorithm " << r.setup.grid.cells[cell].algorithm);
    CHECK(r.stats[cell].diverged == 0);
    const auto& steps_logged = r.setup.layouts[cell].steps;
    for (std::size_t k = 1; k < steps_logged.size(); ++k) {
      const double exact = 2 * d * s * s / n * (1 - std::pow(1 - 2 * eta, steps_logged[k]));
      const Moment gen = at(r, cell, static_cast<int>(k), r.setup.layouts[cell].gen(0));
      INFO("step " << steps_logged[k] << ": gen " << gen.mean << " ± " << gen.se << ", exact " << exact);
      CHECK(std::abs(gen.mean - exact) < 4 * gen.se);
    }
    (void)steps;
  }
}

TEST_CASE("linreg: GD run to convergence matches the least-squares gen (s^2/2)(d/(n-d-1) + d/n)") {
  const int d = 5, n = 40;
  const double s = 1.0;
  const Run r = run({"--problem.dim", "5", "--data.n", "40", "--train.algorithm", "gd", "--train.lr", "0.5",
                     "--train.steps", "300", "--train.log_every", "300", "--mc.replicates", "6000", "--mc.seed", "22"});
  const double exact = s * s / 2 * (double(d) / (n - d - 1) + double(d) / n);
  const Moment gen = at(r, 0, 1, r.setup.layouts[0].gen(0));
  INFO("gen " << gen.mean << " ± " << gen.se << ", exact " << exact);
  CHECK(std::abs(gen.mean - exact) < 4 * gen.se);
  const Moment grad = at(r, 0, 1, r.setup.layouts[0].grad_norm_sq());
  CHECK(grad.mean < 1e-20);  // converged
}

TEST_CASE("linreg one step from 0: E L_mu(W_1) and E tr C_1 pin kappa and without-replacement batches") {
  // science.md: E L_mu(W_1) = 1/2 [(1 - eta)^2 + eta^2 (d + 1 + s^2 d) / b + s^2], the same for
  // sgd and sde, and E tr C_1 = kappa (1 - 1/n)(d + 1 + s^2 d).
  const int d = 4, n = 10, b = 3;
  const double s = 0.5, eta = 0.6;
  const Run r = run({"--problem.dim", "4", "--problem.noise", "0.5", "--data.n", "10", "--train.batch", "3",
                     "--train.algorithm", "sgd sde", "--train.lr", "0.6", "--train.steps", "1", "--mc.replicates",
                     "20000", "--mc.seed", "23"});
  const double q = d + 1 + s * s * d;
  const double exact_test = 0.5 * (std::pow(1 - eta, 2) + eta * eta * q / b + s * s);
  const double kappa = double(n - b) / (b * (n - 1.0));
  const double exact_trace = kappa * (1 - 1.0 / n) * q;
  for (int cell = 0; cell < 2; ++cell) {
    INFO("algorithm " << r.setup.grid.cells[cell].algorithm);
    const Moment test = at(r, cell, 1, r.setup.layouts[cell].test(0));
    INFO("E L_mu(W_1) " << test.mean << " ± " << test.se << ", exact " << exact_test);
    CHECK(std::abs(test.mean - exact_test) < 4 * test.se);
    const Moment trace = at(r, cell, 0, r.setup.layouts[cell].noise_trace());
    INFO("E tr C_1 " << trace.mean << " ± " << trace.se << ", exact " << exact_trace);
    CHECK(std::abs(trace.mean - exact_trace) < 4 * trace.se);
  }
}

TEST_CASE("results equal a serial fold of the blocks, bit for bit, whatever the rank count") {
  const Run r = run({"--problem.name", "logistic linreg", "--data.n", "15 31", "--problem.dim", "3",
                     "--train.algorithm", "sgd sde", "--train.steps", "25", "--train.log_every", "7",
                     "--mc.replicates", "45", "--mc.block", "4", "--train.substeps", "2", "--bounds.trajectory",
                     "--bounds.terminal", "--bounds.stationary_steps", "5", "--bounds.logdet_every", "3"});
  for (const auto& cell : r.setup.grid.cells) {
    const auto& layout = r.setup.layouts[cell.index];
    const auto& bounds = r.setup.bound_layouts[cell.index];
    CellStatistics serial(layout, bounds);
    ReplicateTrace trace;
    for (int first = 0; first < 45; first += 4) {
      CellStatistics block(layout, bounds);
      for (int rep = first; rep < std::min(first + 4, 45); ++rep) {
        run_replicate(*r.setup.problems[cell.index], cell, layout, bounds, r.setup.seed,
                      static_cast<std::uint64_t>(rep), trace);
        block.add(trace);
      }
      serial.merge(block);
    }
    const CellStatistics& got = r.stats[cell.index];
    CHECK(got.values.count() == serial.values.count());
    CHECK(got.values.mean() == serial.values.mean());
    CHECK(got.values.m2() == serial.values.m2());
    CHECK(got.logdet.mean() == serial.logdet.mean());
    CHECK(got.trajectory.count() == serial.trajectory.count());
    CHECK(got.trajectory.mean() == serial.trajectory.mean());
    CHECK(got.terminal.count() == serial.terminal.count());
    CHECK(got.terminal.m2() == serial.terminal.m2());
    CHECK(got.terminal_failed == serial.terminal_failed);
  }
}

TEST_CASE("diverging replicates are counted, left out, and are those with eta lambda_max(H_S) > 2") {
  // GD on linreg diverges exactly when eta lambda_max(X^T X / n) > 2; with 3000 steps a factor
  // |1 - eta lambda| >= 1.3 overflows to inf, slower growth may stay finite.
  const double eta = 0.8;
  const Run r = run({"--problem.dim", "3", "--data.n", "10", "--train.algorithm", "gd", "--train.lr", "0.8",
                     "--train.steps", "3000", "--train.log_every", "1000", "--mc.replicates", "400",
                     "--mc.seed", "24"});
  const auto& cell = r.setup.grid.cells[0];
  int above_2 = 0, above_2_3 = 0;
  for (int rep = 0; rep < 400; ++rep) {
    Stream stream(24, 0, static_cast<std::uint64_t>(rep), Purpose::data);
    const Dataset data = r.setup.problems[0]->sample(stream, cell.n);
    const double lmax =
        Eigen::SelfAdjointEigenSolver<Matrix>(data.X.transpose() * data.X / cell.n).eigenvalues().maxCoeff();
    above_2 += eta * lmax > 2;
    above_2_3 += eta * lmax > 2.3;
  }
  const auto& stats = r.stats[0];
  INFO("diverged " << stats.diverged << ", eta lambda_max > 2: " << above_2 << ", > 2.3: " << above_2_3);
  CHECK(stats.diverged > 0);
  CHECK(stats.diverged >= above_2_3);
  CHECK(stats.diverged <= above_2);
  CHECK(stats.values.count() + stats.diverged == 400);
  CHECK(stats.values.mean().allFinite());
  CHECK(stats.values.m2().allFinite());
}

TEST_CASE("every guaranteed bound is at or above the measured gen of its bounded loss") {
  // gaussian-mean and linreg, sde (for which the trajectory bounds are guaranteed) and sgd
  // (wang_mao_2022): bound >= gen up to a 3-sigma margin of their combined standard errors.
  const Run r = run({"--problem.name", "gaussian-mean linreg", "--problem.dim", "3", "--data.n", "30 120",
                     "--train.algorithm", "sgd sde", "--train.lr", "0.05", "--train.batch", "5", "--train.steps",
                     "150", "--train.log_every", "50", "--mc.replicates", "600", "--mc.seed", "25",
                     "--bounds.trajectory", "--bounds.terminal"});
  int checked = 0;
  for (const auto& cell : r.setup.grid.cells) {
    const CellBounds bounds = r.bounds(cell.index);
    const auto& layout = r.setup.layouts[cell.index];
    const int loss = r.setup.bound_layouts[cell.index].bounded_loss;
    const Moment gen = at(r, cell.index, static_cast<int>(layout.steps.size()) - 1, layout.gen(loss));
    for (const auto& b : bounds.bounds) {
      if (!b.valid) continue;
      INFO(cell.problem << " n=" << cell.n << " " << cell.algorithm << ": " << b.name << " " << b.value << " ± "
                        << b.stderr_ << " vs gen " << gen.mean << " ± " << gen.se);
      CHECK(b.value - gen.mean > -3 * std::hypot(b.stderr_, gen.se));
      ++checked;
    }
  }
  CHECK(checked == 4 * 4 + 4 * 1);  // 4 sde cells: traj_iso_zero, traj_iso_pop, traj_align, wang_mao; 4 sgd: wang_mao
}

TEST_CASE("term_xr equals term_iso when the noise covariance is proportional to the Hessian") {
  // gaussian-mean with s^2 = 1/2: Sigma_S = 4 Cov_S(z) ~ 2 I = H, so C ~ kappa H and Lambda_S ~
  // (eta / 2b') I. A small eta makes the discrete and continuous solutions agree.
  const Run r = run({"--problem.name", "gaussian-mean", "--problem.dim", "2", "--problem.noise", "0.70710678",
                     "--data.n", "400", "--train.algorithm", "sde", "--train.lr", "0.01", "--train.batch", "10",
                     "--train.steps", "100", "--train.log_every", "100", "--mc.replicates", "800", "--mc.seed", "26",
                     "--bounds.terminal"});
  const CellBounds bounds = r.bounds(0);
  const BoundValue& xr = bounds.bounds[5];
  const BoundValue& iso = bounds.bounds[6];
  REQUIRE(xr.name == "term_xr");
  REQUIRE(iso.name == "term_iso");
  REQUIRE(xr.defined);
  REQUIRE(iso.defined);
  INFO("term_xr " << xr.value << " ± " << xr.stderr_ << ", term_iso " << iso.value << " ± " << iso.stderr_);
  // Their difference is driven by the same replicates, so its spread is at most the sum of both.
  CHECK(std::abs(xr.value - iso.value) < 4 * (xr.stderr_ + iso.stderr_));
}

TEST_CASE("trajectory bounds are undefined, with the reason, when C_t is singular; a noise floor defines them") {
  const Run r = run({"--problem.dim", "6", "--data.n", "5", "--train.batch", "2", "--train.algorithm", "sde",
                     "--train.noise_floor", "0 0.01", "--train.steps", "20", "--train.log_every", "10",
                     "--mc.replicates", "64", "--bounds.trajectory"});
  const CellBounds singular = r.bounds(0), floored = r.bounds(1);
  for (int k : {0, 1, 2, 3}) {
    INFO(singular.bounds[k].name);
    CHECK_FALSE(singular.bounds[k].defined);
    CHECK(singular.bounds[k].reason.find("singular") != std::string::npos);
    CHECK(floored.bounds[k].defined);
  }
  CHECK(singular.bounds[4].defined);  // wang_mao_2022 needs no log det
  CHECK(floored.bounds[0].valid);
}

TEST_CASE("the plug-in is below the valid traj_iso (Jensen) and jackknife errors match direct ones for means") {
  const Run r = run({"--problem.name", "linreg", "--problem.dim", "3", "--data.n", "40", "--train.algorithm", "sde",
                     "--train.steps", "60", "--train.log_every", "30", "--mc.replicates", "640", "--mc.block", "8",
                     "--bounds.trajectory", "--bounds.terminal"});
  const CellBounds b = r.bounds(0);
  CHECK(b.bounds[2].name == "traj_iso_plugin");
  CHECK(b.bounds[2].value <= b.bounds[1].value);
  // gen_replace_one is a plain mean: its jackknife error (20 groups, relative noise ~16%) must
  // agree with the standard error of the accumulator.
  const auto& layout = r.setup.bound_layouts[0];
  const double direct = r.stats[0].terminal.standard_error()[layout.replace_one_bounded()];
  INFO("jackknife " << b.replace_one_bounded.stderr_ << ", direct " << direct);
  CHECK(b.jackknife_groups == 20);
  CHECK(b.replace_one_bounded.stderr_ > 0.6 * direct);
  CHECK(b.replace_one_bounded.stderr_ < 1.6 * direct);
  // The replace-one identity: an independent, coupled-run estimate of the same gen.
  const auto& quantities = r.setup.layouts[0];
  const Moment gen = at(r, 0, static_cast<int>(quantities.steps.size()) - 1, quantities.gen(layout.bounded_loss));
  INFO("replace-one " << b.replace_one_bounded.mean << " ± " << b.replace_one_bounded.stderr_ << ", gen " << gen.mean
                      << " ± " << gen.se);
  CHECK(std::abs(b.replace_one_bounded.mean - gen.mean) < 4 * std::hypot(b.replace_one_bounded.stderr_, gen.se));
}
