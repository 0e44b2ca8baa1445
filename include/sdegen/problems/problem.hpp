// A learning problem: data distribution, model, training loss and evaluation losses, with
// whole-training-set gradients; population quantities come from a Population (population.hpp).
#pragma once
#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

#include "sdegen/problems/population.hpp"
#include "sdegen/random/stream.hpp"

namespace sdegen {

// A training set: one example per row of X; y holds labels or targets (empty when unused).
struct Dataset {
  Matrix X;
  Vector y;
  int size() const { return static_cast<int>(X.rows()); }
};

// A loss in which risks are reported. R is its subgaussian constant (infinity when unbounded);
// a loss with values in [a, c] has R = (c - a) / 2.
struct EvalLoss {
  std::string name;
  double subgaussian_r;
  std::string description;
  // A bounded loss with values in [0, 2R]. levels > 0: it takes only the values k 2R / levels,
  // k = 0..levels (the 0-1 loss: 1), so a histogram of its values is exact; 0: any value.
  int levels = 0;
};

// Reusable buffers so that the per-step code allocates nothing.
struct GradientScratch {
  Matrix rows;
  Vector targets, margins, derivatives;
  // Models with a hidden layer or several outputs: per-example hidden values and slopes (or
  // logits), the loss derivatives times each weight column, the stacked backward signals of all
  // weight columns, and the input-layer gradient blocks they give.
  Matrix hidden, slopes, signals, stacked, products;
  Matrix batch;   // a minibatch's examples as columns (padded as below)
  Vector padded;  // a d-vector with zeros appended to the padded length
  // X^T, the examples as contiguous columns, so that gathering a minibatch copies b columns
  // instead of b d strided entries of the column-major X (about 3 times faster at d = 20), with
  // zero rows appended up to a multiple of 8 so that its dot products need no remainder loop.
  // Built on first use and rebuilt for another training set: a scratch serves training sets that
  // are not modified while it is in use (a dynamics').
  const Matrix& examples_as_columns(const Dataset& data);

 private:
  Matrix columns_;
  const Dataset* columns_of_ = nullptr;
};

class Problem {
 public:
  virtual ~Problem() = default;
  virtual std::string name() const = 0;
  virtual int dim() const = 0;
  virtual Dataset sample(Stream& stream, int n) const = 0;

  // losses()[0] is the training loss.
  virtual const std::vector<EvalLoss>& losses() const = 0;
  // W_0 from its own stream; the default is scale * N(0, I).
  virtual void initial_weights(Stream& stream, double scale, Vector& w) const;

  // Per-example gradients of the training loss at w, one row per example (n x d).
  virtual void example_gradients(const Dataset& data, const Vector& w, Matrix& out) const = 0;
  // When every per-example gradient is a multiple of its example, g_i = s_i x_i (x_i row i of
  // data.X), writes s and returns true: the bounds then use X and s without forming the n x d
  // gradients (example_gradients.hpp). The default: false, no such form.
  virtual bool example_gradient_scales(const Dataset& data, const Vector& w, Vector& scales,
                                       GradientScratch& scratch) const;
  // out (d x k) = sum_i g_i(w) weights.row(i): the full gradient (weights 1/n) and the
  // SDE noise direction (weights z) in one pass over the data.
  virtual void weighted_gradient_sums(const Dataset& data, const Vector& w, const Matrix& weights,
                                      Matrix& out, GradientScratch& scratch) const = 0;
  // Mean training-loss gradient over the examples `rows` (a minibatch).
  virtual void batch_gradient(const Dataset& data, const Eigen::VectorXi& rows, const Vector& w,
                              Vector& out, GradientScratch& scratch) const = 0;
  Vector full_gradient(const Dataset& data, const Vector& w) const;

  // Empirical risk of every evaluation loss, in the order of losses().
  virtual void empirical_risks(const Dataset& data, const Vector& w, Eigen::Ref<Vector> out) const = 0;
  // Every evaluation loss of every example (n x losses().size(), columns in the order of losses()).
  virtual void example_losses(const Dataset& data, const Vector& w, Matrix& out) const = 0;
  // Classifiers: how many prediction symbols there are (the classes, plus one for a tie where a
  // tie counts as an error), so that the bounded loss is a function of (prediction, label);
  // 0 for a problem whose predictions are not classes.
  virtual int prediction_symbols() const { return 0; }
  // Each example's prediction symbol in 0..prediction_symbols() - 1 (classifiers only).
  virtual void example_predictions(const Dataset& data, const Vector& w, Eigen::ArrayXi& out) const;
  // Hessian of the mean training loss.
  virtual Matrix empirical_hessian(const Dataset& data, const Vector& w) const = 0;

  // The exact population quantities, when the problem has them in closed form; nullptr otherwise.
  virtual const Population* closed_form_population() const { return nullptr; }
};

// Empirical gradient covariance Sigma_S(w) = (1/n) sum_i g_i g_i^T - G G^T from per-example
// gradients (n x d), for tests and logged statistics.
Matrix empirical_gradient_covariance(const Matrix& example_gradients);

}  // namespace sdegen
