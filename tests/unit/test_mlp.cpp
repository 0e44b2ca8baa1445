// Tests of the two-layer network kernels: the forward pass and weight layout against a scalar
// reference, gradients and Hessian against finite differences for every activation, bias and loss.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "model_checks.hpp"
#include "sdegen/problems/mlp.hpp"

using namespace sdegen;
using namespace sdegen::test;

namespace {

constexpr int kInputs = 3, kWidth = 4;

// Every combination of activation, biases and task (24 models), with a teacher of another width.
std::vector<Mlp> all_models(int inputs = kInputs, int width = kWidth) {
  std::vector<Mlp> out;
  for (Activation act : {Activation::tanh, Activation::relu, Activation::erf})
    for (int biases = 0; biases < 4; ++biases)
      for (MlpTask task : {MlpTask::regression, MlpTask::binary}) {
        const NetworkShape student{inputs, width, act, (biases & 1) != 0, (biases & 2) != 0};
        const NetworkShape teacher{inputs, 3, Activation::tanh, false, false};
        out.emplace_back(student, teacher, task, 0.5, 0.0, 7);
      }
  return out;
}

std::string describe(const Mlp& m) {
  const NetworkShape& s = m.network().shape();
  return activation_name(s.activation) + (s.hidden_bias ? " +b" : "") + (s.output_bias ? " +c" : "") +
         (m.task() == MlpTask::regression ? " regression" : " binary");
}

// A generic point: every weight (biases included) N(0, 0.8^2).
Vector test_point(const Mlp& m, std::uint64_t seed = 3) {
  Stream stream(seed, 0, 0, Purpose::init);
  Vector w(m.dim());
  stream.fill_normal(w);
  return 0.8 * w;
}

// f_w(x) for one example straight from the documented layout, with the standard library's functions.
double reference_output(const NetworkShape& s, const Vector& w, const Vector& x) {
  const int p = s.inputs, h = s.width;
  const int b_at = p * h, a_at = b_at + (s.hidden_bias ? h : 0), c_at = a_at + h;
  double f = 0;
  for (int j = 0; j < h; ++j) {
    double z = 0;
    for (int k = 0; k < p; ++k) z += w[j * p + k] * x[k];
    z /= std::sqrt(double(p));
    if (s.hidden_bias) z += w[b_at + j];
    const double phi = s.activation == Activation::tanh ? std::tanh(z)
                       : s.activation == Activation::relu ? std::max(z, 0.0)
                                                          : std::erf(z / std::sqrt(2.0));
    f += w[a_at + j] * phi;
  }
  f /= std::sqrt(double(h));
  return s.output_bias ? f + w[c_at] : f;
}

// Smallest |pre-activation| over the data, in units of the largest change one finite-difference
// step can make to a pre-activation (relu's finite differences are exact only away from kinks).
double kink_margin(const Mlp& m, const Dataset& data, const Vector& w) {
  const TwoLayerNetwork& net = m.network();
  Matrix z = data.X * net.input_weights(w) / std::sqrt(double(net.inputs()));
  if (net.shape().hidden_bias)
    z.rowwise() += w.segment(net.hidden_bias_offset(), net.width()).transpose();
  const double reach = kFdStep * std::max(1.0, data.X.cwiseAbs().maxCoeff() / std::sqrt(double(net.inputs())));
  return z.cwiseAbs().minCoeff() / reach;
}

}  // namespace

TEST_CASE("mlp: the forward pass matches a scalar evaluation of the documented layout") {
  for (const Mlp& m : all_models()) {
    INFO(describe(m));
    Stream stream(1, 0, 0, Purpose::data);
    const Dataset data = m.sample(stream, 9);
    const Vector w = test_point(m);
    const Vector f = m.network().outputs(data.X, w);
    for (int i = 0; i < data.size(); ++i) {
      const double expected = reference_output(m.network().shape(), w, data.X.row(i).transpose());
      CHECK(std::abs(f[i] - expected) < 1e-14 * (1 + std::abs(expected)));
    }
    CHECK(m.dim() == kInputs * kWidth + kWidth + (m.network().shape().hidden_bias ? kWidth : 0) +
                         (m.network().shape().output_bias ? 1 : 0));
  }
}

