// Per-example losses and predictions of every problem class: each row against the problem's own
// empirical risk of that one example, column means against the empirical risks, declared levels.
#include <catch2/catch.hpp>

#include <cmath>

#include "sdegen/problems/gaussian_mean.hpp"
#include "sdegen/problems/linreg.hpp"
#include "sdegen/problems/logistic.hpp"
#include "sdegen/problems/mlp.hpp"
#include "sdegen/problems/softmax.hpp"

using namespace sdegen;

namespace {

Dataset row_of(const Dataset& data, int i) {
  Dataset one;
  one.X = data.X.row(i);
  if (data.y.size() > 0) one.y = data.y.segment(i, 1);
  return one;
}

// Every problem class alike (Mlp and Softmax are not Problems yet, so a template).
template <class P>
void check_example_losses(const P& problem, const Vector& w, int n, std::uint64_t seed) {
  Stream stream(seed, 0, 0, Purpose::data);
  const Dataset data = problem.sample(stream, n);
  const auto losses = problem.losses().size();
  Matrix per_example;
  problem.example_losses(data, w, per_example);
  REQUIRE(per_example.rows() == n);
  REQUIRE(per_example.cols() == static_cast<Eigen::Index>(losses));
  Vector risks(losses);
  problem.empirical_risks(data, w, risks);
  for (std::size_t l = 0; l < losses; ++l)
    CHECK(per_example.col(static_cast<Eigen::Index>(l)).mean() == Approx(risks[l]).epsilon(1e-12).margin(1e-14));
  // Row i is the empirical risk of the one-example set {z_i}: an independent computation.
  Vector one(losses);
  for (int i = 0; i < n; ++i) {
    problem.empirical_risks(row_of(data, i), w, one);
    for (std::size_t l = 0; l < losses; ++l)
      CHECK(per_example(i, static_cast<Eigen::Index>(l)) == Approx(one[l]).epsilon(1e-12).margin(1e-14));
  }
  // A bounded loss lies in [0, 2R]; one with declared levels takes only the values k 2R / levels.
  for (std::size_t l = 0; l < losses; ++l) {
    const EvalLoss& loss = problem.losses()[l];
    const auto column = per_example.col(static_cast<Eigen::Index>(l)).array();
    if (!std::isfinite(loss.subgaussian_r)) continue;
    CHECK(column.minCoeff() >= 0);
    CHECK(column.maxCoeff() <= 2 * loss.subgaussian_r);
    if (loss.levels > 0) {
      const Eigen::ArrayXd scaled = column * (loss.levels / (2 * loss.subgaussian_r));
      CHECK((scaled - scaled.round()).abs().maxCoeff() == 0);
    }
  }
}

// Classifiers: the 0-1 loss (column 1) is 1 exactly when the prediction is not the label's class.
template <class P>
void check_predictions(const P& problem, const Vector& w, int n, std::uint64_t seed, Eigen::ArrayXi (*label_class)(const Vector&)) {
  Stream stream(seed, 0, 0, Purpose::data);
  const Dataset data = problem.sample(stream, n);
  Matrix per_example;
  problem.example_losses(data, w, per_example);
  Eigen::ArrayXi predicted;
  problem.example_predictions(data, w, predicted);
  REQUIRE(predicted.size() == n);
  CHECK(predicted.minCoeff() >= 0);
  CHECK(predicted.maxCoeff() < problem.prediction_symbols());
  const Eigen::ArrayXd wrong = (predicted != label_class(data.y)).template cast<double>();
  CHECK((wrong - per_example.col(1).array()).abs().maxCoeff() == 0);
}

Eigen::ArrayXi sign_class(const Vector& y) { return (y.array() > 0).cast<int>(); }
Eigen::ArrayXi index_class(const Vector& y) { return y.array().round().cast<int>(); }

Vector random_weights(int d, std::uint64_t seed, double scale = 1.0) {
  Stream stream(seed, 0, 0, Purpose::init);
  Vector w(d);
  stream.fill_normal(w);
  return scale * w;
}

}  // namespace

TEST_CASE("example losses of gaussian-mean, linreg and logistic match their empirical risks", "[problems]") {
  const GaussianMean mean(3, 0.8, 1.0, 0);
  check_example_losses(mean, random_weights(3, 1), 40, 11);
  const LinearRegression linreg(4, 0.5, 1.0, 1.0, 0.3);  // a low clip: both sides of it occur
  check_example_losses(linreg, random_weights(4, 2), 40, 12);
  const Logistic logistic(3, 1.0, 1.5);
  check_example_losses(logistic, random_weights(3, 3), 40, 13);
}

TEST_CASE("example losses of the two-layer network and the softmax classifier match their risks", "[problems]") {
  const NetworkShape student{4, 3, Activation::tanh, true, true}, teacher{4, 2, Activation::tanh, false, false};
  const Mlp regression(student, teacher, MlpTask::regression, 0.5, 0.4, 7);
  check_example_losses(regression, random_weights(regression.dim(), 4), 30, 14);
  CHECK(regression.prediction_symbols() == 0);
  const Mlp binary(student, teacher, MlpTask::binary, 0.5, 0, 7);
  check_example_losses(binary, random_weights(binary.dim(), 5), 30, 15);
  const Softmax softmax(3, 4, 1.0, 2.0, 9);
  check_example_losses(softmax, random_weights(softmax.dim(), 6), 30, 16);
}

TEST_CASE("classifier predictions determine the 0-1 loss, ties included", "[problems]") {
  const Logistic logistic(3, 1.0, 1.5);
  check_predictions(logistic, random_weights(3, 3), 50, 21, sign_class);
  check_predictions(logistic, Vector::Zero(3), 10, 22, sign_class);  // every score 0: a tie, an error
  Eigen::ArrayXi at_zero;
  Stream stream(22, 0, 0, Purpose::data);
  logistic.example_predictions(logistic.sample(stream, 10), Vector::Zero(3), at_zero);
  CHECK((at_zero == 2).all());

  const NetworkShape student{4, 3, Activation::tanh, true, true}, teacher{4, 2, Activation::tanh, false, false};
  const Mlp binary(student, teacher, MlpTask::binary, 0.5, 0, 7);
  check_predictions(binary, random_weights(binary.dim(), 5), 50, 23, sign_class);

  const Softmax softmax(3, 4, 1.0, 2.0, 9);
  check_predictions(softmax, random_weights(softmax.dim(), 6), 50, 24, index_class);
  check_predictions(softmax, Vector::Zero(softmax.dim()), 10, 25, index_class);  // all logits 0: ties
  CHECK(softmax.prediction_symbols() == 5);
}
