// Tests of the supersample accumulator: loss quantisation, counting pairs, merging, packing, and
// the derived moments and gap law against direct computations on the raw pairs.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sdegen/bounds/supersample/loss_pair_histogram.hpp"
#include "sdegen/bounds/supersample/loss_pair_law.hpp"
#include "supersample_test_support.hpp"

using namespace sdegen;
using namespace sdegen::supersample;

TEST_CASE("clipped losses are quantised by floor(B l / c), the clip being its own top level", "[supersample]") {
  const LossLevels levels = LossLevels::clipped(4.0, 32);
  Eigen::VectorXd losses(9);
  losses << 0, 0.124, 0.125, 2.0, 3.99, std::nextafter(4.0, 0.0), 4.0, 7.5, -0.1;
  Eigen::ArrayXi expected(9);
  expected << 0, 0, 1, 16, 31, 31, 32, 32, 0;
  CHECK((levels.quantise(losses) == expected).all());
  CHECK(levels.quantisation_slack() == 1.0 / 32);
  CHECK(levels.unquantised_bound(0.1) == Approx(4.0 * (0.1 + 1.0 / 32)).epsilon(1e-15));
  CHECK(levels.in_loss_units(0.25) == 1.0);

  // 0 <= l / c - l_B < 1 / B for every loss in [0, c].
  Stream stream(11, 0, 0, Purpose::data);
  const Eigen::VectorXd random = Eigen::VectorXd::NullaryExpr(20000, [&] { return 4.0 * stream.uniform(); });
  const Eigen::ArrayXd quantised = levels.quantise(random).cast<double>() / 32;
  const Eigen::ArrayXd gap = random.array() / 4 - quantised;
  CHECK(gap.minCoeff() >= 0);
  CHECK(gap.maxCoeff() < 1.0 / 32);
  CHECK(gap.maxCoeff() > 0.99 / 32);  // the slack is attained, not loose
}

TEST_CASE("the 0-1 loss is its own quantisation, and bad losses are refused", "[supersample]") {
  const LossLevels zero_one = LossLevels::zero_one();
  CHECK(zero_one.exact());
  CHECK(zero_one.quantisation_slack() == 0);
  Eigen::VectorXd losses(3);
  losses << 0, 1, 1;
  CHECK((zero_one.quantise(losses) == Eigen::Array3i(0, 1, 1)).all());
  losses(1) = 0.5;
  CHECK_THROWS_AS(zero_one.quantise(losses), std::invalid_argument);
  losses(1) = NAN;
  CHECK_THROWS_AS(LossLevels::clipped(1, 4).quantise(losses), std::invalid_argument);
  CHECK_THROWS_AS(LossLevels::clipped(0, 4), std::invalid_argument);
  CHECK_THROWS_AS(LossLevels::clipped(1, 0), std::invalid_argument);
}

TEST_CASE("pair counts and every derived moment agree with the raw pairs", "[supersample]") {
  const int b = 8, pairs = 5000;
  const double clip = 3.0;
  Stream stream(12, 0, 0, Purpose::data);
  // Correlated pairs with mass at the clip: held-out = training + noise.
  const Eigen::VectorXd training = Eigen::VectorXd::NullaryExpr(pairs, [&] { return 3.5 * stream.uniform(); });
  const Eigen::VectorXd heldout =
      (training + Eigen::VectorXd::NullaryExpr(pairs, [&] { return stream.uniform() - 0.3; })).cwiseMax(0.0);
  const LossLevels levels = LossLevels::clipped(clip, b);
  LossPairHistogram h(levels, 3);
  h.add(1, training, heldout);
  CHECK(h.pairs(0) == 0);
  CHECK(h.pairs(1) == pairs);

  // Direct computation from the raw pairs.
  const Eigen::ArrayXd lt = levels.quantise(training).cast<double>() / b;
  const Eigen::ArrayXd lh = levels.quantise(heldout).cast<double>() / b;
  const Eigen::ArrayXd g = lh - lt;
  const LossPairLaw law = LossPairLaw::of_counts(h.counts(1));
  CHECK(law.mean_training_loss() == Approx(lt.mean()).epsilon(1e-13));
  CHECK(law.mean_heldout_loss() == Approx(lh.mean()).epsilon(1e-13));
  CHECK(law.gen() == Approx(g.mean()).epsilon(1e-12));
  CHECK(law.gap_second_moment() == Approx(g.square().mean()).epsilon(1e-12));
  CHECK(law.mean_cosh_gap(3.7) == Approx((3.7 * g).cosh().mean()).epsilon(1e-12));
  CHECK_FALSE(law.interpolating());
  for (int k = -b; k <= b; ++k) {
    INFO("gap level " << k);
    const double direct = (((lh - lt) * b).round() == k).cast<double>().mean();
    CHECK(law.gap_pmf()(k + b) == Approx(direct).epsilon(1e-12).margin(1e-15));
    CHECK(law.gap_values()(k + b) == Approx(static_cast<double>(k) / b).epsilon(1e-15).margin(1e-15));
  }
  CHECK(law.training_marginal().sum() == Approx(1).epsilon(1e-14));
  CHECK(law.heldout_marginal()(b) == Approx((lh == 1.0).cast<double>().mean()).epsilon(1e-13));
}

TEST_CASE("histograms merge by addition, unmerge by subtraction and pack losslessly", "[supersample]") {
  const LossLevels levels = LossLevels::clipped(1.0, 4);
  Stream stream(13, 0, 0, Purpose::data);
  LossPairHistogram all(levels, 2), first(levels, 2), second(levels, 2);
  for (int r = 0; r < 10; ++r) {
    const Eigen::VectorXd a = Eigen::VectorXd::NullaryExpr(7, [&] { return stream.uniform(); });
    const Eigen::VectorXd c = Eigen::VectorXd::NullaryExpr(7, [&] { return stream.uniform(); });
    all.add(r % 2, a, c);
    (r < 4 ? first : second).add(r % 2, a, c);
  }
  LossPairHistogram merged = first;
  merged += second;
  for (int s = 0; s < 2; ++s) CHECK(merged.counts(s) == all.counts(s));
  merged -= second;
  CHECK(merged.counts(0) == first.counts(0));

  std::vector<std::int64_t> packed{-7};  // pack appends
  all.pack(packed);
  REQUIRE(packed.size() == 1 + all.packed_size());
  CHECK(all.packed_size() == 2 * 25);
  const LossPairHistogram back = LossPairHistogram::unpack(levels, 2, packed.data() + 1);
  for (int s = 0; s < 2; ++s) CHECK(back.counts(s) == all.counts(s));
  CHECK(packed[1 + 5 * 2 + 3] == all.counts(0)(2, 3));  // row by row

  LossPairHistogram other(LossLevels::clipped(1.0, 5), 2);
  CHECK_THROWS_AS(all += other, std::invalid_argument);
  CHECK_THROWS_AS(all.add(0, Eigen::VectorXd::Zero(3), Eigen::VectorXd::Zero(4)), std::invalid_argument);
}
