// Tests of the Gaussian KL divergence and the Lyapunov solvers: against brute-force references
// (explicit inverses, Kronecker-product systems), closed forms, and a long simulation of the recursion.
#include <catch2/catch.hpp>

#include <Eigen/Eigenvalues>
#include <Eigen/LU>
#include <cmath>
#include <limits>

#include "sdegen/bounds/gaussian_kl.hpp"
#include "sdegen/bounds/lyapunov.hpp"

using namespace sdegen;

namespace {
constexpr double kEps = std::numeric_limits<double>::epsilon();

Matrix random_matrix(Stream& stream, Eigen::Index rows, Eigen::Index cols) {
  Matrix a(rows, cols);
  stream.fill_normal(a);
  return a;
}

// A A^T / d + floor I: symmetric positive definite with eigenvalues >= floor.
Matrix random_spd(Stream& stream, Eigen::Index d, double floor) {
  const Matrix a = random_matrix(stream, d, d);
  Matrix s = a * a.transpose() / double(d);
  s.diagonal().array() += floor;
  return s;
}

double condition(const Matrix& s) {
  const Vector l = Eigen::SelfAdjointEigenSolver<Matrix>(s).eigenvalues();
  return l[l.size() - 1] / l[0];
}

// The textbook formula with explicit inverse and determinants.
double brute_twice_kl(const Vector& m1, const Matrix& s1, const Vector& m2, const Matrix& s2) {
  const Matrix inv = s2.inverse();
  const Vector dm = m2 - m1;
  return (inv * s1).trace() - double(m1.size()) + std::log(s2.determinant()) -
         std::log(s1.determinant()) + dm.dot(inv * dm);
}

// Column-major vec: vec(H L) = (I kron H) vec L, vec(L H) = (H kron I) vec L, vec(H L H) = (H kron H) vec L.
Matrix kron(const Matrix& a, const Matrix& b) {
  Matrix out(a.rows() * b.rows(), a.cols() * b.cols());
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < a.cols(); ++j)
      out.block(i * b.rows(), j * b.cols(), b.rows(), b.cols()) = a(i, j) * b;
  return out;
}

// H L + L H (- step H L H when discrete) = eta C, by one d^2 x d^2 linear solve; step is the
// (sub)step size, eta by default.
Matrix brute_lyapunov(const Matrix& h, const Matrix& c, double eta, bool discrete, double step = 0) {
  const Eigen::Index d = h.rows();
  const Matrix id = Matrix::Identity(d, d);
  Matrix k = kron(id, h) + kron(h, id);
  if (discrete) k -= (step > 0 ? step : eta) * kron(h, h);
  const Matrix rhs = eta * c;
  const Vector vec = Eigen::FullPivLU<Matrix>(k).solve(Eigen::Map<const Vector>(rhs.data(), d * d));
  return Eigen::Map<const Matrix>(vec.data(), d, d);
}

bool all_nan(const Matrix& m) { return m.array().isNaN().all(); }
}  // namespace

TEST_CASE("twice the Gaussian KL matches the explicit-inverse formula for random SPD covariances") {
  Stream stream(11, 0, 0, Purpose::data);
  for (int d = 1; d <= 5; ++d)
    for (int rep = 0; rep < 20; ++rep) {
      const Matrix s1 = random_spd(stream, d, 0.2), s2 = random_spd(stream, d, 0.2);
      const Vector m1 = random_matrix(stream, d, 1), m2 = random_matrix(stream, d, 1);
      const double reference = brute_twice_kl(m1, s1, m2, s2);
      // Both computations are backward stable: each term is off by about d cond(S) eps times its
      // size. The bound below sums the terms' magnitudes and allows a constant of 10.
      const double scale = std::abs((s2.inverse() * s1).trace()) + d + std::abs(std::log(s2.determinant())) +
                           std::abs(std::log(s1.determinant())) + std::abs(reference);
      const double tol = 10 * d * std::max(condition(s1), condition(s2)) * kEps * scale;
      INFO("d = " << d << ", rep = " << rep);
      CHECK(std::abs(twice_gaussian_kl(m1, s1, m2, s2) - reference) <= tol);
      CHECK(std::abs(log_det_spd(s1) - std::log(s1.determinant())) <= tol);
    }
}

