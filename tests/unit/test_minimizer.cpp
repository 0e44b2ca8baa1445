// Tests of the empirical-risk minimiser: exact minima of linreg and gaussian-mean, a logistic
// minimum, a non-convex loss where Newton must fall back to gradient steps, and failure cases.
#include <catch2/catch.hpp>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <cmath>

#include "sdegen/bounds/minimizer.hpp"
#include "sdegen/problems/gaussian_mean.hpp"
#include "sdegen/problems/linreg.hpp"
#include "sdegen/problems/logistic.hpp"

using namespace sdegen;

namespace {
double training_loss(const Problem& p, const Dataset& data, const Vector& w) {
  Vector r(p.losses().size());
  p.empirical_risks(data, w, r);
  return r[0];
}

double min_eigenvalue(const Matrix& h) { return Eigen::SelfAdjointEigenSolver<Matrix>(h).eigenvalues()[0]; }

// A 1-D double well L_S(w) = (w^2 - 1)^2, whatever the data: its Hessian 12 w^2 - 4 is negative
// for |w| < 1/sqrt 3, where the Newton step heads for the maximum at 0.
class DoubleWell : public Problem {
 public:
  std::string name() const override { return "double-well"; }
  int dim() const override { return 1; }
  Dataset sample(Stream&, int n) const override { return {Matrix::Zero(n, 1), Vector()}; }
  const std::vector<EvalLoss>& losses() const override { return losses_; }
  void example_gradients(const Dataset& data, const Vector& w, Matrix& out) const override {
    out = Matrix::Constant(data.size(), 1, grad(w[0]));
  }
  void weighted_gradient_sums(const Dataset&, const Vector& w, const Matrix& weights, Matrix& out,
                              GradientScratch&) const override {
    out = grad(w[0]) * weights.colwise().sum();
  }
  void batch_gradient(const Dataset&, const Eigen::VectorXi&, const Vector& w, Vector& out,
                      GradientScratch&) const override {
    out = Vector::Constant(1, grad(w[0]));
  }
  void empirical_risks(const Dataset&, const Vector& w, Eigen::Ref<Vector> out) const override {
    out[0] = (w[0] * w[0] - 1) * (w[0] * w[0] - 1);
  }
  void example_losses(const Dataset& data, const Vector& w, Matrix& out) const override {
    out = Matrix::Constant(data.size(), 1, (w[0] * w[0] - 1) * (w[0] * w[0] - 1));
  }
  Matrix empirical_hessian(const Dataset&, const Vector& w) const override {
    return Matrix::Constant(1, 1, 12 * w[0] * w[0] - 4);
  }

 private:
  static double grad(double w) { return 4 * w * (w * w - 1); }
  std::vector<EvalLoss> losses_{{"double-well", 1.0, "(w^2 - 1)^2"}};
};
}  // namespace

TEST_CASE("the linreg minimum is the least-squares solution") {
  const LinearRegression problem(5, 0.5, 1.0, 1.0, 0);
  Stream stream(41, 0, 0, Purpose::data);
  const Dataset data = problem.sample(stream, 50);
  const double tol = 1e-10;
  const MinimizerResult r = find_minimum(problem, data, Vector::Zero(5), tol, 50);
  REQUIRE(r.converged);
  CHECK(r.gradient_norm <= tol);
  CHECK(r.iterations <= 2);  // a quadratic: one exact Newton step (plus at most one polish)
  const Matrix xtx = data.X.transpose() * data.X;
  const Vector ls = xtx.ldlt().solve(data.X.transpose() * data.y);
  // ||w - w_LS|| <= ||grad|| / lambda_min(X^T X / n), plus rounding of the LS solve itself.
  const double bound = tol / min_eigenvalue(xtx / 50.0) + 1e-12;
  CHECK((r.w - ls).norm() <= bound);
  CHECK(bound < 1e-8);
}

TEST_CASE("the gaussian-mean minimum is the sample mean") {
  const GaussianMean problem(4, 0.8, 1.0, 0);
  Stream stream(42, 0, 0, Purpose::data);
  const Dataset data = problem.sample(stream, 30);
  const double tol = 1e-10;
  const MinimizerResult r = find_minimum(problem, data, Vector::Constant(4, -3.0), tol, 50);
  REQUIRE(r.converged);
  const Vector mean = data.X.colwise().mean();
  // grad = 2 (w - mean), so ||w - mean|| = ||grad|| / 2 <= tol / 2 (plus rounding of the mean).
  CHECK((r.w - mean).norm() <= tol / 2 + 1e-14);
}

