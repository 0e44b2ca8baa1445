// Tests of the unconditional supersample information estimators: formula (S) against the mutual
// information of the explicit (Delta, U) law, the exact identities (symmetric laws, interpolation,
// the 0-1 pair identity), the null bias, and the Miller-Madow table estimator.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sdegen/bounds/supersample/plain_bounds.hpp"
#include "sdegen/bounds/supersample/plain_estimates.hpp"
#include "sdegen/bounds/supersample/plain_information.hpp"
#include "sdegen/bounds/supersample/table_information.hpp"
#include "supersample_test_support.hpp"

using namespace sdegen;
using namespace sdegen::supersample;

namespace {
const double kLn2 = std::log(2.0);

// I(X; U) of a joint law given as a matrix P(U = u, X = x) (rows u), written out.
double mutual_information(const Eigen::MatrixXd& joint) {
  const Eigen::VectorXd pu = joint.rowwise().sum();
  const Eigen::RowVectorXd px = joint.colwise().sum();
  double i = 0;
  for (int u = 0; u < joint.rows(); ++u)
    for (int x = 0; x < joint.cols(); ++x)
      if (joint(u, x) > 0) i += joint(u, x) * std::log(joint(u, x) / (pu(u) * px(x)));
  return i;
}

// A random count matrix with (B+1)^2 cells, some of them empty.
PairCounts random_counts(int b, Stream& stream) {
  return PairCounts::NullaryExpr(b + 1, b + 1, [&] {
    const double u = stream.uniform();
    return static_cast<std::int64_t>(u < 0.3 ? 0 : 1000 * u * u);
  });
}

double h(double p) { return p <= 0 || p >= 1 ? 0.0 : -p * std::log(p) - (1 - p) * std::log(1 - p); }
}  // namespace

TEST_CASE("formula (S) and the role-swap informations equal the MI of the explicit column-ordered law",
          "[supersample]") {
  Stream stream(21, 0, 0, Purpose::data);
  for (int b : {1, 2, 5, 16}) {
    INFO("B = " << b);
    const PairCounts counts = random_counts(b, stream);
    const LossPairLaw law = LossPairLaw::of_counts(counts);
    const Eigen::MatrixXd& p = law.joint();
    // Column order: given U = 0, (L_0, L_1) = (L^+, L^-); given U = 1, (L_0, L_1) = (L^-, L^+).
    Eigen::MatrixXd delta = Eigen::MatrixXd::Zero(2, 2 * b + 1), single = Eigen::MatrixXd::Zero(2, b + 1),
                    pair = Eigen::MatrixXd::Zero(2, (b + 1) * (b + 1));
    for (int a = 0; a <= b; ++a)
      for (int c = 0; c <= b; ++c) {
        delta(0, c - a + b) += p(a, c) / 2, delta(1, a - c + b) += p(a, c) / 2;
        single(0, a) += p(a, c) / 2, single(1, c) += p(a, c) / 2;
        pair(0, a * (b + 1) + c) += p(a, c) / 2, pair(1, c * (b + 1) + a) += p(a, c) / 2;
      }
    CHECK(gap_information(law) == Approx(mutual_information(delta)).epsilon(1e-12));
    CHECK(single_loss_information(law) == Approx(mutual_information(single)).epsilon(1e-12));
    CHECK(pair_information(law) == Approx(mutual_information(pair)).epsilon(1e-12));
    // The per-bin-pair form of (S): sum_k s_k (ln 2 - h(c+_k / s_k)).
    double per_bin = 0;
    for (int k = 1; k <= b; ++k) {
      const double up = law.gap_pmf()(b + k), down = law.gap_pmf()(b - k), s = up + down;
      if (s > 0) per_bin += s * (kLn2 - h(up / s));
    }
    CHECK(gap_information(law) == Approx(per_bin).epsilon(1e-12));
    // Data processing: Delta is a function of the pair; all are at most ln 2.
    CHECK(gap_information(law) <= pair_information(law) + 1e-15);
    CHECK(pair_information(law) <= kLn2);
  }
}

