// Tests of the log-log slope fit: exact power laws, noisy power laws against their reported
// standard error, the equal-weight fallback, skipped points and the cases with no slope.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "sdegen/random/stream.hpp"
#include "sdegen/report/loglog_slope.hpp"

using namespace sdegen;

namespace {
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();
const std::vector<double> sizes = {50, 100, 200, 400, 800, 1600, 3200};

std::vector<double> power_law(const std::vector<double>& x, double c, double p) {
  std::vector<double> y;
  for (double xi : x) y.push_back(c * std::pow(xi, p));
  return y;
}

// A Monte Carlo estimate of c x^p at each x: the truth plus Gaussian noise of standard error
// relative[i] * truth, reported as the stderr (as the engine reports a mean and its stderr).
struct NoisyLaw {
  std::vector<double> y, stderr;
};
NoisyLaw noisy_power_law(std::uint64_t seed, double c, double p, const std::vector<double>& relative) {
  Stream s(seed, 0, 0, Purpose::data);
  Eigen::VectorXd z(static_cast<Eigen::Index>(sizes.size()));
  s.fill_normal(z);
  NoisyLaw law;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const double truth = c * std::pow(sizes[i], p), se = relative[i] * truth;
    law.y.push_back(truth + se * z(static_cast<Eigen::Index>(i)));
    law.stderr.push_back(se);
  }
  return law;
}
const std::vector<double> relative_errors = {0.02, 0.03, 0.05, 0.04, 0.08, 0.06, 0.1};
}  // namespace

TEST_CASE("an exact power law gives its exponent and prefactor") {
  for (double p : {-1.0, -0.5, 0.0, 2.0}) {
    const std::vector<double> y = power_law(sizes, 3.5, p);
    std::vector<double> se;
    for (double yi : y) se.push_back(0.05 * yi);
    const SlopeFit fit = fit_loglog_slope(sizes, y, se);
    REQUIRE(fit.ok);
    CHECK(fit.points == 7);
    CHECK(fit.slope == Approx(p).margin(1e-12));
    CHECK(fit.intercept == Approx(std::log(3.5)).margin(1e-11));
    CHECK(std::isfinite(fit.slope_stderr));
    CHECK(fit.slope_stderr > 0);  // chi2 = 0 is not scaled: the stderr comes from the weights alone
  }
}

TEST_CASE("the standard error is the WLS one, scaled by the reduced chi-square only when it exceeds 1") {
  // log x = 0, 1, 2 and sd(log y) = 0.1 everywhere: weights 100, Suu = 200.
  const std::vector<double> x = {1, std::exp(1.0), std::exp(2.0)};
  SECTION("on the line: 1 / sqrt(Suu)") {
    const std::vector<double> y = {1, std::exp(-1.0), std::exp(-2.0)};
    const SlopeFit fit = fit_loglog_slope(x, y, {0.1 * y[0], 0.1 * y[1], 0.1 * y[2]});
    CHECK(fit.slope == Approx(-1).margin(1e-14));
    CHECK(fit.slope_stderr == Approx(std::sqrt(1.0 / 200)).epsilon(1e-12));
  }
  SECTION("scatter below the errors (chi2 / dof < 1): not scaled down") {
    const double e = 0.01;  // log y = -u + (e, -2e, e): residuals e, -2e, e
    const std::vector<double> y = {std::exp(e), std::exp(-1 - 2 * e), std::exp(-2 + e)};
    const SlopeFit fit = fit_loglog_slope(x, y, {0.1 * y[0], 0.1 * y[1], 0.1 * y[2]});
    CHECK(fit.slope == Approx(-1).margin(1e-14));
    CHECK(fit.slope_stderr == Approx(std::sqrt(1.0 / 200)).epsilon(1e-12));
  }
  SECTION("scatter above the errors (chi2 / dof > 1): scaled up") {
    const double e = 0.5;  // chi2 = 100 (e^2 + 4e^2 + e^2) = 150 on 1 degree of freedom
    const std::vector<double> y = {std::exp(e), std::exp(-1 - 2 * e), std::exp(-2 + e)};
    const SlopeFit fit = fit_loglog_slope(x, y, {0.1 * y[0], 0.1 * y[1], 0.1 * y[2]});
    CHECK(fit.slope == Approx(-1).margin(1e-14));
    CHECK(fit.intercept == Approx(0).margin(1e-14));
    CHECK(fit.slope_stderr == Approx(std::sqrt(150.0 / 200)).epsilon(1e-12));
  }
  SECTION("two points: never scaled") {
    const std::vector<double> y = {1, 5};
    const SlopeFit fit = fit_loglog_slope({1, std::exp(1.0)}, y, {0.1, 0.5});
    CHECK(fit.slope == Approx(std::log(5.0)).epsilon(1e-14));
    CHECK(fit.slope_stderr == Approx(std::sqrt(0.02)).epsilon(1e-12));  // sqrt(0.1^2 + 0.1^2)
  }
}