TEST_CASE("the logistic minimum on overlapping classes has a small gradient and a PD Hessian") {
  const Logistic problem(3, 1.0, 1.0);
  Stream stream(43, 0, 0, Purpose::data);
  const Dataset data = problem.sample(stream, 200);
  const double tol = 1e-10;
  const MinimizerResult r = find_minimum(problem, data, Vector::Zero(3), tol, 50);
  REQUIRE(r.converged);
  CHECK(r.gradient_norm <= tol);
  CHECK(r.gradient_norm == Approx(problem.full_gradient(data, r.w).norm()).margin(1e-15));
  CHECK(r.iterations <= 15);  // Newton converges quadratically on this strongly convex loss
  CHECK(min_eigenvalue(problem.empirical_hessian(data, r.w)) > 0);
  // It is a minimum: small moves along each axis raise the loss.
  const double at = training_loss(problem, data, r.w);
  for (int i = 0; i < 3; ++i)
    for (double h : {-1e-3, 1e-3}) {
      Vector w = r.w;
      w[i] += h;
      CHECK(training_loss(problem, data, w) > at);
    }
}

TEST_CASE("a Hessian that is not PD gives a gradient step, not a step towards the maximum") {
  // From w = 0.3 (Hessian -2.92), pure Newton converges to the maximum w = 0, where the gradient
  // also vanishes; the descent safeguard must instead reach the minimum w = 1.
  const DoubleWell problem;
  const Dataset data{Matrix::Zero(3, 1), Vector()};
  const double tol = 1e-12;
  const MinimizerResult r = find_minimum(problem, data, Vector::Constant(1, 0.3), tol, 100);
  REQUIRE(r.converged);
  // Near w = 1 the Hessian is 8: |w - 1| ~ ||grad|| / 8.
  CHECK(r.w[0] == Approx(1.0).margin(tol));
  CHECK(training_loss(problem, data, r.w) < training_loss(problem, data, Vector::Constant(1, 0.3)));
}

TEST_CASE("the minimiser returns without throwing when there is no unique or finite minimum") {
  SECTION("linreg with d > n: a singular Hessian and a continuum of minimisers") {
    const LinearRegression problem(6, 0.5, 1.0, 0.0, 0);
    Stream stream(44, 0, 0, Purpose::data);
    const Dataset data = problem.sample(stream, 4);
    const double tol = 1e-8;
    MinimizerResult r;
    REQUIRE_NOTHROW(r = find_minimum(problem, data, Vector::Zero(6), tol, 200));
    CHECK(r.w.allFinite());
    CHECK(r.converged == (r.gradient_norm <= tol));
    CHECK(r.iterations <= 200);
    CHECK(training_loss(problem, data, r.w) < training_loss(problem, data, Vector::Zero(6)));
    // Any minimiser interpolates 4 points in 6 dimensions.
    if (r.converged) CHECK(training_loss(problem, data, r.w) < 1e-10);
  }
  SECTION("separable logistic data: the loss decreases towards 0 as ||w|| grows") {
    const Logistic problem(3, 0.05, 3.0);
    Stream stream(45, 0, 0, Purpose::data);
    const Dataset data = problem.sample(stream, 20);
    // Separable by the mixture mean direction, so no finite minimiser exists.
    const Vector direction = Vector::Ones(3);
    REQUIRE(((data.X * direction).array() * data.y.array()).minCoeff() > 0);
    const double tol = 1e-10;
    MinimizerResult r;
    REQUIRE_NOTHROW(r = find_minimum(problem, data, Vector::Zero(3), tol, 50));
    CHECK(r.w.allFinite());
    CHECK(r.converged == (r.gradient_norm <= tol));
    CHECK(r.iterations <= 50);
    CHECK(training_loss(problem, data, r.w) < training_loss(problem, data, Vector::Zero(3)));
  }
}

TEST_CASE("tolerances below the rounding of the training loss are still reached") {
  // Near the minimum the loss decrease of a Newton step (~ ||grad||^2) is below eps L_S, so the
  // Armijo test cannot see it; the minimiser must then judge steps by the gradient norm.
  const GaussianMean mean_problem(4, 0.8, 1.0, 0);
  Stream stream(42, 0, 0, Purpose::data);
  const Dataset mean_data = mean_problem.sample(stream, 30);
  const Vector mean = mean_data.X.colwise().mean();
  // Starting 1e-9 off: ||grad|| = 4e-9, predicted decrease 4e-18 against L_S ~ 2.6 (eps L_S ~ 6e-16).
  const MinimizerResult a = find_minimum(mean_problem, mean_data, mean + Vector::Constant(4, 1e-9), 1e-13, 20);
  CHECK(a.converged);
  CHECK((a.w - mean).norm() <= 1e-13);

  const Logistic logistic(3, 1.0, 1.0);
  Stream stream2(43, 0, 0, Purpose::data);
  const Dataset data = logistic.sample(stream2, 200);
  const MinimizerResult first = find_minimum(logistic, data, Vector::Zero(3), 1e-15, 50);
  REQUIRE(first.converged);
  const MinimizerResult b = find_minimum(logistic, data, first.w + Vector::Constant(3, 1e-5), 1e-15, 20);
  CHECK(b.converged);
  CHECK(b.gradient_norm <= 1e-15);
}
