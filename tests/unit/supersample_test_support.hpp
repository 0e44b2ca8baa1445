// Shared pieces of the supersample tests: comparison with a value printed to a given number of
// digits, and the mock laws of the exact test cases (Bernoulli losses, the memoriser).
#pragma once
#include <Eigen/Core>
#include <cmath>
#include <cstdlib>
#include <string>

#include "sdegen/bounds/supersample/loss_pair_histogram.hpp"
#include "sdegen/random/stream.hpp"

namespace supersample_test {

// Half a unit of the last printed digit of `printed` ("0.3544" -> 5e-5, "4.5106e-3" -> 5e-8).
inline double printed_half_unit(const std::string& printed) {
  const std::size_t e = printed.find_first_of("eE");
  const std::string mantissa = printed.substr(0, e);
  const int exponent = e == std::string::npos ? 0 : std::atoi(printed.c_str() + e + 1);
  const std::size_t dot = mantissa.find('.');
  const int decimals = dot == std::string::npos ? 0 : static_cast<int>(mantissa.size() - dot - 1);
  return 0.5 * std::pow(10.0, exponent - decimals);
}

// True when value rounds to the printed number (with a hair of slack for binary rounding).
inline bool matches_printed(double value, const std::string& printed) {
  const double target = std::stod(printed);
  return std::abs(value - target) <= printed_half_unit(printed) * (1 + 1e-9) + 1e-15;
}

// T3's exact law: L^+ ~ Bernoulli(e), L^- ~ Bernoulli(p), independent.
inline Eigen::MatrixXd bernoulli_law(double e, double p) {
  Eigen::MatrixXd joint(2, 2);
  joint << (1 - e) * (1 - p), (1 - e) * p, e * (1 - p), e * p;
  return joint;
}

// `pairs` independent draws of T3's mock, as 0-1 losses.
inline sdegen::supersample::PairCounts bernoulli_counts(double e, double p, int pairs, sdegen::Stream& stream) {
  const Eigen::VectorXd training = Eigen::VectorXd::NullaryExpr(pairs, [&] { return stream.uniform() < e ? 1.0 : 0.0; });
  const Eigen::VectorXd heldout = Eigen::VectorXd::NullaryExpr(pairs, [&] { return stream.uniform() < p ? 1.0 : 0.0; });
  sdegen::supersample::LossPairHistogram h(sdegen::supersample::LossLevels::zero_one(), 1);
  h.add(0, training, heldout);
  return h.counts(0);
}

}  // namespace supersample_test
