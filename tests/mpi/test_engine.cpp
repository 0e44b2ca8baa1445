// The distributed engine against closed forms (docs/engine.md) and against a serial fold:
// gen of gaussian-mean and converged linreg, one-step linreg moments that pin kappa and the
// sampling, divergence accounting, and bit-identical merges whatever the rank count.
#include <catch2/catch.hpp>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>

#include "sdegen/bounds/bound_values.hpp"
#include "sdegen/bounds/terminal_estimator.hpp"
#include "sdegen/config/config.hpp"
#include "sdegen/config/usage_error.hpp"
#include "sdegen/experiment/experiment.hpp"
#include "sdegen/mpi/communicator.hpp"
#include "sdegen/problems/linreg.hpp"
#include "sdegen/report/summary.hpp"

#include "engine_run.hpp"

using namespace sdegen;
using engine_test::bound;
using engine_test::reference;
using engine_test::Run;
using engine_test::run;

namespace {

struct Moment {
  double mean, se;
};
Moment at(const Run& r, int cell, int logged_step, int column) {
  const auto& layout = r.setup.cells[cell].layout;
  const int k = layout.flat(logged_step, column);
  return {r.stats(cell).values.mean()[k], r.stats(cell).values.standard_error()[k]};
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
    CHECK(r.stats(cell).diverged == 0);
    const auto& steps_logged = r.setup.cells[cell].layout.steps;
    for (std::size_t k = 1; k < steps_logged.size(); ++k) {
      const double exact = 2 * d * s * s / n * (1 - std::pow(1 - 2 * eta, steps_logged[k]));
      const Moment gen = at(r, cell, static_cast<int>(k), r.setup.cells[cell].layout.gen(0));
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
  const Moment gen = at(r, 0, 1, r.setup.cells[0].layout.gen(0));
  INFO("gen " << gen.mean << " ± " << gen.se << ", exact " << exact);
  CHECK(std::abs(gen.mean - exact) < 4 * gen.se);
  const Moment grad = at(r, 0, 1, r.setup.cells[0].layout.grad_norm_sq());
  CHECK(grad.mean < 1e-20);  // converged
}

TEST_CASE("linreg one step from 0: E L_mu(W_1) and E tr C_1 pin kappa and without-replacement batches") {
  // From 0 with Sx = I: E L_mu(W_1) = 1/2 [(1 - eta)^2 + eta^2 (d + 1 + s^2 d) / b + s^2], the same for
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
    const Moment test = at(r, cell, 1, r.setup.cells[cell].layout.test(0));
    INFO("E L_mu(W_1) " << test.mean << " ± " << test.se << ", exact " << exact_test);
    CHECK(std::abs(test.mean - exact_test) < 4 * test.se);
    const Moment trace = at(r, cell, 0, r.setup.cells[cell].layout.noise_trace());
    INFO("E tr C_1 " << trace.mean << " ± " << trace.se << ", exact " << exact_trace);
    CHECK(std::abs(trace.mean - exact_trace) < 4 * trace.se);
  }
}

TEST_CASE("results equal a serial fold of the blocks, bit for bit, whatever the rank count") {
  const Run r = run({"--problem.name", "logistic linreg", "--data.n", "15 31", "--problem.dim", "3",
                     "--train.algorithm", "sgd sde", "--train.steps", "25", "--train.log_every", "7",
                     "--mc.replicates", "45", "--mc.block", "4", "--train.substeps", "2", "--bounds.trajectory",
                     "--bounds.terminal", "--bounds.stationary_steps", "5", "--bounds.logdet_every", "3"});
  for (const auto& cell : r.setup.cells) {
    CellStatistics serial = cell.empty_statistics();
    ReplicateTrace trace;
    for (int first = 0; first < 45; first += 4) {
      CellStatistics block = cell.empty_statistics();
      for (int rep = first; rep < std::min(first + 4, 45); ++rep) {
        run_replicate(cell, r.setup.seed, static_cast<std::uint64_t>(rep), trace);
        block.add(trace);
      }
      serial.merge(block);
    }
    const CellStatistics& got = r.stats(cell.cell.index);
    CHECK(got.values.count() == serial.values.count());
    CHECK(got.values.mean() == serial.values.mean());
    CHECK(got.values.m2() == serial.values.m2());
    CHECK(got.logdet.mean() == serial.logdet.mean());
    for (std::size_t e = 0; e < serial.estimators.size(); ++e) {
      INFO("estimator " << cell.estimators[e]->family());
      CHECK(got.estimators[e].moments.count() == serial.estimators[e].moments.count());
      CHECK(got.estimators[e].moments.mean() == serial.estimators[e].moments.mean());
      CHECK(got.estimators[e].moments.m2() == serial.estimators[e].moments.m2());
      CHECK(got.estimators[e].failures == serial.estimators[e].failures);
    }
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
    Stream stream(24, cell.keys.data, static_cast<std::uint64_t>(rep), Purpose::data);  // the replicate's training set
    const Dataset data = r.setup.cells[0].problem->sample(stream, cell.n);
    const double lmax =
        Eigen::SelfAdjointEigenSolver<Matrix>(data.X.transpose() * data.X / cell.n).eigenvalues().maxCoeff();
    above_2 += eta * lmax > 2;
    above_2_3 += eta * lmax > 2.3;
  }
  const auto& stats = r.stats(0);
  INFO("diverged " << stats.diverged << ", eta lambda_max > 2: " << above_2 << ", > 2.3: " << above_2_3);
  CHECK(stats.diverged > 0);
  CHECK(stats.diverged >= above_2_3);
  CHECK(stats.diverged <= above_2);
  CHECK(stats.values.count() + stats.diverged == 400);
  CHECK(stats.values.mean().allFinite());
  CHECK(stats.values.m2().allFinite());
}

TEST_CASE("every guaranteed bound is at or above the measured gen of its bounded loss") {
  // gaussian-mean, linreg and logistic, sde (for which the trajectory bounds are guaranteed), sgd
  // and gd (wang_mao_2022): bound >= gen up to a 3-sigma margin of their combined standard errors.
  const Run r = run({"--problem.name", "gaussian-mean linreg logistic", "--problem.dim", "3", "--data.n", "30 120",
                     "--train.algorithm", "sgd sde gd", "--train.lr", "0.05", "--train.batch", "5", "--train.steps",
                     "150", "--train.log_every", "50", "--mc.replicates", "600", "--mc.seed", "25",
                     "--bounds.trajectory", "--bounds.terminal"});
  int checked = 0;
  for (const auto& cell : r.setup.grid.cells) {
    const CellBounds bounds = r.bounds(cell.index);
    const auto& layout = r.setup.cells[cell.index].layout;
    const int loss = r.setup.cells[cell.index].estimators.front()->context().bounded_loss;
    const Moment gen = at(r, cell.index, static_cast<int>(layout.steps.size()) - 1, layout.gen(loss));
    for (const auto& family : bounds.estimators)
    for (const auto& b : family.bounds) {
      if (!b.valid) continue;
      INFO(cell.problem << " n=" << cell.n << " " << cell.algorithm << ": " << b.name << " " << b.value << " ± "
                        << b.stderr_ << " vs gen " << gen.mean << " ± " << gen.se);
      CHECK(b.value - gen.mean > -3 * std::hypot(b.stderr_, gen.se));
      ++checked;
    }
  }
  // 6 sde cells: traj_iso_zero, traj_iso_pop, traj_align, wang_mao_2022; 6 sgd and 6 gd: wang_mao_2022
  CHECK(checked == 6 * 4 + 6 * 1 + 6 * 1);
}

TEST_CASE("wang_mao_2022's dispersion is the variance of the step taken: gd on gaussian-mean in closed form") {
  // GD from 0: W_t - zbar = (1 - 2 eta)^t (0 - zbar), so g_t = 2 (W_{t-1} - zbar) = -2 (1 - 2 eta)^(t-1) zbar
  // and tr Cov(g_t) = 4 d s^2 (1 - 2 eta)^(2 (t - 1)) / n. The population-gradient predictor would
  // give E||g_t - 2 (W_{t-1} - m)||^2 = 4 d s^2 / n at every step instead.
  const int d = 3, n = 12, steps = 20, replicates = 4000;
  const double s = 0.7, eta = 0.03;
  const Run r = run({"--problem.name", "gaussian-mean", "--problem.dim", "3", "--problem.noise", "0.7", "--data.n",
                     "12", "--train.algorithm", "gd", "--train.lr", "0.03", "--train.steps", "20",
                     "--train.log_every", "10", "--mc.replicates", "4000", "--mc.seed", "27", "--bounds.trajectory"});
  const CellBounds bounds = r.bounds(0);
  const BoundValue& wm = bound(bounds, "wang_mao_2022");
  REQUIRE(wm.defined);
  CHECK(wm.valid);  // gradient steps need no noise of their own
  CHECK_FALSE(bound(bounds, "traj_iso_pop").defined);
  double exact = 0;
  for (int t = 1; t <= steps; ++t) exact += eta * eta * 4 * d * s * s * std::pow(1 - 2 * eta, 2 * (t - 1)) / n;
  double sigma = NAN;
  for (const auto& [name, value] : wm.extras)
    if (name == "sigma") sigma = value;
  const double dispersion = 2 * sigma * sigma * wm.mi;  // mi = sum_t eta_t^2 V_t / (2 sigma^2)
  // One zbar per replicate drives every step: the relative error is that of a sample variance of
  // d (replicates - 1) squared normals, sqrt(2 / (d (replicates - 1))).
  const double relative_se = std::sqrt(2.0 / (d * (replicates - 1.0)));
  INFO("dispersion " << dispersion << ", closed form " << exact << ", relative se " << relative_se);
  CHECK(std::abs(dispersion / exact - 1) < 4 * relative_se);
}

TEST_CASE("wang_mao_2022: sigma by the gen-free rule, inside its range on paper-claims cells, with the curve") {
  const Run r = run({"--problem.name", "linreg logistic", "--problem.dim", "5", "--problem.noise", "1", "--data.n",
                     "50 400", "--train.algorithm", "sgd", "--train.lr", "0.05", "--train.batch", "10",
                     "--train.steps", "300", "--train.log_every", "300", "--mc.replicates", "400", "--mc.seed", "28",
                     "--bounds.trajectory"});
  for (const auto& cell : r.setup.grid.cells) {
    INFO(cell.problem << " n=" << cell.n);
    const CellBounds bounds = r.bounds(cell.index);
    const BoundValue& wm = bound(bounds, "wang_mao_2022");
    REQUIRE(wm.defined);
    const BoundCurve& curve = wm.curve;
    REQUIRE(curve.parameter == "sigma");
    // The documented range: perturbation std per coordinate from 10^-2 to 10^2 times
    // signal / sqrt(d), six points a decade; sigma = std / sqrt(T).
    REQUIRE(curve.at.size() == 25);
    const double scale = 1 / std::sqrt(5.0) / std::sqrt(300.0);
    CHECK(curve.at.front() == Approx(1e-2 * scale).epsilon(1e-12));
    CHECK(curve.at.back() == Approx(1e2 * scale).epsilon(1e-12));
    std::vector<double> rule, information;
    double sharpness = NAN, sigma = NAN, at_edge = NAN;
    for (const auto& [name, values] : curve.parts) {
      if (name == "rule") rule = values;
      if (name == "information_term") information = values;
    }
    for (const auto& [name, value] : wm.extras) {
      if (name == "sharpness") sharpness = value;
      if (name == "sigma") sigma = value;
      if (name == "at_edge") at_edge = value;
    }
    REQUIRE(rule.size() == curve.at.size());
    const auto chosen = static_cast<std::size_t>(std::min_element(rule.begin(), rule.end()) - rule.begin());
    CHECK(sigma == curve.at[chosen]);
    CHECK(wm.value == curve.value[chosen]);
    // The rule is the second-order form with the sharpness: it never involves gen.
    const double p = curve.at[chosen] * std::sqrt(300.0);
    CHECK(rule[chosen] == Approx(information[chosen] + 0.5 * p * p * sharpness).epsilon(1e-12));
    // Inside the range on these cells; a choice at an edge would be flagged with a note.
    CHECK(at_edge == 0);
    CHECK(chosen > 0);
    CHECK(chosen + 1 < curve.at.size());
    CHECK(wm.note.empty());
    // The curve tends to gen as sigma grows (valid but circular): the chosen value stays above its end.
    CHECK(curve.value.back() < wm.value);
  }
}

TEST_CASE("terminal bounds are undefined, with the reason, for b = n and for dynamics without minibatch noise") {
  // b = n: no subset size m satisfies b <= m < n, and there is no gradient noise; gd has no
  // minibatch noise at all. The run goes on, and wang_mao_2022 and the replace-one gen remain.
  const Run r = run({"--problem.dim", "3", "--data.n", "20", "--train.batch", "5 20", "--train.algorithm", "sgd gd",
                     "--train.lr", "0.1", "--train.steps", "60", "--train.log_every", "30", "--mc.replicates", "200",
                     "--mc.seed", "29", "--bounds.trajectory", "--bounds.terminal", "--bounds.negrea_m", "10"});
  for (const auto& cell : r.setup.grid.cells) {
    INFO(cell.algorithm << " b=" << cell.batch);
    const CellBounds bounds = r.bounds(cell.index);
    const bool minibatch = cell.algorithm == "sgd" && cell.batch < cell.n;
    for (const char* name : {"term_xr", "term_iso", "term_init", "term_negrea"}) {
      INFO(name);
      const BoundValue& b = bound(bounds, name);
      CHECK(b.defined == minibatch);
      if (cell.algorithm == "gd") CHECK(b.reason.find("minibatch noise") != std::string::npos);
      else if (!minibatch) CHECK(b.reason.find("b = n") != std::string::npos);
    }
    CHECK(bound(bounds, "wang_mao_2022").defined);
    CHECK(bound(bounds, "wang_mao_2022").valid);
    const ReferenceValue& replace = reference(bounds, "gen_replace_one");
    REQUIRE(replace.defined);
    const auto& layout = r.setup.cells[cell.index].layout;
    const int loss = r.setup.cells[cell.index].estimators.front()->context().bounded_loss;
    const Moment gen = at(r, cell.index, static_cast<int>(layout.steps.size()) - 1, layout.gen(loss));
    INFO("replace-one " << replace.mean << " ± " << replace.stderr_ << ", gen " << gen.mean << " ± " << gen.se);
    CHECK(std::abs(replace.mean - gen.mean) < 4 * std::hypot(replace.stderr_, gen.se));
  }
  // An explicit m that is invalid whatever the batch is still refused before any work.
  CHECK_THROWS_AS(make_setup(parse_run_command_line({"--data.n", "20", "--bounds.terminal", "--bounds.negrea_m", "20"}).config),
                  UsageError);
  CHECK_THROWS_AS(make_setup(parse_run_command_line({"--data.n", "20", "--train.batch", "8", "--bounds.terminal",
                                                     "--bounds.negrea_m", "6"}).config),
                  UsageError);
}

TEST_CASE("the stationary check sits at its Monte Carlo floor where the linearised law is exact") {
  // gaussian-mean: Sigma_S does not depend on w and H = 2 I, so N(w*_S, Lambda_S) with the
  // discrete Lyapunov covariance is the exact stationary law: E D = 0, and the norm of the mean
  // of D is its noise, sqrt(sum_ij Var(D_ij) / count) (relative to ||E Lambda_S||).
  const Run r = run({"--problem.name", "gaussian-mean", "--problem.dim", "3", "--data.n", "40", "--train.batch", "5",
                     "--train.algorithm", "sde", "--train.lr", "0.1", "--train.steps", "100", "--train.log_every",
                     "100", "--mc.replicates", "800", "--mc.seed", "31", "--bounds.terminal",
                     "--bounds.stationary_steps", "50"});
  const CellBounds bounds = r.bounds(0);
  const ReferenceValue& relerr = reference(bounds, "stationary_relerr");
  const ReferenceValue& floor = reference(bounds, "stationary_relerr_floor");
  REQUIRE(relerr.defined);
  REQUIRE(floor.defined);
  INFO("relative error " << relerr.mean << " ± " << relerr.stderr_ << ", floor " << floor.mean);
  CHECK(floor.mean > 0);
  CHECK(relerr.mean > 0.3 * floor.mean);
  CHECK(relerr.mean < 2.0 * floor.mean);
}

TEST_CASE("the terminal Lyapunov law follows train.substeps: k substeps of eta / k are stable beyond eta lambda = 2") {
  // linreg, d = 2, n = 200: lambda_max(H_S) is near 1, so eta = 2.4 has no one-step stationary law
  // but 4 substeps of 0.6 do. Every replicate would otherwise be an edge_of_stability failure.
  const Run r = run({"--problem.dim", "2", "--data.n", "200", "--train.batch", "40", "--train.algorithm", "sde",
                     "--train.substeps", "4", "--train.lr", "2.4", "--train.steps", "200", "--train.log_every", "200",
                     "--mc.replicates", "100", "--mc.seed", "30", "--bounds.terminal"});
  const CellBounds bounds = r.bounds(0);
  std::int64_t edge = -1;
  for (const auto& family : bounds.estimators)
    for (const auto& a : family.attributes)
      if (a.name == "terminal_failed_edge_of_stability") edge = std::get<std::int64_t>(a.value);
  CHECK(edge == 0);
  CHECK(bound(bounds, "term_xr").defined);
}

TEST_CASE("term_xr equals term_iso when the noise covariance is proportional to the Hessian") {
  // gaussian-mean with s^2 = 1/2: Sigma_S = 4 Cov_S(z) ~ 2 I = H, so C ~ kappa H and Lambda_S ~
  // (eta / 2b') I. A small eta makes the discrete and continuous solutions agree.
  const Run r = run({"--problem.name", "gaussian-mean", "--problem.dim", "2", "--problem.noise", "0.70710678",
                     "--data.n", "400", "--train.algorithm", "sde", "--train.lr", "0.01", "--train.batch", "10",
                     "--train.steps", "100", "--train.log_every", "100", "--mc.replicates", "800", "--mc.seed", "26",
                     "--bounds.terminal"});
  const CellBounds bounds = r.bounds(0);
  const BoundValue& xr = bound(bounds, "term_xr");
  const BoundValue& iso = bound(bounds, "term_iso");
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
  for (const char* name : {"traj_iso_zero", "traj_iso_pop", "traj_iso_plugin", "traj_align"}) {
    INFO(name);
    CHECK_FALSE(bound(singular, name).defined);
    CHECK(bound(singular, name).reason.find("singular") != std::string::npos);
    CHECK(bound(floored, name).defined);
  }
  CHECK(bound(singular, "wang_mao_2022").defined);  // wang_mao_2022 needs no log det
  CHECK(bound(floored, "traj_iso_zero").valid);
}

TEST_CASE("the plug-in is below the valid traj_iso (Jensen) and jackknife errors match direct ones for means") {
  const Run r = run({"--problem.name", "linreg", "--problem.dim", "3", "--data.n", "40", "--train.algorithm", "sde",
                     "--train.steps", "60", "--train.log_every", "30", "--mc.replicates", "640", "--mc.block", "8",
                     "--bounds.trajectory", "--bounds.terminal"});
  const CellBounds b = r.bounds(0);
  CHECK(bound(b, "traj_iso_plugin").value <= bound(b, "traj_iso_pop").value);
  // gen_replace_one is a plain mean: its jackknife error (20 groups, relative noise ~16%) must
  // agree with the standard error of the accumulator.
  const CellSetup& cell = r.setup.cells[0];
  const auto& terminal = dynamic_cast<const TerminalEstimator&>(*cell.estimators[1]);
  const double direct = r.stats(0).estimators[1].moments.standard_error()[terminal.layout().replace_one_bounded()];
  const ReferenceValue& replace = reference(b, "gen_replace_one");
  INFO("jackknife " << replace.stderr_ << ", direct " << direct);
  CHECK(b.jackknife_groups == 20);
  CHECK(replace.stderr_ > 0.6 * direct);
  CHECK(replace.stderr_ < 1.6 * direct);
  // The replace-one identity: an independent, coupled-run estimate of the same gen.
  const auto& quantities = cell.layout;
  const Moment gen =
      at(r, 0, static_cast<int>(quantities.steps.size()) - 1, quantities.gen(terminal.context().bounded_loss));
  INFO("replace-one " << replace.mean << " ± " << replace.stderr_ << ", gen " << gen.mean << " ± " << gen.se);
  CHECK(std::abs(replace.mean - gen.mean) < 4 * std::hypot(replace.stderr_, gen.se));
}

TEST_CASE("sgd and sde cells train on the same training sets: their gen difference has a paired error bar") {
  // Streams are keyed by what the options mean, so the two cells draw the same S and W_0. On
  // linreg gen agrees exactly in expectation under both dynamics; the paired error bar is the
  // jackknife over replicate groups, checked here against the spread of per-replicate differences.
  const Run r = run({"--problem.dim", "10", "--data.n", "100", "--train.batch", "10", "--train.lr", "0.02 0.1",
                     "--train.algorithm", "sgd sde", "--mc.replicates", "4000", "--mc.seed", "27"});
  ExperimentResult result;
  result.cells = r.cells;
  const std::vector<CellSummary> summaries = summarize(r.setup, result);
  for (const auto& cell : r.setup.grid.cells) {
    const SurrogateGap& gap = summaries[cell.index].surrogate;
    REQUIRE(gap.defined);
    const Estimate& diff = gap.gap[0];
    const double ratio = gap.unpaired_stderr[0] / diff.stderr_;
    INFO(cell.algorithm << " lr " << cell.lr << ": gap " << diff.mean << " ± " << diff.stderr_ << " (paired), ± "
                        << gap.unpaired_stderr[0] << " (unpaired), ratio " << ratio);
    CHECK(std::abs(diff.mean) < 3 * diff.stderr_);
    // At lr 0.02 the independent algorithmic noise is small against the training set's effect on
    // gen: the paired error bar is far below the unpaired one. At lr 0.1 the fluctuations of W_T
    // around w*_S add a term of order (w* - w_true)^T eps (sd about 0.02 per replicate here),
    // independent between the two dynamics, so the gain is smaller (about 3x).
    CHECK(ratio > (cell.lr < 0.05 ? 5.0 : 2.0));
  }
  // The jackknife paired error against the direct spread of per-replicate differences (lr 0.1,
  // first 1000 replicates: the standard deviation is then known to about 2%).
  auto find = [&](const std::string& algorithm) -> const CellSetup& {
    for (const auto& c : r.setup.cells)
      if (c.cell.algorithm == algorithm && c.cell.lr == 0.1) return c;
    FAIL("no " << algorithm << " cell at lr 0.1");
    throw;
  };
  const CellSetup& sgd = find("sgd");
  const CellSetup& sde = find("sde");
  MomentAccumulator difference(1);
  ReplicateTrace a, b;
  const int entry = sgd.layout.flat(static_cast<int>(sgd.layout.steps.size()) - 1, sgd.layout.gen(0));
  for (int rep = 0; rep < 1000; ++rep) {
    run_replicate(sgd, r.setup.seed, static_cast<std::uint64_t>(rep), a);
    run_replicate(sde, r.setup.seed, static_cast<std::uint64_t>(rep), b);
    difference.add(Eigen::VectorXd::Constant(1, a.values[entry] - b.values[entry]));
  }
  const double direct = std::sqrt(difference.variance()[0] / 4000);
  const double jackknife = summaries[sgd.cell.index].surrogate.gap[0].stderr_;
  INFO("paired standard error: jackknife " << jackknife << ", direct " << direct);
  // 20 groups give the jackknife a relative error of about 1 / sqrt(2 x 19) = 16%.
  CHECK(jackknife > 0.6 * direct);
  CHECK(jackknife < 1.5 * direct);
}
