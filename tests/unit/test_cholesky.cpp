// Tests of the in-place Cholesky factor behind every log det of the bounds (a kernel of its own up to
// d = 64, Eigen's blocked one above): L L^T against A within the rounding bound, log det against
// Eigen's LLT, the upper triangle untouched, and the failures it must report.
#include <catch2/catch.hpp>

#include <Eigen/Cholesky>
#include <cmath>
#include <limits>

#include "sdegen/linalg/cholesky_in_place.hpp"
#include "sdegen/random/stream.hpp"

using namespace sdegen;

namespace {

// A = B B^T / d + 0.1 I: symmetric positive definite, condition number in the tens to hundreds.
Eigen::MatrixXd spd(int d, std::uint64_t seed) {
  Stream draw(11, seed, 0, Purpose::data);
  Eigen::MatrixXd b(d, d);
  draw.fill_normal(b);
  Eigen::MatrixXd a = b * b.transpose() / d;
  a.diagonal().array() += 0.1;
  return a;
}

}  // namespace

TEST_CASE("cholesky_in_place: L L^T = A within the rounding bound, log det as Eigen's, upper triangle kept") {
  for (const int d : {1, 2, 3, 7, 8, 9, 15, 16, 17, 20, 33, 63, 64, 65, 80}) {
    INFO("d " << d);
    const Eigen::MatrixXd a = spd(d, static_cast<std::uint64_t>(d));
    Eigen::MatrixXd factor = a;
    factor.triangularView<Eigen::StrictlyUpper>().setConstant(7.0);  // must survive
    double logdet = NAN;
    REQUIRE(cholesky_logdet(factor, logdet));
    CHECK((factor.triangularView<Eigen::StrictlyUpper>().toDenseMatrix().array() ==
           Eigen::MatrixXd(Eigen::MatrixXd::Constant(d, d, 7.0).triangularView<Eigen::StrictlyUpper>()).array())
              .all());
    const Eigen::MatrixXd lower = factor.triangularView<Eigen::Lower>();
    CHECK((lower.diagonal().array() > 0).all());
    // |L L^T - A| <= (d + 1) eps |L| |L|^T entrywise (Higham, Theorem 10.3).
    const Eigen::MatrixXd error = (lower * lower.transpose() - a).cwiseAbs();
    const Eigen::MatrixXd bound =
        (d + 1) * std::numeric_limits<double>::epsilon() * lower.cwiseAbs() * lower.cwiseAbs().transpose();
    CHECK((error.array() <= bound.array()).all());
    const Eigen::LLT<Eigen::MatrixXd> reference(a);
    const double expected = 2.0 * reference.matrixL().toDenseMatrix().diagonal().array().log().sum();
    CHECK(logdet == Approx(expected).epsilon(1e-13).margin(1e-13));
  }
}

TEST_CASE("cholesky_in_place: a matrix that is not positive definite is reported, a NaN shows in L") {
  for (const int d : {2, 20, 70}) {
    INFO("d " << d);
    Eigen::MatrixXd a = spd(d, 100 + static_cast<std::uint64_t>(d));
    // A negative last diagonal entry makes the last pivot negative: a_dd - ||l_d||^2 < 0.
    Eigen::MatrixXd indefinite = a;
    indefinite(d - 1, d - 1) = -1.0;
    CHECK_FALSE(cholesky_in_place(indefinite));
    Eigen::MatrixXd zero_pivot = Eigen::MatrixXd::Zero(d, d);
    CHECK_FALSE(cholesky_in_place(zero_pivot));
    Eigen::MatrixXd with_nan = a;
    with_nan(d - 1, d / 2) = NAN;
    const bool ok = cholesky_in_place(with_nan);
    CHECK((!ok || with_nan.triangularView<Eigen::Lower>().toDenseMatrix().hasNaN()));
  }
}