TEST_CASE("twice the Gaussian KL matches the 1-D closed form and vanishes at p = q") {
  // 2 KL(N(a, u^2) || N(b, v^2)) = u^2/v^2 - 1 + ln(v^2/u^2) + (b - a)^2 / v^2
  const double a = 0.3, u = 0.7, b = -1.1, v = 1.9;
  const double closed = u * u / (v * v) - 1 + std::log(v * v / (u * u)) + (b - a) * (b - a) / (v * v);
  CHECK(twice_gaussian_kl(Vector::Constant(1, a), Matrix::Constant(1, 1, u * u), Vector::Constant(1, b),
                          Matrix::Constant(1, 1, v * v)) == Approx(closed).epsilon(1e-14));
  // N(0, 1) against N(1, 4): 1/4 - 1 + ln 4 + 1/4
  CHECK(twice_gaussian_kl(Vector::Zero(1), Matrix::Identity(1, 1), Vector::Ones(1), Matrix::Constant(1, 1, 4)) ==
        Approx(std::log(4.0) - 0.5).epsilon(1e-14));

  Stream stream(12, 0, 0, Purpose::data);
  for (int d = 1; d <= 5; ++d) {
    const Matrix s = random_spd(stream, d, 0.2);
    const Vector m = random_matrix(stream, d, 1);
    // tr(L^-1 L) = d and the log-determinants cancel exactly: only the triangular solve rounds.
    CHECK(std::abs(twice_gaussian_kl(m, s, m, s)) <= 10 * d * d * condition(s) * kEps);
  }
}

TEST_CASE("KL and log det are NaN when a covariance is not positive definite") {
  Matrix indefinite(2, 2);
  indefinite << 1, 2, 2, 1;  // eigenvalues 3 and -1
  Matrix singular(2, 2);
  singular << 1, 1, 1, 1;  // eigenvalues 2 and 0
  const Vector m = Vector::Zero(2);
  const Matrix id = Matrix::Identity(2, 2);
  CHECK(std::isnan(twice_gaussian_kl(m, indefinite, m, id)));
  CHECK(std::isnan(twice_gaussian_kl(m, id, m, indefinite)));
  CHECK(std::isnan(twice_gaussian_kl(m, singular, m, id)));
  CHECK(std::isnan(twice_gaussian_kl(m, id, m, singular)));
  CHECK(std::isnan(log_det_spd(indefinite)));
  CHECK(std::isnan(log_det_spd(singular)));
  CHECK(std::isnan(log_det_spd(-id)));
  CHECK(std::isfinite(twice_gaussian_kl(m, id, m, 2 * id)));
}

TEST_CASE("Lyapunov solutions match a brute-force Kronecker solve and satisfy their equations") {
  Stream stream(21, 0, 0, Purpose::data);
  for (int d = 1; d <= 6; ++d)
    for (double eta_lambda : {0.1, 1.0, 1.9}) {  // eta lambda_max, from small steps to near the edge
      const Matrix h = random_spd(stream, d, 0.3);
      const Matrix b = random_matrix(stream, d, std::max(1, d - 1));  // C PSD, singular for d >= 2
      const Matrix c = b * b.transpose();
      const double lambda_max = Eigen::SelfAdjointEigenSolver<Matrix>(h).eigenvalues()[d - 1];
      const double eta = eta_lambda / lambda_max;
      const LyapunovSolution sol = solve_lyapunov(h, c, eta);
      INFO("d = " << d << ", eta lambda_max = " << eta_lambda);
      REQUIRE(sol.positive_definite);
      REQUIRE_FALSE(sol.edge_of_stability);
      CHECK(sol.lambda_max == Approx(lambda_max).epsilon(1e-12));

      const Matrix cont = brute_lyapunov(h, c, eta, false), disc = brute_lyapunov(h, c, eta, true);
      CHECK((sol.continuous - cont).norm() <= 1e-10 * cont.norm());
      CHECK((sol.discrete - disc).norm() <= 1e-10 * disc.norm());
      CHECK(sol.continuous == sol.continuous.transpose());
      CHECK(sol.discrete == sol.discrete.transpose());

      // Residuals relative to the sizes of the terms: the eigensolver's backward error is a small
      // multiple of d eps ||H||, and the rotations add a few d eps more; 50 d eps is generous.
      const Matrix& lc = sol.continuous;
      const Matrix& ld = sol.discrete;
      const double rc = (h * lc + lc * h - eta * c).norm() / (2 * h.norm() * lc.norm() + eta * c.norm());
      const double rd = (h * ld + ld * h - eta * h * ld * h - eta * c).norm() /
                        (2 * h.norm() * ld.norm() + eta * h.norm() * h.norm() * ld.norm() + eta * c.norm());
      CHECK(rc <= 50 * d * kEps);
      CHECK(rd <= 50 * d * kEps);
    }
}

