// Tests of the teacher-student population and the network's SDE noise: label moments against
// their closed forms, the soft-committee risk against Monte Carlo, xi's covariance against kappa Sigma_S.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "model_checks.hpp"
#include "sdegen/dynamics/sde_noise.hpp"
#include "sdegen/problems/committee_risk.hpp"
#include "sdegen/problems/mlp.hpp"

using namespace sdegen;
using namespace sdegen::test;

namespace {

constexpr double kPi = 3.14159265358979323846;

// Per-chunk averages of a statistic of fresh samples (rows: chunks), for z-tests.
template <class Stat>
Matrix chunk_averages(const Mlp& m, int chunks, int chunk, std::uint64_t seed, int columns, Stat stat) {
  Matrix out(chunks, columns);
  for (int c = 0; c < chunks; ++c) {
    Stream stream(seed, 0, static_cast<std::uint64_t>(c), Purpose::data);
    out.row(c) = stat(m.sample(stream, chunk)).transpose();
  }
  return out;
}

double worst_z(const Matrix& chunks, const Vector& expected) {
  const ColumnMeans means = column_means(chunks);
  return ((means.mean - expected).array().abs() / means.se.array()).maxCoeff();
}

// E f*^2 for a teacher without hidden biases from pairwise unit moments M_jm = E phi(u_j) phi(u_m),
// and E f* from E phi(u_j): erf units through erf_unit_moment, relu units through the arc-cosine
// kernel E relu(u) relu(v) = s_u s_v (sin t + (pi - t) cos t) / (2 pi), cos t = rho, E relu(u) = s_u / sqrt(2 pi).
struct OutputMoments {
  double mean, second;
};
OutputMoments teacher_output_moments(const TwoLayerNetwork& net, const Vector& v) {
  const Matrix V = net.input_weights(v);
  const Matrix C = V.transpose() * V / double(net.inputs());
  const Vector a = net.output_weights(v);
  const int h = net.width();
  const double c = net.shape().output_bias ? v[net.output_bias_offset()] : 0.0;
  Matrix M(h, h);
  Vector unit_mean(h);
  for (int j = 0; j < h; ++j) {
    const double sj = std::sqrt(C(j, j));
    unit_mean[j] = net.shape().activation == Activation::relu ? sj / std::sqrt(2 * kPi) : 0.0;
    for (int m = 0; m < h; ++m) {
      if (net.shape().activation == Activation::erf) {
        M(j, m) = erf_unit_moment(C(j, j), C(m, m), C(j, m));
      } else {
        const double sm = std::sqrt(C(m, m)), rho = std::clamp(C(j, m) / (sj * sm), -1.0, 1.0);
        const double t = std::acos(rho);
        M(j, m) = sj * sm * (std::sin(t) + (kPi - t) * rho) / (2 * kPi);
      }
    }
  }
  const double linear = a.dot(unit_mean) / std::sqrt(double(h));
  return {linear + c, a.dot(M * a) / h + 2 * c * linear + c * c};
}

}  // namespace

TEST_CASE("mlp population: inputs are N(0, I_p)") {
  const Mlp m({3, 2, Activation::tanh, false, false}, {3, 2, Activation::tanh, false, false}, MlpTask::regression,
              0.5, 0.0, 1);
  // Columns: 3 means, then the 6 distinct second moments.
  const Matrix chunks = chunk_averages(m, 50, 2000, 21, 9, [](const Dataset& d) {
    Vector s(9);
    s.head(3) = d.X.colwise().mean().transpose();
    const Matrix second = d.X.transpose() * d.X / d.size();
    s.tail(6) << second(0, 0), second(1, 1), second(2, 2), second(0, 1), second(0, 2), second(1, 2);
    return s;
  });
  Vector expected = Vector::Zero(9);
  expected.segment(3, 3).setOnes();
  CHECK(worst_z(chunks, expected) < 4.5);  // max of 9 z-scores
}

TEST_CASE("mlp population: regression labels have the mean and variance of f*(x) + s eps") {
  struct Case {
    NetworkShape teacher;
    double noise;
  };
  const std::vector<Case> cases = {{{6, 3, Activation::erf, false, false}, 0.5},
                                   {{6, 5, Activation::erf, false, true}, 0.0},
                                   {{6, 4, Activation::relu, false, false}, 0.3},
                                   {{6, 2, Activation::relu, false, true}, 1.0}};
  for (const Case& c : cases) {
    INFO(activation_name(c.teacher.activation) << " width " << c.teacher.width << " noise " << c.noise);
    const Mlp m({6, 2, Activation::tanh, false, false}, c.teacher, MlpTask::regression, c.noise, 0.0, 17);
    const OutputMoments f = teacher_output_moments(m.teacher(), m.teacher_weights());
    // E y = E f*, E y^2 = E f*^2 + s^2; given x, y - f*(x) has mean 0 and variance s^2.
    const Matrix chunks = chunk_averages(m, 100, 3000, 22, 4, [&](const Dataset& d) {
      const Vector residual = d.y - m.teacher().outputs(d.X, m.teacher_weights());
      Vector s(4);
      s << d.y.mean(), d.y.squaredNorm() / d.size(), residual.mean(), residual.squaredNorm() / d.size();
      return s;
    });
    Vector expected(4);
    expected << f.mean, f.second + c.noise * c.noise, 0, c.noise * c.noise;
    if (c.noise == 0) {  // the residual is exactly 0
      CHECK(chunks.rightCols(2).cwiseAbs().maxCoeff() == 0);
      CHECK(worst_z(chunks.leftCols(2), expected.head(2)) < 4.5);
    } else {
      CHECK(worst_z(chunks, expected) < 4.5);
    }
  }
}

