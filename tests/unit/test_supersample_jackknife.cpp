// Tests of the delete-one-group jackknife of the supersample bounds: the formulas on known
// numbers, calibration of the standard error against the scatter over seeds (T3 mock), grouping
// invariance, and the relation checks.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sdegen/bounds/supersample/plain_estimates.hpp"
#include "sdegen/bounds/supersample/relation_checks.hpp"
#include "supersample_test_support.hpp"

using namespace sdegen;
using namespace sdegen::supersample;

TEST_CASE("the jackknife of one figure: bias correction and standard error written out", "[supersample]") {
  // Delete-one means of x = (1, 2, 3, 6): the mean is linear, so the correction vanishes and the
  // error is the usual standard error of the mean.
  const std::vector<double> x{1, 2, 3, 6};
  std::vector<double> leave_out;
  for (int g = 0; g < 4; ++g) leave_out.push_back((12 - x[g]) / 3);
  const JackknifeEstimate mean = jackknife(3, leave_out);
  CHECK(mean.bias_corrected == Approx(3).epsilon(1e-15));
  CHECK(mean.stderr_ == Approx(std::sqrt((4.0 + 1 + 0 + 9) / 3 / 4)).epsilon(1e-14));
  // The plug-in variance (1/G) sum (x - mean)^2 has bias -sigma^2/G; the jackknife gives the unbiased one.
  leave_out.clear();
  for (int g = 0; g < 4; ++g) {
    double m = 0, v = 0;
    for (int h = 0; h < 4; ++h) m += h == g ? 0 : x[h] / 3;
    for (int h = 0; h < 4; ++h) v += h == g ? 0 : (x[h] - m) * (x[h] - m) / 3;
    leave_out.push_back(v);
  }
  const JackknifeEstimate variance = jackknife(14.0 / 4, leave_out);
  CHECK(variance.bias_corrected == Approx(14.0 / 3).epsilon(1e-13));
  CHECK(variance.reported == variance.bias_corrected);
  const JackknifeEstimate single = jackknife(2.5, {1.0});
  CHECK(single.reported == 2.5);
  CHECK(std::isnan(single.stderr_));
}

TEST_CASE("the jackknife standard error matches the scatter over seeds (T3 mock, e = 0.05, p = 0.1)",
          "[supersample]") {
  // 64 seeds, 20 groups of 2500 pairs each. The scatter's own relative precision is
  // 1/sqrt(2 * 63) = 9%, so the ratio of scatter to mean error bar must lie in [0.7, 1.4]. The
  // mean over seeds must agree with the exact value within 3 standard errors of that mean, and
  // the correction the jackknife applies to I must be the plug-in's predicted bias.
  const int seeds = 64, groups = 20, per_group = 2500;
  const double exact_i = 0.009128782854805496, exact_b8 = 0.13512055990711033, exact_b13 = 0.05071403585156057,
               exact_b10 = 0.052318234925320214;
  std::vector<std::vector<double>> reported(4), errors(4), plugins(4);
  for (int seed = 0; seed < seeds; ++seed) {
    std::vector<PairCounts> counts;
    for (int g = 0; g < groups; ++g) {
      Stream stream(61, seed, g, Purpose::data);
      counts.push_back(supersample_test::bernoulli_counts(0.05, 0.1, per_group, stream));
    }
    const PlainEstimates e = plain_estimates(counts);
    const std::vector<JackknifeEstimate> figures{e.gap_information, e.bounds[b8_ld_mi], e.bounds[b13_exact_cgf],
                                                 e.bounds[b10_fast_rate]};
    for (int f = 0; f < 4; ++f) {
      reported[f].push_back(figures[f].reported);
      errors[f].push_back(figures[f].stderr_);
      plugins[f].push_back(figures[f].plugin);
    }
  }
  const std::vector<double> exact{exact_i, exact_b8, exact_b13, exact_b10};
  const char* names[] = {"I(Delta;U)", "B8", "B13", "B10"};
  for (int f = 0; f < 4; ++f) {
    const Eigen::Map<const Eigen::ArrayXd> value(reported[f].data(), seeds), se(errors[f].data(), seeds),
        plugin(plugins[f].data(), seeds);
    const double scatter = std::sqrt((value - value.mean()).square().sum() / (seeds - 1));
    const double mean_se = std::sqrt(se.square().mean());
    INFO(names[f] << ": mean " << value.mean() << " (plug-in " << plugin.mean() << "), exact " << exact[f]
                  << ", scatter " << scatter << ", mean error bar " << mean_se);
    CHECK(scatter / mean_se > 0.7);
    CHECK(scatter / mean_se < 1.4);
    CHECK(std::abs(value.mean() - exact[f]) < 3 * scatter / std::sqrt(seeds));
    // I: the plug-in is biased upward by about k / (2N) = 1 / (2 * 50000), k = 1 bin pair {1, -1}.
    if (f == 0) CHECK(plugin.mean() - value.mean() == Approx(1e-5).epsilon(0.2));
  }
}