TEST_CASE("k substeps change the discrete Lyapunov solution as eta / k does (Kronecker solve)") {
  // k Euler substeps of eta / k with noise (eta / sqrt k) xi: H L + L H - (eta/k) H L H = eta C,
  // i.e. k times the one-step solution at eta / k; stable while (eta / k) lambda_max < 2.
  Stream stream(23, 0, 0, Purpose::data);
  for (int d = 1; d <= 5; ++d)
    for (int k : {1, 2, 5}) {
      const Matrix h = random_spd(stream, d, 0.3);
      const Matrix b = random_matrix(stream, d, d);
      const Matrix c = b * b.transpose();
      const double lambda_max = Eigen::SelfAdjointEigenSolver<Matrix>(h).eigenvalues()[d - 1];
      const double eta = 1.8 * k / lambda_max;  // (eta / k) lambda_max = 1.8: near the substep's edge
      INFO("d = " << d << ", k = " << k);
      const LyapunovSolution sol = solve_lyapunov(h, c, eta, k);
      REQUIRE_FALSE(sol.edge_of_stability);
      const Matrix brute = brute_lyapunov(h, c, eta, true, eta / k);
      CHECK((sol.discrete - brute).norm() <= 1e-10 * brute.norm());
      const Matrix one_step = solve_lyapunov(h, c, eta / k).discrete;
      CHECK((sol.discrete - k * one_step).norm() <= 1e-12 * sol.discrete.norm());
      CHECK((sol.continuous - brute_lyapunov(h, c, eta, false)).norm() <= 1e-10 * sol.continuous.norm());
      if (k > 1) CHECK(solve_lyapunov(h, c, eta).edge_of_stability);  // the same eta in one step
    }
  Matrix h = Matrix::Zero(2, 2);
  h.diagonal() << 1.0, 4.0;
  CHECK(solve_lyapunov(h, Matrix::Identity(2, 2), 1.0, 2).edge_of_stability);  // (1/2) 4 = 2
  CHECK_FALSE(solve_lyapunov(h, Matrix::Identity(2, 2), 1.0, 3).edge_of_stability);
}

TEST_CASE("with C = H the Lyapunov solutions are eta/2 I and eta (2 I - eta H)^-1") {
  // C = H makes L a function of H: H L + L H = eta H gives L = eta/2 I, and
  // 2 H L - eta H^2 L = eta H gives L = eta (2 I - eta H)^-1 (H invertible).
  Stream stream(22, 0, 0, Purpose::data);
  for (int d = 1; d <= 6; ++d) {
    const Matrix h = random_spd(stream, d, 0.3);
    const double lambda_max = Eigen::SelfAdjointEigenSolver<Matrix>(h).eigenvalues()[d - 1];
    const double eta = 1.5 / lambda_max;
    const LyapunovSolution sol = solve_lyapunov(h, h, eta);
    const Matrix id = Matrix::Identity(d, d);
    const Matrix disc = eta * (2 * id - eta * h).inverse();
    INFO("d = " << d);
    // (2 I - eta H) has condition number <= 2 / (2 - 1.5) = 4: a few hundred eps is ample.
    CHECK((sol.continuous - eta / 2 * id).norm() <= 1e-13 * eta);
    CHECK((sol.discrete - disc).norm() <= 1e-13 * disc.norm());
  }
}

