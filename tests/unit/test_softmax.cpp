// Tests of the softmax classifier: probabilities, risks and the reference-class layout against
// scalar formulas, gradients and Hessian against finite differences, positive definiteness, sampling.
#include <catch2/catch.hpp>

#include <Eigen/Eigenvalues>
#include <cmath>

#include "model_checks.hpp"
#include "sdegen/problems/logistic.hpp"
#include "sdegen/problems/softmax.hpp"

using namespace sdegen;
using namespace sdegen::test;

namespace {

Vector test_point(const Softmax& m, double scale = 0.7, std::uint64_t seed = 3) {
  Vector w(m.dim());
  Stream(seed, 0, 0, Purpose::init).fill_normal(w);
  return scale * w;
}

// Logits of one example from the documented layout: class 0 has logit 0.
Vector reference_logits(const Softmax& m, const Vector& w, const Vector& x) {
  Vector u = Vector::Zero(m.classes());
  for (int c = 1; c < m.classes(); ++c)
    for (int k = 0; k < m.inputs(); ++k) u[c] += w[(c - 1) * m.inputs() + k] * x[k];
  return u;
}

}  // namespace

TEST_CASE("softmax: probabilities and risks match scalar formulas of the documented layout") {
  const Softmax m(4, 5, 1.0, 2.0, 1);
  REQUIRE(m.dim() == 16);
  Stream stream(2, 0, 0, Purpose::data);
  const Dataset data = m.sample(stream, 30);
  for (double scale : {0.7, 300.0}) {  // 300: logits in the hundreds, exp would overflow unshifted
    INFO("scale " << scale);
    const Vector w = test_point(m, scale);
    const Matrix prob = m.probabilities(data.X, w);
    double cross_entropy = 0, errors = 0;
    for (int i = 0; i < data.size(); ++i) {
      const Vector u = reference_logits(m, w, data.X.row(i).transpose());
      const double top = u.maxCoeff();
      const double log_total = top + std::log((u.array() - top).exp().sum());
      for (int c = 0; c < m.classes(); ++c) CHECK(std::abs(prob(i, c) - std::exp(u[c] - log_total)) < 1e-14);
      const int y = static_cast<int>(data.y[i]);
      cross_entropy += log_total - u[y];
      Eigen::Index best;
      u.maxCoeff(&best);
      errors += best != y;
    }
    CHECK((prob.rowwise().sum().array() - 1).abs().maxCoeff() < 1e-14);
    CHECK(prob.minCoeff() >= 0);
    Vector r(2);
    m.empirical_risks(data, w, r);
    CHECK(r[0] == Approx(cross_entropy / data.size()).epsilon(1e-13));
    CHECK(r[1] == errors / data.size());
  }
  // At the origin every class has probability 1/K; all logits tie, which counts as an error.
  const Matrix uniform = m.probabilities(data.X, Vector::Zero(m.dim()));
  CHECK((uniform.array() - 0.2).abs().maxCoeff() < 1e-15);
  Vector r(2);
  m.empirical_risks(data, Vector::Zero(m.dim()), r);
  CHECK(r[0] == Approx(std::log(5.0)));
  CHECK(r[1] == 1);
}

TEST_CASE("softmax: two classes are logistic regression on y = 2 class - 1") {
  const Softmax m(3, 2, 1.0, 1.5, 4);
  Stream stream(5, 0, 0, Purpose::data);
  Dataset data = m.sample(stream, 40);
  const Vector w = test_point(m);
  Vector soft(2), logistic(2);
  m.empirical_risks(data, w, soft);
  data.y = 2 * data.y.array() - 1;
  Logistic(3, 1.0, 1.0).empirical_risks(data, w, logistic);
  CHECK((soft - logistic).norm() < 1e-14);
}

TEST_CASE("softmax: per-example, full, minibatch and weighted gradients agree with finite differences") {
  for (int classes : {2, 3, 6}) {
    INFO(classes << " classes");
    const Softmax m(4, classes, 1.0, 2.0, 6);
    Stream stream(7, 0, 0, Purpose::data);
    const Dataset data = m.sample(stream, 14);
    const Vector w = test_point(m);
    Matrix grads;
    m.example_gradients(data, w, grads);
    REQUIRE(grads.rows() == 14);
    REQUIRE(grads.cols() == m.dim());
    for (int i = 0; i < data.size(); ++i) {
      const Dataset one = example(data, i);
      const Vector fd = fd_gradient([&](const Vector& v) { return training_risk(m, one, v); }, w);
      CHECK((grads.row(i).transpose() - fd).norm() < kFdTolerance * (1 + fd.norm()));
    }
    const Vector full = full_gradient(m, data, w);
    const Vector fd_full = fd_gradient([&](const Vector& v) { return training_risk(m, data, v); }, w);
    CHECK((full - fd_full).norm() < kFdTolerance * (1 + fd_full.norm()));
    CHECK((full - grads.colwise().mean().transpose()).norm() < 1e-13 * (1 + full.norm()));
    Eigen::VectorXi rows(4);
    rows << 3, 13, 0, 8;
    Vector batch;
    GradientScratch scratch;
    m.batch_gradient(data, rows, w, batch, scratch);
    const Vector expected = grads(rows, Eigen::all).colwise().mean().transpose();
    CHECK((batch - expected).norm() < 1e-13 * (1 + expected.norm()));
    Matrix weights = Matrix::Random(14, 3), sums;
    m.weighted_gradient_sums(data, w, weights, sums, scratch);
    const Matrix explicit_sums = grads.transpose() * weights;
    CHECK((sums - explicit_sums).norm() < 1e-13 * (1 + explicit_sums.norm()));
  }
}

