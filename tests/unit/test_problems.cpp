// Tests of the three problems: gradients and Hessians against finite differences, the batched
// kernels against per-example ones, and population closed forms against large fresh samples.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>

#include "sdegen/problems/gaussian_mean.hpp"
#include "sdegen/problems/linreg.hpp"
#include "sdegen/problems/logistic.hpp"

using namespace sdegen;

namespace {

std::vector<std::unique_ptr<Problem>> all_problems() {
  std::vector<std::unique_ptr<Problem>> out;
  out.push_back(std::make_unique<GaussianMean>(3, 0.8, 1.0, 0));
  out.push_back(std::make_unique<LinearRegression>(4, 0.5, 1.0, 1.0, 0));
  out.push_back(std::make_unique<Logistic>(3, 1.0, 1.5));
  return out;
}

double training_risk(const Problem& p, const Dataset& data, const Vector& w) {
  Vector r(p.losses().size());
  p.empirical_risks(data, w, r);
  return r[0];
}

double population_risk(const Problem& p, const Vector& w, int loss = 0) {
  Vector r(p.losses().size());
  p.closed_form_population()->population_risks(w, r);
  return r[loss];
}

// Central differences of a scalar function of w.
template <class F>
Vector fd_gradient(F f, const Vector& w, double h = 1e-5) {
  Vector g(w.size());
  for (Eigen::Index i = 0; i < w.size(); ++i) {
    Vector a = w, b = w;
    a[i] += h;
    b[i] -= h;
    g[i] = (f(a) - f(b)) / (2 * h);
  }
  return g;
}

// Central differences of a vector function of w (column i = derivative along e_i).
template <class F>
Matrix fd_jacobian(F f, const Vector& w, double h = 1e-5) {
  Matrix jac(w.size(), w.size());
  for (Eigen::Index i = 0; i < w.size(); ++i) {
    Vector a = w, b = w;
    a[i] += h;
    b[i] -= h;
    jac.col(i) = (f(a) - f(b)) / (2 * h);
  }
  return jac;
}

Vector test_point(int d) {
  Vector w(d);
  for (int i = 0; i < d; ++i) w[i] = 0.3 - 0.25 * i;
  return w;
}

}  // namespace

TEST_CASE("per-example, batch and full gradients agree with finite differences") {
  for (const auto& problem : all_problems()) {
    INFO(problem->name());
    Stream stream(5, 0, 0, Purpose::data);
    const Dataset data = problem->sample(stream, 12);
    const Vector w = test_point(problem->dim());
    Matrix grads;
    problem->example_gradients(data, w, grads);
    REQUIRE(grads.rows() == 12);
    for (int i = 0; i < 12; ++i) {
      Dataset one{data.X.row(i), data.y.size() ? Vector(data.y.segment(i, 1)) : Vector()};
      const Vector fd = fd_gradient([&](const Vector& v) { return training_risk(*problem, one, v); }, w);
      CHECK((grads.row(i).transpose() - fd).norm() < 1e-7 * (1 + fd.norm()));
    }
    const Vector full = problem->full_gradient(data, w);
    CHECK((full - grads.colwise().mean().transpose()).norm() < 1e-12 * (1 + full.norm()));

    Eigen::VectorXi rows(4);
    rows << 7, 2, 11, 5;
    Vector batch;
    GradientScratch scratch;
    problem->batch_gradient(data, rows, w, batch, scratch);
    const Vector expected = grads(rows, Eigen::all).colwise().mean().transpose();
    CHECK((batch - expected).norm() < 1e-12 * (1 + expected.norm()));

    Matrix weights = Matrix::Random(12, 3), sums(problem->dim(), 3);
    problem->weighted_gradient_sums(data, w, weights, sums, scratch);
    CHECK((sums - grads.transpose() * weights).norm() < 1e-12 * (1 + sums.norm()));
  }
}