TEST_CASE("mlp: activations and their derivatives against the standard library and finite differences") {
  const Matrix z = Vector::LinSpaced(41, -6.0, 6.0) + Vector::Constant(41, 0.0123);  // no exact 0 (relu)
  for (Activation act : {Activation::tanh, Activation::relu, Activation::erf}) {
    INFO(activation_name(act));
    const Matrix values = activation_values(act, z), slopes = activation_slopes(act, z);
    const Matrix curvatures = activation_curvatures(act, z);
    for (Eigen::Index i = 0; i < z.size(); ++i) {
      const double u = z(i);
      const double exact = act == Activation::tanh ? std::tanh(u)
                           : act == Activation::relu ? std::max(u, 0.0)
                                                     : std::erf(u / std::sqrt(2.0));
      CHECK(std::abs(values(i) - exact) < 1e-15);
      const Matrix up = Matrix::Constant(1, 1, u + kFdStep), down = Matrix::Constant(1, 1, u - kFdStep);
      const double fd1 = (activation_values(act, up)(0) - activation_values(act, down)(0)) / (2 * kFdStep);
      const double fd2 = (activation_slopes(act, up)(0) - activation_slopes(act, down)(0)) / (2 * kFdStep);
      CHECK(std::abs(slopes(i) - fd1) < kFdTolerance);
      CHECK(std::abs(curvatures(i) - fd2) < kFdTolerance);
    }
  }
  CHECK_THROWS_AS(parse_activation("sigmoid"), std::invalid_argument);
  CHECK(parse_activation("erf") == Activation::erf);
}

TEST_CASE("mlp: per-example, full, minibatch and weighted gradients agree with finite differences") {
  for (const Mlp& m : all_models()) {
    INFO(describe(m));
    Stream stream(5, 0, 0, Purpose::data);
    const Dataset data = m.sample(stream, 12);
    const Vector w = test_point(m);
    if (m.network().shape().activation == Activation::relu) REQUIRE(kink_margin(m, data, w) > 10);
    Matrix grads;
    m.example_gradients(data, w, grads);
    REQUIRE(grads.rows() == 12);
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

    Eigen::VectorXi rows(5);
    rows << 7, 2, 11, 5, 0;
    Vector batch;
    GradientScratch scratch;
    m.batch_gradient(data, rows, w, batch, scratch);
    const Vector expected = grads(rows, Eigen::all).colwise().mean().transpose();
    CHECK((batch - expected).norm() < 1e-13 * (1 + expected.norm()));

    // Three weight columns through the same scratch that the minibatch used (sizes change).
    Matrix weights = Matrix::Random(12, 3), sums;
    m.weighted_gradient_sums(data, w, weights, sums, scratch);
    const Matrix explicit_sums = grads.transpose() * weights;
    CHECK((sums - explicit_sums).norm() < 1e-13 * (1 + explicit_sums.norm()));
    m.batch_gradient(data, rows, w, batch, scratch);  // and back
    CHECK((batch - expected).norm() < 1e-13 * (1 + expected.norm()));
  }
}

TEST_CASE("mlp: the exact Hessian agrees with finite differences of the gradient") {
  for (const Mlp& m : all_models()) {
    INFO(describe(m));
    Stream stream(6, 0, 0, Purpose::data);
    const Dataset data = m.sample(stream, 15);
    const Vector w = test_point(m, 4);
    if (m.network().shape().activation == Activation::relu) REQUIRE(kink_margin(m, data, w) > 10);
    const Matrix h = m.empirical_hessian(data, w);
    const Matrix fd = fd_jacobian([&](const Vector& v) { return full_gradient(m, data, v); }, w);
    CHECK((h - fd).norm() < 1e-6 * (1 + h.norm()));
    CHECK((h - h.transpose()).norm() == 0);
    // The test sees the second-derivative part: it is far above the tolerance.
    const Vector f = m.network().outputs(data.X, w);
    const Vector r = m.task() == MlpTask::regression
                         ? Vector(f - data.y)
                         : Vector(-data.y.array() / (1.0 + (data.y.array() * f.array()).exp()));
    const Matrix curvature_part = m.network().weighted_output_hessian(data.X, w, r / data.size());
    CHECK(curvature_part.norm() > 1e-3 * h.norm());
  }
}

