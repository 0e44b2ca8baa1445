// Linear softmax classifier with K classes and class 0 as reference (its logit fixed at 0), on a
// Gaussian mixture: y uniform on {0, ..., K-1}, x | y ~ N(mu_y, s^2 I_p). Cross-entropy training loss.
#pragma once
#include <cstdint>

#include "sdegen/problems/problem.hpp"

namespace sdegen {

// Weight layout (d = (K - 1) p): w[(c - 1) p + k] = weight of input k in the logit of class c,
// c = 1..K-1; read column-major as a p x (K - 1) matrix V, the logits are [0, X V].
// Labels are class indices 0..K-1 stored as doubles in Dataset::y.
class Softmax : public Problem {
 public:
  // mu_c ~ N(0, (signal^2 / p) I_p) (norm about `signal`), drawn once from
  // Stream(teacher_seed, 0, 0, Purpose::teacher).
  Softmax(int inputs, int classes, double noise, double signal, std::uint64_t teacher_seed);

  std::string name() const override { return "softmax"; }
  int dim() const override { return (classes_ - 1) * inputs_; }
  Dataset sample(Stream& stream, int n) const override;
  const std::vector<EvalLoss>& losses() const override { return losses_; }
  // i.i.d. N(0, scale^2); scale 0 is the origin (all classes equally likely), where the gradient is
  // not zero: the loss is convex.
  void initial_weights(Stream& stream, double scale, Vector& w) const override;

  void example_gradients(const Dataset& data, const Vector& w, Matrix& out) const override;
  // Scratch members used: hidden (probabilities of classes 1..K-1), margins and derivatives (row
  // shifts and normalisers), stacked; batch_gradient also rows, targets and signals.
  void weighted_gradient_sums(const Dataset& data, const Vector& w, const Matrix& weights, Matrix& out,
                              GradientScratch& scratch) const override;
  void batch_gradient(const Dataset& data, const Eigen::VectorXi& rows, const Vector& w, Vector& out,
                      GradientScratch& scratch) const override;
  void empirical_risks(const Dataset& data, const Vector& w, Eigen::Ref<Vector> out) const override;
  void example_losses(const Dataset& data, const Vector& w, Matrix& out) const override;
  // The class whose logit strictly exceeds every other (0..K-1), or K for a tie (an error for
  // every label): K + 1 symbols.
  int prediction_symbols() const override { return classes_ + 1; }
  void example_predictions(const Dataset& data, const Vector& w, Eigen::ArrayXi& out) const override;
  // (1/n) sum_i (diag(P_i) - P_i P_i^T) (x) x_i x_i^T over classes 1..K-1: positive definite when
  // the inputs span R^p (every P_ic > 0 and class 0 is left out).
  Matrix empirical_hessian(const Dataset& data, const Vector& w) const override;

  // Class probabilities of every row of X, all K classes (n x K).
  Matrix probabilities(const Matrix& X, const Vector& w) const;
  int classes() const { return classes_; }
  int inputs() const { return inputs_; }
  const Matrix& class_means() const { return means_; }  // p x K

 private:
  // Probabilities of classes 1..K-1 (n x (K-1)) into `out`; logits are computed in it first.
  // shift and total (n) are work buffers.
  void nonreference_probabilities(const Matrix& X, const Vector& w, Matrix& out, Vector& shift, Vector& total) const;
  // out (d x k) = X^T [s_1 .* (P - Y), ..., s_k .* (P - Y)] from the probabilities in `residuals`
  // (turned into P - Y in place).
  void weighted_sums(const Matrix& X, const Vector& y, const Matrix& weights, Matrix& residuals, Matrix& stacked,
                     double* out) const;
  Matrix logits(const Matrix& X, const Vector& w) const;  // n x K, class 0's column 0
  Eigen::Map<const Matrix> logit_weights(const Vector& w) const { return {w.data(), inputs_, classes_ - 1}; }

  int inputs_, classes_;
  double noise_;
  Matrix means_;
  std::vector<EvalLoss> losses_;
};

}  // namespace sdegen
