// Tests of the two ways to log det C_t with a noise floor: the d x d Cholesky factor and the
// n x n Gram matrix (matrix determinant lemma), against each other and against an eigen-decomposition.
#include <catch2/catch.hpp>

#include <Eigen/Eigenvalues>
#include <cmath>

#include "sdegen/bounds/trajectory_terms.hpp"
#include "sdegen/problems/sample_population.hpp"
#include "sdegen/random/stream.hpp"

using namespace sdegen;

namespace {

// Gradients with a common offset (so that centring matters) and unequal column scales.
Matrix gradients(int n, int d, std::uint64_t seed) {
  Matrix p(n, d);
  Stream(seed, 0, 0, Purpose::data).fill_normal(p);
  for (int j = 0; j < d; ++j) p.col(j) = p.col(j) * (0.2 + 2.0 * j / d) + Vector::Constant(n, 0.7);
  return p;
}

// log det and trace of kappa Sigma_S + lambda I from its eigenvalues.
std::pair<double, double> by_eigenvalues(const Matrix& p, double kappa, double floor) {
  const Vector mean = p.colwise().mean();
  const Matrix centred = p.rowwise() - mean.transpose();
  Matrix c = kappa * centred.transpose() * centred / double(p.rows());
  c.diagonal().array() += floor;
  const Vector lambda = Eigen::SelfAdjointEigenSolver<Matrix>(c, Eigen::EigenvaluesOnly).eigenvalues();
  return {lambda.array().log().sum(), lambda.sum()};
}

}  // namespace

TEST_CASE("log det C: the Gram path equals the dense path and the eigenvalues, for n < d and n > d") {
  struct Case {
    int n, d;
    double kappa, floor;
  };
  for (const Case& c : {Case{10, 40, 0.08, 1e-3}, Case{30, 7, 0.02, 0.5}, Case{25, 25, 1.0, 1e-6}, Case{3, 200, 0.3, 2.0}}) {
    INFO("n " << c.n << " d " << c.d << " lambda " << c.floor);
    const Matrix p = gradients(c.n, c.d, 11 + c.n);
    Matrix work;
    const NoiseLogdet dense = noise_covariance_logdet(p, c.kappa, c.floor, LogdetPath::dense, work);
    const NoiseLogdet gram = noise_covariance_logdet(p, c.kappa, c.floor, LogdetPath::gram, work);
    const auto [logdet, trace] = by_eigenvalues(p, c.kappa, c.floor);
    REQUIRE(dense.ok);
    REQUIRE(gram.ok);
    // log det is a sum of d logs of O(1) to O(1e-6) numbers: agreement to 1e-9 in units of d.
    CHECK(std::abs(gram.logdet - dense.logdet) < 1e-9 * c.d);
    CHECK(std::abs(gram.logdet - logdet) < 1e-9 * c.d);
    CHECK(gram.trace == Approx(trace).epsilon(1e-12));
    CHECK(dense.trace == gram.trace);
  }
}

TEST_CASE("log det C: the cheaper path is the Gram matrix only with a floor and n < d") {
  CHECK(cheaper_logdet_path(10, 40, 1e-3) == LogdetPath::gram);
  CHECK(cheaper_logdet_path(40, 10, 1e-3) == LogdetPath::dense);
  CHECK(cheaper_logdet_path(10, 40, 0.0) == LogdetPath::dense);  // the lemma needs lambda > 0
}

TEST_CASE("trajectory terms: log det by either path, and the alignment term only where asked") {
  // A population with Sigma_mu: a held-out sample of another draw of the same gradients' law is
  // not needed; the alignment term is off here, so only the population gradient is read.
  struct ZeroPopulation : Population {
    void population_risks(const Vector&, Eigen::Ref<Vector> out) const override { out.setZero(); }
    Vector population_gradient(const Vector& w) const override { return Vector::Zero(w.size()); }
    Matrix population_gradient_covariance(const Vector& w) const override {
      return Matrix::Identity(w.size(), w.size());
    }
    Matrix population_hessian(const Vector& w) const override { return Matrix::Identity(w.size(), w.size()); }
  } population;
  const Matrix p = gradients(12, 60, 5);
  const Vector w = Vector::Zero(60);
  TrajectoryWorkspace work;
  const TrajectoryTerms gram = trajectory_terms(population, w, p, 0.1, 1e-2, true, false, work);
  CHECK(work.sigma.rows() == 12);  // n < d with a floor: the n x n path
  const TrajectoryTerms dense = trajectory_terms(population, w, p, 0.1, 1e-2, true, true, work);
  CHECK(work.sigma.rows() == 60);  // the alignment term needs the d x d factor
  REQUIRE(gram.logdet_ok);
  REQUIRE(dense.logdet_ok);
  CHECK(std::abs(gram.logdet - dense.logdet) < 1e-9 * 60);
  CHECK(gram.align == 0);
  CHECK(dense.align > 0);
  CHECK(gram.a_pop == dense.a_pop);
}
