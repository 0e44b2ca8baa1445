// Tests of the two ways to log det C_t with a noise floor (the d x d Cholesky factor, the n x n Gram
// matrix) and of the two ways to the alignment term (C_mu factorised, or diagonal plus low rank).
#include <catch2/catch.hpp>

#include <Eigen/Eigenvalues>
#include <cmath>

#include "sdegen/bounds/trajectory_terms.hpp"
#include "sdegen/problems/linreg.hpp"
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

TEST_CASE("the alignment term from Sigma_mu as diagonal plus low rank equals the dense factorisation's") {
  // The same linreg population with its structure hidden: the dense path is an independent
  // computation of tr(C_mu^-1 C_t), log det C_mu and the quadratic term.
  struct Dense : Population {
    explicit Dense(const LinearRegression& p) : inner(p) {}
    void population_risks(const Vector& w, Eigen::Ref<Vector> out) const override { inner.population_risks(w, out); }
    Vector population_gradient(const Vector& w) const override { return inner.population_gradient(w); }
    Matrix population_gradient_covariance(const Vector& w) const override {
      return inner.population_gradient_covariance(w);
    }
    Matrix population_hessian(const Vector& w) const override { return inner.population_hessian(w); }
    const LinearRegression& inner;
  };
  for (const int d : {1, 7, 20})
    for (const double floor : {0.0, 1e-2}) {
      // An anisotropic spectrum (decay 1) and a w away from w_true: both parts of Sigma_mu matter.
      const LinearRegression problem(d, 0.5, 1.0, 1.0, 0);
      DiagonalPlusLowRank structure;
      REQUIRE(problem.population_gradient_covariance_structure(Vector::Zero(d), structure));
      Stream stream(9, static_cast<std::uint64_t>(d), 0, Purpose::data);
      const Dataset data = problem.sample(stream, 3 * d + 10);
      const Vector w = Vector::LinSpaced(d, -0.8, 1.1);
      Matrix grads;
      problem.example_gradients(data, w, grads);
      TrajectoryWorkspace a, b;
      const double kappa = 0.05;
      const TrajectoryTerms structured = trajectory_terms(problem, w, grads, kappa, floor, true, true, a);
      const TrajectoryTerms dense = trajectory_terms(Dense(problem), w, grads, kappa, floor, true, true, b);
      INFO("d " << d << ", floor " << floor);
      REQUIRE(structured.align_ok);
      REQUIRE(dense.align_ok);
      CHECK(b.c_mu.rows() == d);  // the dense path ran
      CHECK(a.c_mu.size() == 0);  // the structured one formed no d x d C_mu
      // Rounding of O(d^2) sums of terms of the size of align's parts.
      CHECK(std::abs(structured.align - dense.align) <= 1e-11 * (1 + std::abs(dense.align)) * d);
      CHECK(structured.logdet == dense.logdet);
    }
  // The structure is Sigma_mu = (delta^T Sx delta + s^2) Sx + Sx delta delta^T Sx, written out here
  // (the dense Sigma_mu is built from it, and checked against sampling in test_problems.cpp).
  const double noise = 0.3;
  const LinearRegression problem(6, noise, 1.0, 0.5, 0);
  const Vector w = Vector::LinSpaced(6, 0.4, -0.2);
  DiagonalPlusLowRank s;
  REQUIRE(problem.population_gradient_covariance_structure(w, s));
  const Matrix sx = problem.spectrum().asDiagonal();
  const Vector delta = w - problem.w_true();
  const Matrix expected = (delta.dot(sx * delta) + noise * noise) * sx + sx * delta * delta.transpose() * sx;
  CHECK((s.dense() - expected).cwiseAbs().maxCoeff() < 1e-14);
  CHECK((problem.population_gradient_covariance(w) - expected).cwiseAbs().maxCoeff() < 1e-14);
}
