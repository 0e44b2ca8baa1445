// term_xr from moments in one pass against the two-pass definition (each replicate's 2 KL to
// N(w_bar, Lambda_bar) with the centre estimated from the same replicates), on real terminal
// records: they differ exactly by the unbiased against the plain covariance of w*_S.
#include <catch2/catch.hpp>

#include <cmath>

#include "sdegen/bounds/gaussian_kl.hpp"
#include "sdegen/bounds/terminal_estimator.hpp"
#include "sdegen/config/config.hpp"
#include "sdegen/experiment/experiment_setup.hpp"

using namespace sdegen;

// With N replicates, means w_bar and Lambda_bar and C = sum (w*_r - w_bar)(w*_r - w_bar)^T:
//   two-pass: (1/N) sum_r 2 KL_r = J + tr(Lambda_bar^-1 C) / N, since (1/N) sum tr(Lambda_bar^-1
//   Lambda_r) = d exactly, where J = log det Lambda_bar - (1/N) sum log det Lambda_r;
//   one pass: J + tr(Lambda_bar^-1 C) / (N - 1), with the unbiased covariance C / (N - 1).
// So one - J = (two - J) N / (N - 1): the O(1/N) effect of estimating the centre from the replicates.
TEST_CASE("term_xr in one pass equals the two-pass value up to the exact factor N / (N - 1) on its spread") {
  const RunConfig config =
      parse_run_command_line({"--problem.name", "linreg", "--problem.dim", "3", "--problem.spectrum_decay", "1",
                              "--data.n", "40", "--train.algorithm", "sgd", "--train.lr", "0.05", "--train.batch", "5",
                              "--train.steps", "200", "--train.log_every", "200", "--bounds.terminal", "--mc.seed", "5"})
          .config;
  const ExperimentSetup setup = make_setup(config);
  const CellSetup& cell = setup.cells[0];
  std::size_t e = 0;
  while (cell.estimators[e]->family() != "terminal") ++e;
  const auto& terminal = dynamic_cast<const TerminalEstimator&>(*cell.estimators[e]);
  const TerminalLayout& b = terminal.layout();
  const int d = b.dim;

  EstimatorStatistics stats(terminal.shape());
  std::vector<Vector> w_star;
  std::vector<Matrix> lambda;
  ReplicateTrace trace;
  for (int r = 0; r < 300; ++r) {
    run_replicate(cell, setup.seed, static_cast<std::uint64_t>(r), trace);
    REQUIRE_FALSE(trace.diverged);
    const EstimatorRecord& record = trace.estimators[e];
    stats.add(record);
    if (record.failure >= 0) continue;
    w_star.push_back(record.values.segment(b.w_star(), d));
    lambda.push_back(Eigen::Map<const Matrix>(record.values.data() + b.lambda(), d, d));
    CHECK(record.values[b.lambda_logdet()] == Approx(log_det_spd(lambda.back())).epsilon(1e-12));
  }
  const double n = static_cast<double>(w_star.size());
  REQUIRE(n > 200);
  REQUIRE(stats.comoments.count() == static_cast<std::int64_t>(w_star.size()));

  // The two-pass value, as the removed second pass computed it.
  Vector w_bar = Vector::Zero(d);
  Matrix lambda_bar = Matrix::Zero(d, d);
  for (std::size_t r = 0; r < w_star.size(); ++r) {
    w_bar += w_star[r] / n;
    lambda_bar += lambda[r] / n;
  }
  double two_pass = 0, mean_log_det = 0;
  for (std::size_t r = 0; r < w_star.size(); ++r) {
    two_pass += twice_gaussian_kl(w_star[r], lambda[r], w_bar, lambda_bar) / n;
    mean_log_det += log_det_spd(lambda[r]) / n;
  }
  const double jensen = log_det_spd(lambda_bar) - mean_log_det;

  const EstimatorReport report = terminal.report(stats, {}, {});
  const BoundValue* xr = nullptr;
  for (const auto& bound : report.bounds)
    if (bound.name == "term_xr") xr = &bound;
  REQUIRE(xr != nullptr);
  REQUIRE(xr->defined);
  const double one_pass = 2 * xr->mi;
  INFO("one pass " << one_pass << ", two-pass " << two_pass << ", Jensen gap " << jensen << ", N " << n);
  CHECK(jensen > 0);
  CHECK(two_pass > jensen);
  CHECK(one_pass - jensen == Approx((two_pass - jensen) * n / (n - 1)).epsilon(1e-9));
  CHECK(one_pass > two_pass);  // by (two - J) / (N - 1)
}
