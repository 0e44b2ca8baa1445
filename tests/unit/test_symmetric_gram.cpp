// Tests of the syrk kernel behind every per-step covariance: against a long-double triple loop
// within the worst-case rounding bound, on shapes that hit every edge tile and the row chunks.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "sdegen/linalg/symmetric_gram.hpp"
#include "sdegen/random/stream.hpp"

using namespace sdegen;

TEST_CASE("add_symmetric_gram: lower triangle of C + s P^T P, upper triangle untouched") {
  const double scale = 0.37;
  // d = 1..9 covers every edge tile (d mod 4 = 0..3); n = 1, 7, 8 and 203 the row tails; 2500
  // spans three row chunks.
  for (const int n : {1, 7, 8, 203, 2500})
    for (const int d : {1, 2, 3, 4, 5, 6, 7, 9, 20}) {
      Stream draw(5, static_cast<std::uint64_t>(n), static_cast<std::uint64_t>(d), Purpose::data);
      Eigen::MatrixXd p(n, d), c(d, d);
      draw.fill_normal(p);
      draw.fill_normal(c);
      const Eigen::MatrixXd before = c;
      add_symmetric_gram(p, scale, c);
      for (int j = 0; j < d; ++j)
        for (int i = 0; i < d; ++i) {
          if (i < j) {
            REQUIRE(c(i, j) == before(i, j));
            continue;
          }
          long double exact = 0, magnitude = 0;
          for (int r = 0; r < n; ++r) {
            exact += static_cast<long double>(p(r, i)) * p(r, j);
            magnitude += std::abs(static_cast<long double>(p(r, i)) * p(r, j));
          }
          const long double expected = before(i, j) + scale * exact;
          // Any order of n products and sums errs by at most (n + 2) eps sum |p_ri p_rj| (Higham,
          // Accuracy and Stability of Numerical Algorithms, 3.1), plus the final scale and add.
          const double eps = std::numeric_limits<double>::epsilon();
          const double bound = (n + 4) * eps * static_cast<double>(scale * magnitude + std::abs(before(i, j)));
          INFO("n " << n << " d " << d << " (" << i << ", " << j << ")");
          REQUIRE(std::abs(static_cast<double>(c(i, j) - expected)) <= bound);
        }
    }
}