TEST_CASE("empirical Hessians agree with finite differences of the gradient") {
  for (const auto& problem : all_problems()) {
    INFO(problem->name());
    Stream stream(6, 0, 0, Purpose::data);
    const Dataset data = problem->sample(stream, 15);
    const Vector w = test_point(problem->dim());
    const Matrix fd = fd_jacobian([&](const Vector& v) { return problem->full_gradient(data, v); }, w);
    const Matrix h = problem->empirical_hessian(data, w);
    CHECK((h - fd).norm() < 1e-7 * (1 + h.norm()));
  }
}

TEST_CASE("population gradients and Hessians agree with finite differences of the risk") {
  for (const auto& problem : all_problems()) {
    INFO(problem->name());
    const Vector w = test_point(problem->dim());
    const Vector fd = fd_gradient([&](const Vector& v) { return population_risk(*problem, v); }, w);
    const Vector g = problem->closed_form_population()->population_gradient(w);
    CHECK((g - fd).norm() < 1e-7 * (1 + g.norm()));
    const Matrix fdh = fd_jacobian([&](const Vector& v) { return problem->closed_form_population()->population_gradient(v); }, w);
    const Matrix h = problem->closed_form_population()->population_hessian(w);
    CHECK((h - fdh).norm() < 1e-7 * (1 + h.norm()));
  }
}

TEST_CASE("population risks of every loss match a large fresh sample (z-test)") {
  for (const auto& problem : all_problems()) {
    INFO(problem->name());
    const Vector w = test_point(problem->dim());
    const int chunks = 100, chunk = 4000;
    const int losses = static_cast<int>(problem->losses().size());
    Matrix risks(chunks, losses);
    for (int c = 0; c < chunks; ++c) {
      Stream stream(11, 0, static_cast<std::uint64_t>(c), Purpose::data);
      Vector r(losses);
      problem->empirical_risks(problem->sample(stream, chunk), w, r);
      risks.row(c) = r;
    }
    for (int l = 0; l < losses; ++l) {
      INFO(problem->losses()[l].name);
      const double mean = risks.col(l).mean();
      const double se = std::sqrt((risks.col(l).array() - mean).square().sum() / (chunks - 1) / chunks);
      const double exact = population_risk(*problem, w, l);
      CHECK(std::abs(mean - exact) < 4 * se);
    }
  }
}

TEST_CASE("the population gradient covariance matches a large fresh sample (z-test per entry)") {
  for (const auto& problem : all_problems()) {
    INFO(problem->name());
    const Vector w = test_point(problem->dim());
    const int d = problem->dim(), chunks = 60, chunk = 5000;
    std::vector<Matrix> estimates;
    Matrix grads;
    for (int c = 0; c < chunks; ++c) {
      Stream stream(12, 0, static_cast<std::uint64_t>(c), Purpose::data);
      problem->example_gradients(problem->sample(stream, chunk), w, grads);
      estimates.push_back(empirical_gradient_covariance(grads));
    }
    const Matrix exact = problem->closed_form_population()->population_gradient_covariance(w);
    double worst = 0;
    for (int i = 0; i < d; ++i)
      for (int j = 0; j <= i; ++j) {
        Eigen::VectorXd e(chunks);
        for (int c = 0; c < chunks; ++c) e[c] = estimates[c](i, j);
        const double se = std::sqrt((e.array() - e.mean()).square().sum() / (chunks - 1) / chunks);
        worst = std::max(worst, std::abs(e.mean() - exact(i, j)) / se);
      }
    CHECK(worst < 4.5);  // max of d(d+1)/2 <= 10 z-scores
  }
}

TEST_CASE("evaluation losses declare their subgaussian constants") {
  for (const auto& problem : all_problems()) {
    INFO(problem->name());
    REQUIRE(problem->losses().size() == 2);
    CHECK(std::isinf(problem->losses()[0].subgaussian_r));
    CHECK(std::isfinite(problem->losses()[1].subgaussian_r));
  }
  CHECK(Logistic(2, 1, 1).losses()[1].subgaussian_r == 0.5);
  CHECK(LinearRegression(2, 1, 1, 0, 3.0).losses()[1].subgaussian_r == 1.5);
}
