// Softmax kernels over the whole data matrix: logits X V (one product), residuals P - Y, and
// X^T [s_1 .* (P - Y), ..., s_k .* (P - Y)] (one product) for k weightings, written straight into
// the d x k output whose memory is exactly that p x k (K - 1) matrix.
#include "sdegen/problems/softmax.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace sdegen {

Softmax::Softmax(int inputs, int classes, double noise, double signal, std::uint64_t teacher_seed)
    : inputs_(inputs), classes_(classes), noise_(noise), means_(inputs, classes) {
  if (inputs < 1 || classes < 2) throw std::invalid_argument("softmax: needs at least one input and two classes");
  if (!(noise > 0)) throw std::invalid_argument("softmax: the within-class noise must be > 0");
  Stream stream(teacher_seed, 0, 0, Purpose::teacher);
  stream.fill_normal(means_);
  means_ *= signal / std::sqrt(double(inputs));
  losses_ = {{"cross_entropy", std::numeric_limits<double>::infinity(),
              "cross-entropy -log P(y | x), logits [0, x^T V] (class 0 the reference)"},
             {"zero_one", 0.5, "0-1 loss: 1 unless the logit of y exceeds every other logit", 1}};
}

Dataset Softmax::sample(Stream& stream, int n) const {
  Dataset data;
  data.y.resize(n);
  for (int i = 0; i < n; ++i) data.y[i] = static_cast<double>(stream.below(classes_));
  data.X.resize(n, inputs_);
  stream.fill_normal(data.X);
  data.X *= noise_;
  for (int i = 0; i < n; ++i) data.X.row(i) += means_.col(static_cast<int>(data.y[i])).transpose();
  return data;
}

void Softmax::initial_weights(Stream& stream, double scale, Vector& w) const {
  if (!(scale >= 0)) throw std::invalid_argument("softmax: the initial weight scale must be >= 0");
  w.resize(dim());
  stream.fill_normal(w);
  w *= scale;
}

void Softmax::nonreference_probabilities(const Matrix& X, const Vector& w, Matrix& out, Vector& shift,
                                         Vector& total) const {
  out.resize(X.rows(), classes_ - 1);
  out.noalias() = X * logit_weights(w);
  // Shift each row by its largest logit (class 0's is 0) so that exp never overflows.
  shift = out.rowwise().maxCoeff().array().max(0.0);
  out.array().colwise() -= shift.array();
  out.array() = out.array().exp();
  total = (-shift.array()).exp() + out.rowwise().sum().array();
  out.array().colwise() /= total.array();
}

Matrix Softmax::probabilities(const Matrix& X, const Vector& w) const {
  Matrix rest;
  Vector shift, total;
  nonreference_probabilities(X, w, rest, shift, total);
  Matrix out(X.rows(), classes_);
  out.col(0) = 1.0 - rest.rowwise().sum().array();
  out.rightCols(classes_ - 1) = rest;
  return out;
}

void Softmax::weighted_sums(const Matrix& X, const Vector& y, const Matrix& weights, Matrix& residuals,
                            Matrix& stacked, double* out) const {
  const Eigen::Index classes = classes_ - 1, k = weights.cols();
  for (Eigen::Index c = 0; c < classes; ++c) residuals.col(c).array() -= (y.array() == double(c + 1)).cast<double>();
  stacked.resize(X.rows(), k * classes);
  for (Eigen::Index m = 0; m < k; ++m)
    stacked.middleCols(m * classes, classes).array() = residuals.array().colwise() * weights.col(m).array();
  Eigen::Map<Matrix>(out, inputs_, k * classes).noalias() = X.transpose() * stacked;
}

void Softmax::example_gradients(const Dataset& data, const Vector& w, Matrix& out) const {
  Matrix residuals;
  Vector shift, total;
  nonreference_probabilities(data.X, w, residuals, shift, total);
  out.resize(data.size(), dim());
  for (int c = 0; c < classes_ - 1; ++c) {
    residuals.col(c).array() -= (data.y.array() == double(c + 1)).cast<double>();
    out.middleCols(c * inputs_, inputs_) = residuals.col(c).asDiagonal() * data.X;
  }
}