TEST_CASE("T1: a symmetric histogram gives every information 0 and every bound 0", "[supersample]") {
  Stream stream(22, 0, 0, Purpose::data);
  for (int b : {1, 4, 32}) {
    INFO("B = " << b);
    const PairCounts half = random_counts(b, stream);
    const PairCounts symmetric = half + half.transpose();
    const PlainTerms terms = plain_terms(LossPairLaw::of_counts(symmetric));
    CHECK(terms.information.gap == 0);
    CHECK(terms.information.single == 0);
    CHECK(terms.information.pair == 0);
    CHECK(terms.gen == Approx(0).margin(1e-15));
    for (const BoundResult& r : plain_bounds(terms))
      if (r.applicable) CHECK(r.value == 0);
    CHECK(terms.gap_second_moment > 0.1);  // not a trivial law
    // Only the anti-diagonal symmetry matters for (S): a non-symmetric matrix with a symmetric gap law.
    if (b < 2) continue;
    PairCounts gap_symmetric = PairCounts::Zero(b + 1, b + 1);
    gap_symmetric(0, 1) = 4, gap_symmetric(2, 1) = 4, gap_symmetric(1, 1) = 7, gap_symmetric(0, b) = 3, gap_symmetric(b, 0) = 3;
    const LossPairLaw law = LossPairLaw::of_counts(gap_symmetric);
    REQUIRE((law.gap_pmf() - law.gap_pmf().reverse()).cwiseAbs().maxCoeff() < 1e-15);
    CHECK(single_loss_information(law) > 0.01);
    CHECK(gap_information(law) == 0);
  }
}

TEST_CASE("T5: with no pair at G = -1 the 0-1 plug-in gives I / ln 2 = mean G exactly", "[supersample]") {
  Stream stream(23, 0, 0, Purpose::data);
  for (int trial = 0; trial < 20; ++trial) {
    PairCounts counts = random_counts(1, stream);
    counts(1, 0) = 0;  // no training loss 1 with held-out loss 0
    counts(0, 0) += 1;
    const PlainTerms terms = plain_terms(LossPairLaw::of_counts(counts));
    CHECK(terms.information.gap / kLn2 == Approx(terms.gen).epsilon(1e-13).margin(1e-16));
    if (counts(1, 1) == 0) {  // interpolating: b11 applies and is exact
      REQUIRE(terms.interpolating);
      CHECK(plain_bounds(terms)[b11_interpolating].value == Approx(terms.gen).epsilon(1e-13).margin(1e-16));
    }
  }
}

TEST_CASE("for the 0-1 loss the pair information equals the loss-difference information on any data",
          "[supersample]") {
  Stream stream(24, 0, 0, Purpose::data);
  for (int trial = 0; trial < 50; ++trial) {
    const LossPairLaw law = LossPairLaw::of_counts(random_counts(1, stream) + PairCounts::Ones(2, 2));
    CHECK(pair_information(law) == Approx(gap_information(law)).epsilon(1e-13).margin(1e-16));
  }
}