TEST_CASE("the discrete Lyapunov solution is NaN at and beyond the edge of stability") {
  Matrix h = Matrix::Zero(3, 3);
  h.diagonal() << 0.5, 1.0, 2.0;
  const Matrix c = Matrix::Identity(3, 3);

  const LyapunovSolution below = solve_lyapunov(h, c, 0.99);  // eta lambda_max = 1.98
  CHECK_FALSE(below.edge_of_stability);
  CHECK(below.discrete.allFinite());

  const LyapunovSolution at = solve_lyapunov(h, c, 1.0);  // eta lambda_max = 2 exactly
  CHECK(at.edge_of_stability);
  CHECK(all_nan(at.discrete));
  CHECK(at.continuous.allFinite());

  const LyapunovSolution beyond = solve_lyapunov(h, c, 1.2);  // eta lambda_max = 2.4
  CHECK(beyond.positive_definite);
  CHECK(beyond.edge_of_stability);
  CHECK(all_nan(beyond.discrete));
  CHECK(beyond.continuous.allFinite());
  CHECK(beyond.lambda_min == Approx(0.5));
  CHECK(beyond.lambda_max == Approx(2.0));

  // A Hessian that is not positive definite has no stationary law at all.
  h(0, 0) = -0.1;
  const LyapunovSolution saddle = solve_lyapunov(h, c, 0.1);
  CHECK_FALSE(saddle.positive_definite);
  CHECK(all_nan(saddle.continuous));
  CHECK(all_nan(saddle.discrete));
  h(0, 0) = 0;  // singular: the flat direction diffuses forever
  const LyapunovSolution flat = solve_lyapunov(h, c, 0.1);
  CHECK_FALSE(flat.positive_definite);
  CHECK(all_nan(flat.continuous));
  CHECK(all_nan(flat.discrete));
}

TEST_CASE("the discrete Lyapunov solution is the stationary covariance of the linear recursion") {
  // W_t = W_{t-1} - eta (H (W_{t-1} - w*) + xi_t), xi ~ N(0, C): D = W - w* obeys
  // D_t = (I - eta H) D_{t-1} - eta xi_t, whose stationary covariance is L_disc, mean 0.
  const int d = 3;
  Stream setup(31, 0, 0, Purpose::data);
  const Matrix q = Eigen::HouseholderQR<Matrix>(random_matrix(setup, d, d)).householderQ();
  const Vector spectrum = (Vector(d) << 1.6, 0.8, 0.3).finished();
  const Matrix h = q * spectrum.asDiagonal() * q.transpose();
  const Matrix c = random_spd(setup, d, 0.5);
  const Vector w_star = random_matrix(setup, d, 1);
  const double eta = 0.9;  // eta lambda_max = 1.44: far from the continuous solution
  const LyapunovSolution sol = solve_lyapunov(h, c, eta);
  REQUIRE(sol.discrete.allFinite());

  // Slowest contraction |1 - eta l| = 0.73, so correlations die within ~30 steps: a 2000-step
  // burn-in forgets the start and 4000-step batches are nearly independent.
  const int burn_in = 2000, batches = 100, batch_steps = 4000;
  const Matrix chol_c = Eigen::LLT<Matrix>(c).matrixL();
  const Matrix step = Matrix::Identity(d, d) - eta * h;
  Stream noise(31, 0, 0, Purpose::noise);
  Matrix z(d, batch_steps);
  Vector w = w_star + Vector::Constant(d, 5.0);
  auto advance = [&](int steps, Matrix* products) {
    noise.fill_normal(z);
    const Matrix xi = chol_c * z.leftCols(steps);
    for (int t = 0; t < steps; ++t) {
      w = w_star + step * (w - w_star) - eta * xi.col(t);  // = w - eta (H (w - w*) + xi)
      if (products) *products += (w - w_star) * (w - w_star).transpose();
    }
  };
  advance(burn_in, nullptr);
  Matrix sum = Matrix::Zero(d, d), sum_sq = Matrix::Zero(d, d);
  for (int k = 0; k < batches; ++k) {
    Matrix batch = Matrix::Zero(d, d);
    advance(batch_steps, &batch);
    batch /= batch_steps;
    sum += batch;
    sum_sq += batch.cwiseProduct(batch);
  }
  const Matrix mean = sum / batches;
  const Matrix se = ((sum_sq / batches - mean.cwiseProduct(mean)) * (batches / (batches - 1.0)) / batches).cwiseSqrt();
  double worst_disc = 0, worst_cont = 0;
  for (int i = 0; i < d; ++i)
    for (int j = 0; j <= i; ++j) {
      worst_disc = std::max(worst_disc, std::abs(mean(i, j) - sol.discrete(i, j)) / se(i, j));
      worst_cont = std::max(worst_cont, std::abs(mean(i, j) - sol.continuous(i, j)) / se(i, j));
    }
  INFO("empirical\n" << mean << "\ndiscrete\n" << sol.discrete << "\nstandard errors\n" << se);
  CHECK(worst_disc < 5);
  // The test has power: the continuous solution (the wrong equation for the step run) is rejected.
  CHECK(worst_cont > 5);
}
