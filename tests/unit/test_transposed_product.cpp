// Tests of the one-pass X^T R behind full gradients and SDE noise: against a long-double loop within
// the worst-case rounding bound on shapes that hit every edge block and row tail, and column by
// column bit for bit whatever R's other columns are (what makes the steps' sums reproducible).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "sdegen/linalg/transposed_product.hpp"
#include "sdegen/random/stream.hpp"

using namespace sdegen;

TEST_CASE("transposed_product: X^T R within the rounding bound, on every block and row-tail shape") {
  for (const int n : {1, 7, 8, 9, 64, 203})
    for (const int d : {1, 3, 4, 5, 8, 9, 13, 20})
      for (const int m : {1, 2, 3, 4, 5, 7}) {
        Stream draw(5, static_cast<std::uint64_t>(n * 1000 + d * 10 + m), 0, Purpose::data);
        Eigen::MatrixXd x(n, d), r(n, m), out = Eigen::MatrixXd::Constant(d, m, NAN);
        draw.fill_normal(x);
        draw.fill_normal(r);
        transposed_product(x, r, out);
        for (int c = 0; c < m; ++c)
          for (int j = 0; j < d; ++j) {
            long double exact = 0, magnitude = 0;
            for (int i = 0; i < n; ++i) {
              exact += static_cast<long double>(x(i, j)) * r(i, c);
              magnitude += std::abs(static_cast<long double>(x(i, j)) * r(i, c));
            }
            // Any order of n products and sums errs by at most n eps sum |x_ij r_ic| (Higham 3.1).
            const double bound = (n + 1) * std::numeric_limits<double>::epsilon() * static_cast<double>(magnitude);
            INFO("n " << n << " d " << d << " m " << m << " entry (" << j << ", " << c << ")");
            REQUIRE(std::abs(static_cast<double>(out(j, c) - exact)) <= bound);
          }
      }
}

TEST_CASE("transposed_product: a column's sums do not depend on the other columns, and strides are honoured") {
  const int n = 203, d = 13;
  Stream draw(6, 0, 0, Purpose::data);
  Eigen::MatrixXd x(n, d), wide(n + 5, 6);
  draw.fill_normal(x);
  draw.fill_normal(wide);
  const auto r = wide.topLeftCorner(n, 5);  // columns with an outer stride of n + 5
  Eigen::MatrixXd all(d, 5);
  transposed_product(x, r, all);
  for (int c = 0; c < 5; ++c) {
    Eigen::VectorXd alone(d);
    transposed_product(x, r.col(c), alone);
    INFO("column " << c);
    CHECK((alone.array() == all.col(c).array()).all());
  }
  // Into columns of a larger matrix (an outer stride on the output), two columns at a time.
  Eigen::MatrixXd target = Eigen::MatrixXd::Zero(d + 3, 4);
  transposed_product(x, r.middleCols(1, 2), target.block(1, 1, d, 2));
  CHECK((target.block(1, 1, d, 2).array() == all.middleCols(1, 2).array()).all());
  CHECK(target.col(0).isZero(0.0));
  CHECK(target.col(3).isZero(0.0));
  CHECK(target.row(0).isZero(0.0));
  CHECK(target.bottomRows(2).isZero(0.0));
}