TEST_CASE("T1 null: plug-ins sit at their predicted bias and the jackknife removes it", "[supersample]") {
  // Losses independent of membership, pairs independent (a fixed W): L^+, L^- i.i.d. uniform on
  // 33 levels. Then 2 N I^ ~ chi^2_k for each estimator, with k from null_bias().
  const int b = 32, groups = 20, per_group = 5000, seeds = 16;
  const double n = static_cast<double>(groups) * per_group;
  const LossLevels levels = LossLevels::clipped(1.0, b);
  Eigen::ArrayXd gap(seeds), single(seeds), pair(seeds);
  PlainInformation predicted;
  // Bias-corrected informations within 3 standard errors of 0: all but at most one seed (a
  // Gaussian misses 3 se with probability 0.3%), and every seed within 4.
  Eigen::Array3i within3 = Eigen::Array3i::Zero();
  for (int seed = 0; seed < seeds; ++seed) {
    std::vector<PairCounts> counts;
    for (int g = 0; g < groups; ++g) {
      Stream stream(25, seed, g, Purpose::data);
      const Eigen::ArrayXi a = Eigen::ArrayXi::NullaryExpr(per_group, [&] { return static_cast<int>(stream.below(b + 1)); });
      const Eigen::ArrayXi c = Eigen::ArrayXi::NullaryExpr(per_group, [&] { return static_cast<int>(stream.below(b + 1)); });
      LossPairHistogram hist(levels, 1);
      hist.add_levels(0, a, c);
      counts.push_back(hist.counts(0));
    }
    const PlainEstimates e = plain_estimates(counts);
    gap(seed) = e.gap_information.plugin, single(seed) = e.single_information.plugin, pair(seed) = e.pair_information.plugin;
    predicted = e.predicted_null_bias;
    const JackknifeEstimate* figures[] = {&e.gap_information, &e.pair_information, &e.single_information};
    for (int f = 0; f < 3; ++f) {
      INFO("seed " << seed << ", information " << f << ": " << figures[f]->reported << " +- " << figures[f]->stderr_);
      CHECK(std::abs(figures[f]->reported) < 4 * figures[f]->stderr_);
      within3(f) += std::abs(figures[f]->reported) < 3 * figures[f]->stderr_;
    }
  }
  CHECK((within3 >= seeds - 1).all());
  // With every cell populated: k = 32 gap pairs, 528 off-diagonal cell pairs, 33 levels.
  CHECK(predicted.gap == Approx(32 / (2 * n)).epsilon(1e-12));
  CHECK(predicted.pair == Approx(528 / (2 * n)).epsilon(1e-12));
  CHECK(predicted.single == Approx(32 / (4 * n)).epsilon(1e-12));
  // Mean over seeds against chi^2_k / (2N) (single: chi^2_k / (4N)), 4 standard errors of the mean.
  auto check_bias = [&](const Eigen::ArrayXd& values, double mean, double k) {
    const double se_of_mean = mean * std::sqrt(2 / k) / std::sqrt(static_cast<double>(seeds));
    INFO("mean " << values.mean() << " predicted " << mean << " +- " << se_of_mean);
    CHECK(std::abs(values.mean() - mean) < 4 * se_of_mean);
  };
  check_bias(gap, predicted.gap, 32);
  check_bias(pair, predicted.pair, 528);
  check_bias(single, predicted.single, 32);
}

TEST_CASE("the Miller-Madow table MI corrects all three entropies", "[supersample]") {
  // U determines X: plug-in = the empirical entropy of U; MM adds 1/(2K).
  MaskTable determined(2, 3);
  determined << 30, 0, 0, 0, 0, 70;
  TableInformation t = table_information(determined);
  CHECK(t.masks == 100);
  CHECK(t.observed_symbols == 2);
  CHECK(t.plugin == Approx(h(0.3)).epsilon(1e-14));
  CHECK(t.miller_madow == Approx(h(0.3) + 1.0 / 200).epsilon(1e-14));
  // Product table (independent empirical law): plug-in 0; all 2r cells full, so MM subtracts (r-1)/(2K).
  MaskTable product(2, 4);
  product << 10, 20, 30, 40, 5, 10, 15, 20;
  t = table_information(product);
  CHECK(t.plugin == Approx(0).margin(1e-15));
  CHECK(t.miller_madow == Approx(-3.0 / (2 * 150)).epsilon(1e-14));
  // A general table against the entropies written out.
  MaskTable general(2, 3);
  general << 7, 0, 3, 2, 9, 4;
  t = table_information(general);
  const double hu = h(10.0 / 25), hx = -(9.0 / 25 * std::log(9.0 / 25) + 9.0 / 25 * std::log(9.0 / 25) + 7.0 / 25 * std::log(7.0 / 25));
  double hux = 0;
  for (double c : {7.0, 3.0, 2.0, 9.0, 4.0}) hux -= c / 25 * std::log(c / 25);
  CHECK(t.plugin == Approx(hu + hx - hux).epsilon(1e-13));
  CHECK(t.miller_madow == Approx(hu + hx - hux + (1 + 2 - 4) / 50.0).epsilon(1e-13));
  CHECK(table_information(MaskTable::Zero(2, 3)).masks == 0);
}

TEST_CASE("the null value of sqrt(2 I_MM) is E sqrt(max(chi^2_{r-1} - (r-1), 0) / K)", "[supersample]") {
  // Reference integrals computed independently (scipy.integrate.quad).
  CHECK(null_root_information(2, 1) == Approx(0.34262361824553744).epsilon(1e-7));
  CHECK(null_root_information(3, 1) == Approx(0.46106850444789016).epsilon(1e-7));
  CHECK(null_root_information(4, 100) == Approx(0.5368367415329706 / 10).epsilon(1e-7));
  CHECK(null_root_information(1, 100) == 0);
}
