// Tests of the moment accumulator: Welford against a two-pass computation, Chan merges of
// uneven splits against one sequential pass, and the packed form round trip.
#include <catch2/catch.hpp>

#include <cmath>

#include "sdegen/problems/clipped_chi_squared.hpp"
#include "sdegen/random/stream.hpp"
#include "sdegen/stats/moments.hpp"

using namespace sdegen;

namespace {
Eigen::MatrixXd sample(int rows, int cols) {
  Stream s(9, 0, 0, Purpose::data);
  Eigen::MatrixXd x(rows, cols);
  s.fill_normal(x);
  return (x.array() * 3 + 1e6).matrix();  // a large offset: raw sums of squares would fail here
}
}  // namespace

TEST_CASE("Welford accumulation matches a two-pass mean and variance") {
  const Eigen::MatrixXd x = sample(1000, 4);
  MomentAccumulator acc(4);
  for (int i = 0; i < x.rows(); ++i) acc.add(x.row(i).transpose());
  const Eigen::VectorXd mean = x.colwise().mean();
  const Eigen::VectorXd var = (x.rowwise() - mean.transpose()).colwise().squaredNorm() / (x.rows() - 1);
  CHECK(acc.count() == 1000);
  CHECK((acc.mean() - mean).cwiseAbs().maxCoeff() < 1e-8);  // 1e-14 of the offset
  CHECK((acc.variance() - var).cwiseAbs().maxCoeff() < 1e-9 * var.maxCoeff());
  CHECK((acc.standard_error() - (var / 1000).cwiseSqrt()).cwiseAbs().maxCoeff() < 1e-9);
}

TEST_CASE("Chan merges of uneven parts equal one sequential pass") {
  const Eigen::MatrixXd x = sample(1000, 3);
  MomentAccumulator all(3), merged(3);
  for (int i = 0; i < x.rows(); ++i) all.add(x.row(i).transpose());
  int start = 0;
  for (int size : {1, 0, 17, 300, 2, 680}) {
    MomentAccumulator part(3);
    for (int i = start; i < start + size; ++i) part.add(x.row(i).transpose());
    merged.merge(part);
    start += size;
  }
  REQUIRE(start == 1000);
  CHECK(merged.count() == all.count());
  CHECK((merged.mean() - all.mean()).cwiseAbs().maxCoeff() < 1e-8);
  CHECK((merged.m2() - all.m2()).cwiseAbs().maxCoeff() < 1e-9 * all.m2().maxCoeff());
}

TEST_CASE("packing an accumulator round-trips exactly") {
  const Eigen::MatrixXd x = sample(10, 5);
  MomentAccumulator acc(5);
  for (int i = 0; i < x.rows(); ++i) acc.add(x.row(i).transpose());
  std::vector<double> buffer;
  acc.pack(buffer);
  const MomentAccumulator back = MomentAccumulator::unpack(buffer.data(), 5);
  CHECK(back.count() == acc.count());
  CHECK(back.mean() == acc.mean());
  CHECK(back.m2() == acc.m2());
}

TEST_CASE("the clipped non-central chi-squared mean matches Monte Carlo and its limits") {
  Stream s(10, 0, 0, Purpose::data);
  const int k = 3, draws = 400000;
  const double shift = 1.2, a = 5.0;  // lambda = 3 * 1.2^2
  Eigen::MatrixXd z(draws, k);
  s.fill_normal(z);
  const Eigen::ArrayXd q = (z.array() + shift).matrix().rowwise().squaredNorm().array();
  const Eigen::ArrayXd clipped = q.min(a);
  const double mean = clipped.mean();
  const double se = std::sqrt((clipped - mean).square().sum() / (draws - 1) / draws);
  CHECK(std::abs(expected_clipped_chi_squared(k, k * shift * shift, a) - mean) < 4 * se);
  CHECK(expected_clipped_chi_squared(k, 2.0, 1e6) == Approx(k + 2.0).epsilon(1e-10));
  CHECK(expected_clipped_chi_squared(1, 0, 1e6) == Approx(1.0).epsilon(1e-10));
  CHECK(expected_clipped_chi_squared(2, 0, 0) == 0);
  // A diverging weight gives a huge non-centrality: the clipped mean is the clip level.
  CHECK(expected_clipped_chi_squared(4, 5.9e11, 40.0) == 40.0);
  CHECK(expected_clipped_chi_squared(4, 300.0, 40.0) == Approx(40.0).epsilon(1e-12));
}

TEST_CASE("the clipped chi-squared mean stays defined when the non-centrality and the clip are both huge") {
  // Before: Boost threw (its Poisson index overflows an int) for a diverging weight with a large clip.
  const double lambda = 2.95e11;
  const double value = expected_clipped_chi_squared(2, lambda, lambda);
  CHECK(std::isfinite(value));
  CHECK(value == Approx(lambda - 2 * std::sqrt(lambda) * 0.3989422804014327).epsilon(1e-9));
  CHECK(std::isnan(expected_clipped_chi_squared(2, NAN, 5.0)));
  // Continuous where the closed form hands over from Boost's CDFs to the normal form at 1e8.
  for (double k : {1.0, 10.0, 1000.0})
    for (double t : {-3.0, 0.0, 2.0}) {
      const double below = 1e8 * (1 - 1e-12), above = 1e8 * (1 + 1e-12);
      const double a = 1e8 + k + t * 2e4;
      INFO("k = " << k << ", t = " << t);
      CHECK(expected_clipped_chi_squared(k, above, a) ==
            Approx(expected_clipped_chi_squared(k, below, a)).epsilon(1e-7));
    }
}