TEST_CASE("estimates depend on the groups' contents only, and empty groups are ignored", "[supersample]") {
  std::vector<PairCounts> counts;
  for (int g = 0; g < 6; ++g) {
    Stream stream(62, 0, g, Purpose::data);
    counts.push_back(supersample_test::bernoulli_counts(0.1, 0.3, 1000, stream));
  }
  const PlainEstimates a = plain_estimates(counts);
  std::vector<PairCounts> shuffled{counts[3], PairCounts::Zero(2, 2), counts[0], counts[5], counts[1], counts[4], counts[2]};
  const PlainEstimates b = plain_estimates(shuffled);
  CHECK(b.groups == 6);
  CHECK(b.pairs == 6000);
  for (int k = 0; k < kPlainBoundCount; ++k) {
    if (!a.applicable[k]) continue;
    CHECK(b.bounds[k].reported == Approx(a.bounds[k].reported).epsilon(1e-12));
    CHECK(b.bounds[k].stderr_ == Approx(a.bounds[k].stderr_).epsilon(1e-9));
  }
  // One group: no error bars, reported = plug-in.
  const PlainEstimates one = plain_estimates({counts[0]});
  CHECK(one.groups == 1);
  CHECK(std::isnan(one.gap_information.stderr_));
  CHECK(one.bounds[b8_ld_mi].reported == one.bounds[b8_ld_mi].plugin);
  CHECK_THROWS_AS(plain_estimates({PairCounts::Zero(2, 2)}), std::invalid_argument);
}

TEST_CASE("bounds near zero information: clamped and flagged", "[supersample]") {
  // e = p: no information; with few pairs the bias-corrected I falls below 0 for some seeds.
  int clamped = 0;
  for (int seed = 0; seed < 20; ++seed) {
    std::vector<PairCounts> counts;
    for (int g = 0; g < 10; ++g) {
      Stream stream(63, seed, g, Purpose::data);
      counts.push_back(supersample_test::bernoulli_counts(0.3, 0.3, 500, stream));
    }
    const PlainEstimates e = plain_estimates(counts);
    const bool negative = e.gap_information.reported < 0;
    CHECK(e.bounds[b8_ld_mi].clamped == negative);
    CHECK(e.bounds[b12_variance].clamped == negative);
    if (negative) {
      ++clamped;
      CHECK(e.bounds[b8_ld_mi].reported == 0);
      CHECK(e.bounds[b13_exact_cgf].reported == 0);
    }
    CHECK(e.bounds[b8_ld_mi].reported >= 0);
    CHECK(e.bounds[b8_ld_mi].plugin > 0);
  }
  CHECK(clamped > 0);
}

TEST_CASE("the relation checks report exactly the violated relations", "[supersample]") {
  std::vector<PairCounts> counts;
  for (int g = 0; g < 20; ++g) {
    Stream stream(64, 0, g, Purpose::data);
    counts.push_back(supersample_test::bernoulli_counts(0.1, 0.3, 5000, stream));
  }
  PlainEstimates e = plain_estimates(counts);
  const MeasuredGen gen{0.2, 0.002};
  CHECK(violated_relations(e, nullptr, &gen).empty());
  // Tamper: B13 above B8 by far more than the error bars; a gen above every bound but B9.
  e.bounds[b13_exact_cgf].reported = e.bounds[b8_ld_mi].reported + 0.1;
  const MeasuredGen high{0.45, 0.001};
  const std::vector<Violation> v = violated_relations(e, nullptr, &high);
  std::vector<std::string> names;
  for (const Violation& x : v) names.push_back(x.relation);
  CHECK(names == std::vector<std::string>{"b13_exact_cgf <= b8_ld_mi", "gen <= b5_binary_kl", "gen <= b6_linear_fast_rate",
                                          "gen <= b8_ld_mi", "gen <= b10_fast_rate", "gen <= b12_variance"});
  e.pair_information.reported = 0.8;
  CHECK(violated_relations(e).size() == 2);  // B13 <= B8 and I(L;U) <= ln 2
}

TEST_CASE("estimates by logged step equal the estimates of each step's counts", "[supersample]") {
  const LossLevels levels = LossLevels::clipped(2.0, 4);
  std::vector<LossPairHistogram> groups(5, LossPairHistogram(levels, 2));
  for (int g = 0; g < 5; ++g) {
    Stream stream(65, 0, g, Purpose::data);
    for (int step = 0; step < 2; ++step) {
      const Eigen::VectorXd a = Eigen::VectorXd::NullaryExpr(400, [&] { return 2.0 * stream.uniform(); });
      const Eigen::VectorXd b = Eigen::VectorXd::NullaryExpr(400, [&] { return (2.5 - step) * stream.uniform(); });
      groups[g].add(step, a, b);
    }
  }
  const std::vector<PlainEstimates> by_step = plain_estimates_by_step(groups);
  REQUIRE(by_step.size() == 2);
  for (int step = 0; step < 2; ++step) {
    std::vector<PairCounts> counts;
    for (const LossPairHistogram& g : groups) counts.push_back(g.counts(step));
    const PlainEstimates direct = plain_estimates(counts);
    CHECK(by_step[step].bounds[b13_exact_cgf].reported == direct.bounds[b13_exact_cgf].reported);
    CHECK(by_step[step].gen.stderr_ == direct.gen.stderr_);
  }
  CHECK(by_step[0].gen.reported > by_step[1].gen.reported + 0.05);  // the steps differ
}

TEST_CASE("a measured gen of the unquantised loss is compared with the quantisation slack", "[supersample]") {
  std::vector<PairCounts> counts;
  for (int g = 0; g < 20; ++g) {
    Stream stream(66, 0, g, Purpose::data);
    counts.push_back(supersample_test::bernoulli_counts(0.1, 0.3, 5000, stream));
  }
  const PlainEstimates e = plain_estimates(counts);
  const double above = e.bounds[b13_exact_cgf].reported + 0.01;  // above B13 (0.2066) only
  const MeasuredGen strict{above, 1e-6, 0.0}, slack{above, 1e-6, 1.0 / 32};
  const std::vector<Violation> v = violated_relations(e, nullptr, &strict);
  REQUIRE(v.size() == 1);
  CHECK(v[0].relation == "gen <= b13_exact_cgf");
  CHECK(violated_relations(e, nullptr, &slack).empty());
}