TEST_CASE("softmax: the Hessian agrees with finite differences and is positive definite") {
  for (int classes : {2, 3, 6}) {
    INFO(classes << " classes");
    const Softmax m(4, classes, 1.0, 2.0, 8);
    Stream stream(9, 0, 0, Purpose::data);
    const Dataset data = m.sample(stream, 25);
    const Vector w = test_point(m);
    const Matrix h = m.empirical_hessian(data, w);
    const Matrix fd = fd_jacobian([&](const Vector& v) { return full_gradient(m, data, v); }, w);
    CHECK((h - fd).norm() < 1e-6 * (1 + h.norm()));
    CHECK((h - h.transpose()).norm() == 0);
    const Vector eigenvalues = Eigen::SelfAdjointEigenSolver<Matrix>(h).eigenvalues();
    INFO("eigenvalues " << eigenvalues.transpose());
    CHECK(eigenvalues.minCoeff() > 1e-3 * eigenvalues.maxCoeff());

    // With a free logit for class 0 as well (K p weights), adding one vector to every class's
    // weights changes nothing: that Hessian, (1/n) sum (diag(P) - P P^T) (x) x x^T over all K
    // classes, is singular, and ours is its block without class 0.
    const Matrix prob = m.probabilities(data.X, w);
    const int p = m.inputs();
    Matrix full = Matrix::Zero(classes * p, classes * p);
    for (int i = 0; i < data.size(); ++i) {
      const Vector q = prob.row(i).transpose();
      Matrix curvature = -q * q.transpose();
      curvature.diagonal() += q;
      const Matrix xx = data.X.row(i).transpose() * data.X.row(i);
      for (int c = 0; c < classes; ++c)
        for (int e = 0; e < classes; ++e) full.block(c * p, e * p, p, p) += curvature(c, e) * xx / data.size();
    }
    CHECK((full.bottomRightCorner(m.dim(), m.dim()) - h).norm() < 1e-13 * h.norm());
    const Vector full_eigenvalues = Eigen::SelfAdjointEigenSolver<Matrix>(full).eigenvalues();
    CHECK(std::abs(full_eigenvalues.minCoeff()) < 1e-12 * full_eigenvalues.maxCoeff());
  }
}

TEST_CASE("softmax: labels are uniform over classes and x | y ~ N(mu_y, s^2 I)") {
  const int p = 3, classes = 4, chunks = 60, chunk = 4000;
  const double noise = 0.8;
  const Softmax m(p, classes, noise, 2.0, 10);
  // Per chunk: the class frequencies and, per class, the mean of (x - mu_y) and of |x - mu_y|^2 / p.
  Matrix stats(chunks, classes + classes * (p + 1));
  for (int c = 0; c < chunks; ++c) {
    Stream stream(11, 0, static_cast<std::uint64_t>(c), Purpose::data);
    const Dataset d = m.sample(stream, chunk);
    for (int k = 0; k < classes; ++k) {
      const auto in_class = (d.y.array() == double(k));
      const double count = in_class.count();
      stats(c, k) = count / chunk;
      Vector centred_sum = Vector::Zero(p);
      double square_sum = 0;
      for (int i = 0; i < chunk; ++i)
        if (in_class[i]) {
          const Vector centred = d.X.row(i).transpose() - m.class_means().col(k);
          centred_sum += centred;
          square_sum += centred.squaredNorm() / p;
        }
      stats.block(c, classes + k * (p + 1), 1, p) = centred_sum.transpose() / count;
      stats(c, classes + k * (p + 1) + p) = square_sum / count;
    }
  }
  Vector expected = Vector::Zero(stats.cols());
  expected.head(classes).setConstant(1.0 / classes);
  for (int k = 0; k < classes; ++k) expected[classes + k * (p + 1) + p] = noise * noise;
  const ColumnMeans means = column_means(stats);
  CHECK(((means.mean - expected).array().abs() / means.se.array()).maxCoeff() < 4.5);  // 20 z-scores
  CHECK((m.class_means().colwise().norm().array() > 0.5).all());
  Vector drawn(p * classes);
  Stream(10, 0, 0, Purpose::teacher).fill_normal(drawn);
  CHECK((Eigen::Map<const Vector>(m.class_means().data(), p * classes) - 2.0 / std::sqrt(3.0) * drawn).norm() < 1e-15);
}

TEST_CASE("softmax: initial weights and losses") {
  const Softmax m(5, 3, 1.0, 1.0, 12);
  Vector w;
  Stream stream(13, 0, 0, Purpose::init);
  m.initial_weights(stream, 0.0, w);
  CHECK(w.size() == 10);
  CHECK(w.isZero(0));
  m.initial_weights(stream, 0.3, w);
  CHECK(w.norm() > 0);
  CHECK_THROWS_AS(m.initial_weights(stream, -1.0, w), std::invalid_argument);
  REQUIRE(m.losses().size() == 2);
  CHECK(m.losses()[0].name == "cross_entropy");
  CHECK(std::isinf(m.losses()[0].subgaussian_r));
  CHECK(m.losses()[1].name == "zero_one");
  CHECK(m.losses()[1].subgaussian_r == 0.5);
  CHECK_THROWS_AS(Softmax(5, 1, 1.0, 1.0, 1), std::invalid_argument);
}
