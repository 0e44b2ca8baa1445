// Tests of the counter-based random streams: reproducible, independent across keys, and with
// the right normal and uniform-integer distributions (z-tests at fixed seeds).
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sdegen/random/stream.hpp"

using namespace sdegen;

TEST_CASE("a stream is a pure function of (seed, cell, replicate, purpose)") {
  Stream a(7, 2, 11, Purpose::noise), b(7, 2, 11, Purpose::noise);
  for (int i = 0; i < 100; ++i) REQUIRE(a() == b());
  const auto first = Stream(7, 2, 11, Purpose::noise)();
  CHECK(Stream(8, 2, 11, Purpose::noise)() != first);
  CHECK(Stream(7, 3, 11, Purpose::noise)() != first);
  CHECK(Stream(7, 2, 12, Purpose::noise)() != first);
  CHECK(Stream(7, 2, 11, Purpose::data)() != first);
}

TEST_CASE("normals have mean 0 and variance 1 within their standard errors") {
  Stream s(1, 0, 0, Purpose::noise);
  const int n = 400000;
  Eigen::VectorXd x(n);
  s.fill_normal(x);
  const double mean = x.mean();
  const double var = (x.array() - mean).square().sum() / (n - 1);
  CHECK(std::abs(mean) < 5 / std::sqrt(double(n)));
  CHECK(std::abs(var - 1) < 5 * std::sqrt(2.0 / n));
  const double kurtosis = x.array().pow(4).mean();  // 3 for a normal, sd of estimate sqrt(96/n)
  CHECK(std::abs(kurtosis - 3) < 5 * std::sqrt(96.0 / n));
  const double tail = (x.array().abs() > 2.5).cast<double>().mean();  // 2 Phi(-2.5)
  const double p = 0.012419330651552318;
  CHECK(std::abs(tail - p) < 5 * std::sqrt(p * (1 - p) / n));
  Eigen::VectorXd odd(7), pair(2);  // an odd count uses the first of the last pair
  Stream(1, 0, 1, Purpose::noise).fill_normal(odd);
  CHECK(odd.allFinite());
  Stream(1, 0, 1, Purpose::noise).fill_normal(pair);
  CHECK(pair[0] == odd[0]);
  CHECK(pair[1] == odd[1]);
}

TEST_CASE("bounded integers are uniform (chi-squared test)") {
  Stream s(3, 0, 0, Purpose::batches);
  const int k = 7, draws = 70000;
  std::vector<int> counts(k, 0);
  for (int i = 0; i < draws; ++i) ++counts[s.below(k)];
  double chi2 = 0;
  for (int c : counts) chi2 += std::pow(c - draws / double(k), 2) / (draws / double(k));
  CHECK(chi2 < 22.46);  // 99.9% quantile of chi^2 with 6 degrees of freedom
}
