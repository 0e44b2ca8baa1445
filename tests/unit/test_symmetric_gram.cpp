// Tests of the syrk kernels behind every per-step covariance (plain and weighted): against a
// long-double triple loop within the worst-case rounding bound, on shapes that hit every edge tile and row chunk.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "sdegen/linalg/symmetric_gram.hpp"
#include "sdegen/random/stream.hpp"

using namespace sdegen;

namespace {

// Checks c against before + scale * sum_r s_r^2 p(r, i) p(r, j) (s = 1 without scales), summed in
// long double, within the worst-case rounding bound of any summation order; upper triangle untouched.
void require_gram(const Eigen::MatrixXd& p, const Eigen::VectorXd* row_scales, double scale,
                  const Eigen::MatrixXd& before, const Eigen::MatrixXd& c) {
  const auto n = p.rows(), d = p.cols();
  for (int j = 0; j < d; ++j)
    for (int i = 0; i < d; ++i) {
      if (i < j) {
        REQUIRE(c(i, j) == before(i, j));
        continue;
      }
      long double exact = 0, magnitude = 0;
      for (int r = 0; r < n; ++r) {
        const long double v = row_scales ? static_cast<long double>((*row_scales)[r]) * (*row_scales)[r] : 1.0L;
        exact += v * p(r, i) * p(r, j);
        magnitude += std::abs(v * p(r, i) * p(r, j));
      }
      const long double expected = before(i, j) + scale * exact;
      // Any order of n products and sums errs by at most (n + 2) eps sum |v_r p_ri p_rj| (Higham,
      // Accuracy and Stability of Numerical Algorithms, 3.1), plus s_r^2 and its product, the final
      // scale and add.
      const double eps = std::numeric_limits<double>::epsilon();
      const double bound = (n + 6) * eps * static_cast<double>(scale * magnitude + std::abs(before(i, j)));
      INFO("n " << n << " d " << d << " (" << i << ", " << j << ")" << (row_scales ? " row-scaled" : ""));
      REQUIRE(std::abs(static_cast<double>(c(i, j) - expected)) <= bound);
    }
}

}  // namespace

TEST_CASE("add_symmetric_gram (and row-scaled): lower triangle of C + c P^T P, P = diag(s) X, upper untouched") {
  const double scale = 0.37;
  // d = 1..9 covers every edge tile (d mod 4 = 0..3); n = 1, 7, 8 and 203 the row tails; 2500
  // spans three row chunks.
  for (const int n : {1, 7, 8, 203, 2500})
    for (const int d : {1, 2, 3, 4, 5, 6, 7, 9, 20}) {
      Stream draw(5, static_cast<std::uint64_t>(n), static_cast<std::uint64_t>(d), Purpose::data);
      Eigen::MatrixXd p(n, d), c(d, d);
      Eigen::VectorXd row_scales(n);
      draw.fill_normal(p);
      draw.fill_normal(c);
      draw.fill_normal(row_scales);
      const Eigen::MatrixXd before = c;
      add_symmetric_gram(p, scale, c);
      require_gram(p, nullptr, scale, before, c);
      c = before;
      add_row_scaled_symmetric_gram(p, row_scales, scale, c);
      require_gram(p, &row_scales, scale, before, c);
    }
}