TEST_CASE("mlp: the output Jacobian is the per-example gradient of f") {
  const NetworkShape shape{4, 3, Activation::tanh, true, true};
  const TwoLayerNetwork net(shape);
  Stream stream(8, 0, 0, Purpose::data);
  Matrix X(6, 4);
  stream.fill_normal(X);
  Vector w(net.dim());
  stream.fill_normal(w);
  const Matrix jacobian = net.output_jacobian(X, w);
  const Matrix fd = fd_jacobian([&](const Vector& v) {
    Vector f = Vector::Zero(net.dim());
    f.head(6) = net.outputs(X, v);
    return f;
  }, w);
  CHECK((jacobian - fd.topRows(6)).norm() < kFdTolerance * (1 + jacobian.norm()));
}

TEST_CASE("mlp: initial weights are N(0, scale^2) in W and a, zero biases, and scale 0 is rejected") {
  const Mlp m({40, 50, Activation::tanh, true, true}, {40, 2, Activation::tanh, false, false}, MlpTask::regression,
              0.5, 0.0, 7);
  const TwoLayerNetwork& net = m.network();
  Stream stream(9, 0, 0, Purpose::init);
  Vector w;
  m.initial_weights(stream, 0.5, w);
  REQUIRE(w.size() == m.dim());
  CHECK(w.segment(net.hidden_bias_offset(), net.width()).isZero(0));
  CHECK(w[net.output_bias_offset()] == 0);
  // W and a: 2050 i.i.d. N(0, 0.25) entries. The sample variance has standard error
  // 0.25 sqrt(2 / 2050) = 0.0078.
  Vector weights(net.inputs() * net.width() + net.width());
  weights << w.head(net.inputs() * net.width()), w.segment(net.output_weight_offset(), net.width());
  const double variance = weights.squaredNorm() / weights.size();
  CHECK(std::abs(variance - 0.25) < 4 * 0.25 * std::sqrt(2.0 / weights.size()));
  CHECK(std::abs(weights.mean()) < 4 * 0.5 / std::sqrt(double(weights.size())));
  Stream again(9, 0, 0, Purpose::init);
  Vector w2;
  m.initial_weights(again, 0.5, w2);
  CHECK(w2 == w);
  CHECK_THROWS_AS(m.initial_weights(stream, 0.0, w), std::invalid_argument);
  CHECK_THROWS_AS(m.initial_weights(stream, -1.0, w), std::invalid_argument);
}

TEST_CASE("mlp: at the origin every gradient but the output bias's vanishes (why scale 0 is rejected)") {
  for (const Mlp& m : all_models()) {
    INFO(describe(m));
    Stream stream(10, 0, 0, Purpose::data);
    const Dataset data = m.sample(stream, 10);
    Vector g = full_gradient(m, data, Vector::Zero(m.dim()));
    if (m.network().shape().output_bias) g[m.network().output_bias_offset()] = 0;
    CHECK(g.norm() == 0);
  }
}

TEST_CASE("mlp: losses, their constants, and bad construction") {
  const NetworkShape shape{3, 2, Activation::erf, false, false};
  const Mlp regression(shape, shape, MlpTask::regression, 0.5, 0.0, 1);
  REQUIRE(regression.losses().size() == 2);
  CHECK(regression.losses()[0].name == "sq");
  CHECK(std::isinf(regression.losses()[0].subgaussian_r));
  CHECK(regression.losses()[1].name == "sq_clip");
  CHECK(regression.clip() == 0.5);  // 2 s^2
  CHECK(regression.losses()[1].subgaussian_r == 0.25);
  const Mlp binary(shape, shape, MlpTask::binary, 0.5, 0.0, 1);
  CHECK(binary.losses()[0].name == "logistic");
  CHECK(binary.losses()[1].name == "zero_one");
  CHECK(binary.losses()[1].subgaussian_r == 0.5);
  // Empirical risks by hand on one example: f = 0 at the origin.
  Dataset one{Matrix::Ones(1, 3), Vector::Constant(1, -1.0)};
  Vector r(2);
  binary.empirical_risks(one, Vector::Zero(binary.dim()), r);
  CHECK(r[0] == Approx(std::log(2.0)));
  CHECK(r[1] == 1);  // margin 0 counts as an error
  one.y[0] = 3.0;
  regression.empirical_risks(one, Vector::Zero(regression.dim()), r);
  CHECK(r[0] == Approx(4.5));
  CHECK(r[1] == Approx(0.5));  // clipped at c = 0.5
  CHECK_THROWS_AS(Mlp(shape, {4, 2, Activation::erf, false, false}, MlpTask::regression, 0.5, 0, 1),
                  std::invalid_argument);
  CHECK_THROWS_AS(parse_mlp_task("multiclass"), std::invalid_argument);
}