TEST_CASE("mlp population: binary labels are +-1 with P(y = 1 | x) = Phi(f*(x) / s)") {
  const Mlp m({5, 2, Activation::tanh, false, false}, {5, 3, Activation::erf, false, false}, MlpTask::binary, 0.7,
              0.0, 23);
  // E[y | x] = 2 Phi(f*/s) - 1 = erf(f* / (s sqrt 2)); the erf teacher is odd in x, so E y = 0.
  const Matrix chunks = chunk_averages(m, 100, 3000, 24, 3, [&](const Dataset& d) {
    const Vector f = m.teacher().outputs(d.X, m.teacher_weights());
    const Eigen::ArrayXd conditional = (f.array() / (0.7 * std::sqrt(2.0))).unaryExpr([](double u) { return std::erf(u); });
    Vector s(3);
    s << d.y.mean(), (d.y.array() - conditional).mean(), (d.y.array() - conditional).matrix().dot(f) / d.size();
    return s;
  });
  CHECK(worst_z(chunks, Vector::Zero(3)) < 4.5);
  Stream stream(25, 0, 0, Purpose::data);
  const Dataset d = m.sample(stream, 1000);
  CHECK((d.y.array().abs() == 1).all());
}

TEST_CASE("mlp population: the teacher is drawn once from its own stream") {
  const NetworkShape shape{4, 3, Activation::erf, true, true};
  const Mlp a(shape, shape, MlpTask::regression, 0.5, 0.0, 31), b(shape, shape, MlpTask::regression, 0.5, 0.0, 31);
  const Mlp c(shape, shape, MlpTask::regression, 0.5, 0.0, 32);
  CHECK(a.teacher_weights() == b.teacher_weights());
  CHECK(a.teacher_weights() != c.teacher_weights());
  Vector expected(a.teacher().dim());
  Stream(31, 0, 0, Purpose::teacher).fill_normal(expected);
  CHECK(a.teacher_weights() == expected);
}

TEST_CASE("committee closed form: squared distance and population risk against Monte Carlo") {
  struct Case {
    int student_width, teacher_width;
    bool output_bias;
  };
  for (const Case& c : {Case{1, 1, false}, Case{3, 2, false}, Case{4, 7, true}, Case{8, 3, false}}) {
    INFO("widths " << c.student_width << ", " << c.teacher_width);
    const int p = 5;
    const NetworkShape student{p, c.student_width, Activation::erf, false, c.output_bias};
    const NetworkShape teacher{p, c.teacher_width, Activation::erf, false, c.output_bias};
    const double noise = 0.4;
    const Mlp m(student, teacher, MlpTask::regression, noise, 0.0, 41);
    REQUIRE(m.has_closed_form_risk());
    Stream init(42, 0, static_cast<std::uint64_t>(c.student_width), Purpose::init);
    Vector w(m.dim());
    init.fill_normal(w);  // every weight N(0, 1), the output bias too
    const double distance = committee_squared_distance(m.network(), w, m.teacher(), m.teacher_weights());
    // Columns: (f - f*)^2 and the network's own training risk (f - y)^2 / 2 on the same sample.
    const Matrix chunks = chunk_averages(m, 100, 4000, 43, 2, [&](const Dataset& d) {
      const Vector gap = m.network().outputs(d.X, w) - m.teacher().outputs(d.X, m.teacher_weights());
      Vector s(2);
      s << gap.squaredNorm() / d.size(), training_risk(m, d, w);
      return s;
    });
    Vector expected(2);
    expected << distance, m.population_squared_risk(w);
    CHECK(expected[1] == Approx(distance / 2 + noise * noise / 2).epsilon(1e-14));
    const ColumnMeans means = column_means(chunks);
    INFO("closed form " << expected.transpose() << ", Monte Carlo " << means.mean.transpose() << " +- "
                        << means.se.transpose());
    CHECK(worst_z(chunks, expected) < 4);
  }
}