void Softmax::weighted_gradient_sums(const Dataset& data, const Vector& w, const Matrix& weights, Matrix& out,
                                     GradientScratch& scratch) const {
  nonreference_probabilities(data.X, w, scratch.hidden, scratch.margins, scratch.derivatives);
  out.resize(dim(), weights.cols());
  weighted_sums(data.X, data.y, weights, scratch.hidden, scratch.stacked, out.data());
}

void Softmax::batch_gradient(const Dataset& data, const Eigen::VectorXi& rows, const Vector& w, Vector& out,
                             GradientScratch& scratch) const {
  // Indexing through a Map: an indexed view copies its index object, which for a VectorXi is a heap copy.
  const Eigen::Map<const Eigen::VectorXi> index(rows.data(), rows.size());
  scratch.rows = data.X(index, Eigen::all);
  scratch.targets = data.y(index);
  nonreference_probabilities(scratch.rows, w, scratch.hidden, scratch.margins, scratch.derivatives);
  scratch.signals.setConstant(rows.size(), 1, 1.0 / static_cast<double>(rows.size()));
  out.resize(dim());
  weighted_sums(scratch.rows, scratch.targets, scratch.signals, scratch.hidden, scratch.stacked, out.data());
}

void Softmax::empirical_risks(const Dataset& data, const Vector& w, Eigen::Ref<Vector> out) const {
  Matrix losses;
  example_losses(data, w, losses);
  out[0] = losses.col(0).mean();
  out[1] = losses.col(1).mean();
}

Matrix Softmax::logits(const Matrix& X, const Vector& w) const {
  Matrix out(X.rows(), classes_);
  out.col(0).setZero();
  out.rightCols(classes_ - 1).noalias() = X * logit_weights(w);
  return out;
}

void Softmax::example_losses(const Dataset& data, const Vector& w, Matrix& out) const {
  const Eigen::Index n = data.size();
  const Matrix logit = logits(data.X, w);
  const Eigen::ArrayXd top = logit.rowwise().maxCoeff();
  const Eigen::ArrayXd log_total = top + (logit.array().colwise() - top).exp().rowwise().sum().log();
  // The label's logit and the largest other logit, one class column at a time.
  Eigen::ArrayXd own = Eigen::ArrayXd::Zero(n), rival = Eigen::ArrayXd::Constant(n, -std::numeric_limits<double>::infinity());
  for (int c = 0; c < classes_; ++c) {
    const auto is_label = data.y.array() == double(c);
    own = is_label.select(logit.col(c).array(), own);
    rival = is_label.select(rival, rival.max(logit.col(c).array()));
  }
  out.resize(n, 2);
  out.col(0) = log_total - own;
  out.col(1) = (own <= rival).cast<double>();  // ties count as errors
}

void Softmax::example_predictions(const Dataset& data, const Vector& w, Eigen::ArrayXi& out) const {
  const Matrix logit = logits(data.X, w);
  const Eigen::ArrayXd top = logit.rowwise().maxCoeff();
  Eigen::ArrayXi best = Eigen::ArrayXi::Zero(data.size()), at_top = Eigen::ArrayXi::Zero(data.size());
  for (int c = 0; c < classes_; ++c) {
    const auto is_top = logit.col(c).array() == top;
    best = is_top.select(c, best);
    at_top += is_top.cast<int>();
  }
  out = (at_top == 1).select(best, classes_);
}

Matrix Softmax::empirical_hessian(const Dataset& data, const Vector& w) const {
  // Block (c, c') = X^T diag(P_c (delta_cc' - P_c')) X / n.
  Matrix prob;
  Vector shift, total;
  nonreference_probabilities(data.X, w, prob, shift, total);
  const Eigen::Index p = inputs_, classes = classes_ - 1;
  const double n = data.size();
  Matrix out(dim(), dim());
  for (Eigen::Index c = 0; c < classes; ++c)
    for (Eigen::Index e = c; e < classes; ++e) {
      Vector weight = -prob.col(c).cwiseProduct(prob.col(e)) / n;
      if (e == c) weight += prob.col(c) / n;
      out.block(c * p, e * p, p, p).noalias() = data.X.transpose() * weight.asDiagonal() * data.X;
      if (e != c) out.block(e * p, c * p, p, p) = out.block(c * p, e * p, p, p).transpose();
    }
  return (out + out.transpose()) / 2;
}

}  // namespace sdegen