TEST_CASE("the weights are the inverse variances of log y") {
  // A point with a huge relative error barely moves the slope; with a small one it pulls hard.
  std::vector<double> y = power_law(sizes, 2, -1);
  std::vector<double> se;
  for (double yi : y) se.push_back(0.01 * yi);
  y[5] *= 2;  // off the line by log 2 (not the middle point, which would move only the intercept)
  se[5] = 100 * y[5];
  CHECK(fit_loglog_slope(sizes, y, se).slope == Approx(-1).margin(1e-5));
  se[5] = 1e-4 * y[5];
  const SlopeFit pulled = fit_loglog_slope(sizes, y, se);
  CHECK(std::abs(pulled.slope + 1) > 1e-3);
  // Scaling every stderr by the same factor leaves the slope unchanged.
  std::vector<double> se10;
  for (double s : se) se10.push_back(10 * s);
  CHECK(fit_loglog_slope(sizes, y, se10).slope == Approx(pulled.slope).epsilon(1e-12));
}

TEST_CASE("a noisy power law: slope within 4 reported standard errors of the truth") {
  const NoisyLaw law = noisy_power_law(1, 0.7, -0.5, relative_errors);
  const SlopeFit fit = fit_loglog_slope(sizes, law.y, law.stderr);
  REQUIRE(fit.ok);
  CHECK(fit.points == 7);
  CHECK(fit.slope_stderr > 0);
  CHECK(fit.slope_stderr < 0.1);
  CHECK(std::abs(fit.slope + 0.5) < 4 * fit.slope_stderr);
}

TEST_CASE("the reported standard error matches the spread of the slope over seeds") {
  const int seeds = 2000;
  double sum = 0, sum_sq = 0, sum_stderr = 0;
  int outside_4 = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    const NoisyLaw law = noisy_power_law(static_cast<std::uint64_t>(seed), 0.7, -1, relative_errors);
    const SlopeFit fit = fit_loglog_slope(sizes, law.y, law.stderr);
    REQUIRE(fit.ok);
    sum += fit.slope;
    sum_sq += fit.slope * fit.slope;
    sum_stderr += fit.slope_stderr;
    outside_4 += std::abs(fit.slope + 1) > 4 * fit.slope_stderr;
  }
  const double mean = sum / seeds;
  const double spread = std::sqrt((sum_sq - seeds * mean * mean) / (seeds - 1));
  const double reported = sum_stderr / seeds;
  // log of a noisy estimate is biased by about -(se/y)^2 / 2, and the relative errors here grow
  // with x, so the slope has a small bias (about -0.002): small against its spread.
  CHECK(std::abs(mean + 1) < 0.25 * spread);
  CHECK(reported > spread / 2);
  CHECK(reported < 2 * spread);
  CHECK(outside_4 <= 2);  // about 0.006% expected for a Gaussian estimate
}

