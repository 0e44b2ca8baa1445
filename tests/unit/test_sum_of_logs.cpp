// Tests of sum_of_logs (the log det of a Cholesky diagonal in one log): against a long-double sum
// of logs over scales from 1e-300 to 1e300, near 1 and subnormal, across 64-entry chunks, on a
// strided diagonal, and with the entries whose log is not finite.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sdegen/linalg/sum_of_logs.hpp"
#include "sdegen/random/stream.hpp"

using namespace sdegen;

TEST_CASE("sum_of_logs equals the sum of the logs, for any scales and strides") {
  for (const int count : {1, 20, 64, 65, 300}) {
    Stream draw(3, static_cast<std::uint64_t>(count), 0, Purpose::data);
    Eigen::VectorXd exponents(count), x(count);
    draw.fill_normal(exponents);
    long double exact = 0, magnitude = 0;
    for (int i = 0; i < count; ++i) {
      x[i] = std::pow(10.0, std::clamp(100.0 * exponents[i], -300.0, 300.0));
      exact += std::log(static_cast<long double>(x[i]));
      magnitude += std::abs(std::log(static_cast<long double>(x[i])));
    }
    INFO("count " << count);
    // A relative 1e-15 of sum |log x_i| (the libm logs' own error) plus 1e-14 for the product.
    CHECK(std::abs(sum_of_logs(x) - static_cast<double>(exact)) <= 1e-15 * static_cast<double>(magnitude) + 1e-14);
  }
  // Entries near 1 (Cholesky diagonals of I + a small matrix): no cancellation against ln 2; and
  // subnormals.
  for (const int count : {300, 1000}) {
    Stream draw(4, static_cast<std::uint64_t>(count), 0, Purpose::data);
    Eigen::VectorXd noise(count), x(count);
    draw.fill_normal(noise);
    long double exact = 0;
    for (int i = 0; i < count; ++i) {
      x[i] = 1.0 + 1e-3 * noise[i];
      exact += std::log(static_cast<long double>(x[i]));
    }
    INFO("near 1, count " << count);
    CHECK(std::abs(sum_of_logs(x) - static_cast<double>(exact)) <= 1e-14);
  }
  Eigen::VectorXd tiny(3);
  tiny << 4.9e-324, 1e-310, 2.0;
  const long double tiny_exact = std::log(static_cast<long double>(tiny[0])) +
                                 std::log(static_cast<long double>(tiny[1])) + std::log(2.0L);
  CHECK(sum_of_logs(tiny) == Approx(static_cast<double>(tiny_exact)).epsilon(1e-15));
  // A matrix diagonal (stride d + 1), as the callers pass it.
  Eigen::MatrixXd m = Eigen::MatrixXd::Constant(5, 5, -1.0);
  m.diagonal() << 0.5, 3.0, 1e-200, 7e150, 1.0;
  const double expected = std::log(0.5) + std::log(3.0) + std::log(1e-200) + std::log(7e150);
  CHECK(sum_of_logs(m.diagonal()) == Approx(expected).epsilon(1e-15));
}

TEST_CASE("sum_of_logs: a zero, negative, infinite or NaN entry gives what log gives it") {
  Eigen::VectorXd x(3);
  x << 2.0, 0.0, 3.0;
  CHECK(sum_of_logs(x) == -std::numeric_limits<double>::infinity());
  x[1] = -1.0;
  CHECK(std::isnan(sum_of_logs(x)));
  x[1] = std::numeric_limits<double>::quiet_NaN();
  CHECK(std::isnan(sum_of_logs(x)));
  x[1] = std::numeric_limits<double>::infinity();
  CHECK(sum_of_logs(x) == std::numeric_limits<double>::infinity());
  CHECK(sum_of_logs(Eigen::VectorXd()) == 0.0);
}
