// Tests of Hutchinson's trace estimate used beyond bounds.max_dense_dim: against the exact trace of
// a quadratic and of the logistic empirical Hessian, within 4 standard errors of its probe average.
#include <catch2/catch.hpp>

#include <cmath>

#include "sdegen/bounds/hessian_trace.hpp"
#include "sdegen/problems/logistic.hpp"

using namespace sdegen;

namespace {
// Var(z^T H z) for Rademacher z: 2 sum_{i != j} H_ij^2.
double rademacher_variance(const Matrix& h) {
  return 2 * (h.squaredNorm() - h.diagonal().squaredNorm());
}
}  // namespace

TEST_CASE("hutchinson_trace: a quadratic's trace within its standard error") {
  const int d = 30;
  Stream draw(11, 0, 0, Purpose::data);
  Matrix a(d, d);
  draw.fill_normal(a);
  const Matrix h = a * a.transpose() / d + Matrix::Identity(d, d);
  const Vector w = Vector::LinSpaced(d, -1, 1);
  const int probes = 2000;
  Stream stream(12, 0, 0, Purpose::curvature);
  const double estimate = hutchinson_trace([&](const Vector& u) { return Vector(h * u); }, w, probes, stream);
  const double se = std::sqrt(rademacher_variance(h) / probes);
  INFO("estimate " << estimate << ", exact " << h.trace() << ", se " << se);
  CHECK(std::abs(estimate - h.trace()) < 4 * se);
  CHECK(se < 0.05 * h.trace());  // the test has power: a 5% error would fail it
  // A diagonal Hessian is recovered exactly by every Rademacher probe.
  const Vector diag = Vector::LinSpaced(d, 0.5, 3);
  Stream one(13, 0, 0, Purpose::curvature);
  CHECK(hutchinson_trace([&](const Vector& u) { return Vector(diag.cwiseProduct(u)); }, w, 1, one) ==
        Approx(diag.sum()).epsilon(1e-10));
}

TEST_CASE("hutchinson_trace: the logistic empirical Hessian's trace within its standard error") {
  const Logistic problem(12, 1.0, 1.0);
  Stream data_stream(21, 0, 0, Purpose::data);
  const Dataset data = problem.sample(data_stream, 80);
  const Vector w = Vector::LinSpaced(12, -0.5, 0.7);
  const Matrix h = problem.empirical_hessian(data, w);
  const int probes = 4000;
  Stream stream(22, 0, 0, Purpose::curvature);
  const double estimate = hutchinson_trace([&](const Vector& u) { return problem.full_gradient(data, u); }, w,
                                           probes, stream);
  const double se = std::sqrt(rademacher_variance(h) / probes);
  INFO("estimate " << estimate << ", exact " << h.trace() << ", se " << se);
  CHECK(std::abs(estimate - h.trace()) < 4 * se + 1e-6 * h.trace());  // + the central difference's O(e^2)
  CHECK(se < 0.05 * h.trace());
}