TEST_CASE("committee closed form: zero at the teacher, and its gradient against finite differences") {
  const NetworkShape shape{6, 3, Activation::erf, false, true};
  const Mlp m(shape, {6, 2, Activation::erf, false, true}, MlpTask::regression, 0.3, 0.0, 51);
  const Mlp self(shape, shape, MlpTask::regression, 0.3, 0.0, 51);
  CHECK(std::abs(committee_squared_distance(self.network(), self.teacher_weights(), self.teacher(),
                                            self.teacher_weights())) < 1e-14);
  CHECK(self.population_squared_risk_gradient(self.teacher_weights()).norm() < 1e-14);
  Stream init(52, 0, 0, Purpose::init);
  Vector w(m.dim());
  init.fill_normal(w);
  const Vector g = m.population_squared_risk_gradient(w);
  const Vector fd = fd_gradient([&](const Vector& v) { return m.population_squared_risk(v); }, w);
  CHECK((g - fd).norm() < kFdTolerance * (1 + g.norm()));
  CHECK(g.norm() > 0.1);
  // Not a soft committee: refused.
  const Mlp tanh_net({6, 3, Activation::tanh, false, false}, {6, 2, Activation::erf, false, false},
                     MlpTask::regression, 0.3, 0.0, 51);
  CHECK_FALSE(tanh_net.has_closed_form_risk());
  CHECK_THROWS(tanh_net.population_squared_risk(Vector::Zero(tanh_net.dim())));
}

TEST_CASE("committee closed form: the gradient is the mean of the kernels' gradient over fresh samples") {
  const Mlp m({5, 3, Activation::erf, false, false}, {5, 4, Activation::erf, false, false}, MlpTask::regression,
              0.5, 0.0, 61);
  Stream init(62, 0, 0, Purpose::init);
  Vector w(m.dim());
  init.fill_normal(w);
  const Matrix chunks =
      chunk_averages(m, 100, 4000, 63, m.dim(), [&](const Dataset& d) { return full_gradient(m, d, w); });
  CHECK(worst_z(chunks, m.population_squared_risk_gradient(w)) < 4.5);  // max of 18 z-scores
}

namespace {
// Draws xi = sqrt(kappa / n) (sum z_i g_i - (sum z_i) G) from weighted_gradient_sums with
// weights [1/n, z] and compares E xi = 0 and E[xi xi^T] = kappa Sigma_S entry by entry, where
// Sigma_S comes from the explicit per-example gradients. Each entry's standard error is the
// sample standard deviation of its draws over sqrt(draws).
double worst_noise_z(const Mlp& m, int n, int batch, int draws) {
  Stream data_stream(71, 0, 0, Purpose::data);
  const Dataset data = m.sample(data_stream, n);
  Vector w(m.dim());
  Stream(72, 0, 0, Purpose::init).fill_normal(w);
  Matrix grads;
  m.example_gradients(data, w, grads);
  const double kappa = minibatch_kappa(n, batch);
  const Matrix c = kappa * empirical_gradient_covariance(grads);
  const int d = m.dim();
  Stream noise_stream(73, 0, 0, Purpose::noise);
  Matrix weights(n, 2), sums;
  weights.col(0).setConstant(1.0 / n);
  GradientScratch scratch;
  Matrix first(draws, d), second(draws, d * (d + 1) / 2);
  for (int k = 0; k < draws; ++k) {
    noise_stream.fill_normal(weights.col(1));
    m.weighted_gradient_sums(data, w, weights, sums, scratch);
    const Vector xi = std::sqrt(kappa / n) * (sums.col(1) - weights.col(1).sum() * sums.col(0));
    first.row(k) = xi.transpose();
    for (int a = 0, e = 0; a < d; ++a)
      for (int b = 0; b <= a; ++b) second(k, e++) = xi[a] * xi[b];
  }
  Vector expected(d * (d + 1) / 2);
  for (int a = 0, e = 0; a < d; ++a)
    for (int b = 0; b <= a; ++b) expected[e++] = c(a, b);
  return std::max(worst_z(first, Vector::Zero(d)), worst_z(second, expected));
}
}  // namespace

TEST_CASE("mlp: sampled SDE noise has covariance kappa Sigma_S") {
  // d = 11 and 10: 77 and 65 means and second moments, max |z| < 5 (a two-sided 5-sigma event
  // per entry has probability 6e-7).
  const Mlp tanh_biases({3, 2, Activation::tanh, true, true}, {3, 2, Activation::tanh, false, false},
                        MlpTask::regression, 0.5, 0.0, 74);
  CHECK(worst_noise_z(tanh_biases, 25, 5, 100000) < 5);
  const Mlp relu_binary({3, 2, Activation::relu, true, false}, {3, 3, Activation::erf, false, false},
                        MlpTask::binary, 0.5, 0.0, 75);
  CHECK(worst_noise_z(relu_binary, 25, 5, 100000) < 5);
}