TEST_CASE("equal weights when every stderr is 0 or missing") {
  const std::vector<double> x = {1, std::exp(1.0), std::exp(2.0), std::exp(3.0)};
  const double e = 0.1;  // log y = 1 + 2u + (e, -e, -e, e)
  const std::vector<double> y = {std::exp(1 + e), std::exp(3 - e), std::exp(5 - e), std::exp(7 + e)};
  // OLS: the residual pattern (1, -1, -1, 1) is orthogonal to u - 1.5, so the slope is exactly 2,
  // the residual variance 4 e^2 / 2 and Suu = 5.
  const double ols_stderr = std::sqrt(4 * e * e / 2 / 5);
  for (const std::vector<double>& se : {std::vector<double>{}, std::vector<double>{0, 0, 0, 0},
                                        std::vector<double>{kNaN, 0, kNaN, 0}}) {
    const SlopeFit fit = fit_loglog_slope(x, y, se);
    REQUIRE(fit.ok);
    CHECK(fit.points == 4);
    CHECK(fit.slope == Approx(2).epsilon(1e-13));
    CHECK(fit.intercept == Approx(1).epsilon(1e-13));
    CHECK(fit.slope_stderr == Approx(ols_stderr).epsilon(1e-12));
  }
  // Two points with equal weights: a slope, but no way to estimate its error.
  const SlopeFit two = fit_loglog_slope({1, 10}, {1, 100}, {});
  CHECK(two.ok);
  CHECK(two.slope == Approx(2).epsilon(1e-14));
  CHECK(std::isnan(two.slope_stderr));
}

TEST_CASE("bad points are skipped") {
  const std::vector<double> good_x = {10, 20, 40, 80};
  const std::vector<double> good_y = {1.0, 0.52, 0.24, 0.13};
  const std::vector<double> good_se = {0.05, 0.02, 0.03, 0.01};
  const SlopeFit reference = fit_loglog_slope(good_x, good_y, good_se);
  REQUIRE(reference.ok);

  std::vector<double> x = good_x, y = good_y, se = good_se;
  auto add = [&](double xi, double yi, double si) {
    x.insert(x.begin() + 1, xi);  // in the middle: order does not matter
    y.insert(y.begin() + 1, yi);
    se.insert(se.begin() + 1, si);
  };
  add(kNaN, 0.5, 0.01);   // non-finite x
  add(kInf, 0.5, 0.01);
  add(0, 0.5, 0.01);     // log x undefined
  add(-5, 0.5, 0.01);
  add(30, kNaN, 0.01);    // non-finite y
  add(30, kInf, 0.01);
  add(30, 0, 0.01);      // y <= 0
  add(30, -0.3, 0.01);
  add(30, 0.3, 0);       // stderr <= 0
  add(30, 0.3, -0.01);
  add(30, 0.3, kNaN);     // stderr missing
  add(30, 0.3, kInf);
  const SlopeFit fit = fit_loglog_slope(x, y, se);
  REQUIRE(fit.ok);
  CHECK(fit.points == 4);
  CHECK(fit.slope == Approx(reference.slope).epsilon(1e-14));
  CHECK(fit.intercept == Approx(reference.intercept).epsilon(1e-14));
  CHECK(fit.slope_stderr == Approx(reference.slope_stderr).epsilon(1e-14));
}

TEST_CASE("no slope without two distinct x") {
  auto no_slope = [](const SlopeFit& fit, int points) {
    CHECK_FALSE(fit.ok);
    CHECK(fit.points == points);
    CHECK(std::isnan(fit.slope));
    CHECK(std::isnan(fit.slope_stderr));
  };
  no_slope(fit_loglog_slope({}, {}, {}), 0);
  no_slope(fit_loglog_slope({10}, {1}, {0.1}), 1);
  no_slope(fit_loglog_slope({10, 10, 10}, {1, 2, 3}, {0.1, 0.1, 0.1}), 3);  // one x, repeated
  no_slope(fit_loglog_slope({10, 20}, {1, -2}, {0.1, 0.1}), 1);             // the other is skipped
  no_slope(fit_loglog_slope({10, 20}, {1, 2}, {0.1, 0}), 1);                // skipped by its stderr
  no_slope(fit_loglog_slope({10, 20, 30}, {0, kNaN, -1}, {0.1, 0.1, 0.1}), 0);
  no_slope(fit_loglog_slope({10, 10}, {1, 2}, {}), 2);  // equal weights, one x
}

TEST_CASE("mismatched lengths are an error") {
  CHECK_THROWS_AS(fit_loglog_slope({1, 2}, {1}, {}), std::invalid_argument);
  CHECK_THROWS_AS(fit_loglog_slope({1, 2}, {1, 2}, {0.1}), std::invalid_argument);
}
