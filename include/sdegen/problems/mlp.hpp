// Teacher-student two-layer networks: x ~ N(0, I_p), labels from a fixed random teacher network
// (regression y = f*(x) + s eps, or binary y = sign(f*(x) + s eps)), a student network trained on them.
#pragma once
#include <cstdint>

#include "sdegen/problems/problem.hpp"
#include "sdegen/problems/two_layer_network.hpp"

namespace sdegen {

// regression: training loss (f - y)^2 / 2, evaluation sq_clip; binary (y = +-1): training loss
// log(1 + exp(-y f)), evaluation zero_one.
enum class MlpTask { regression, binary };
MlpTask parse_mlp_task(const std::string& name);  // "regression" or "binary"

class Mlp : public Problem {
 public:
  // The teacher's weights are i.i.d. N(0, 1), drawn once from
  // Stream(teacher_seed, 0, 0, Purpose::teacher). clip <= 0 selects 2 s^2 (or 1 when s = 0), as
  // for linreg. Throws std::invalid_argument when the teacher has another input dimension.
  Mlp(const NetworkShape& student, const NetworkShape& teacher, MlpTask task, double noise, double clip,
      std::uint64_t teacher_seed);

  std::string name() const override { return "mlp"; }
  int dim() const override { return student_.dim(); }
  Dataset sample(Stream& stream, int n) const override;
  const std::vector<EvalLoss>& losses() const override { return losses_; }

  // W and a i.i.d. N(0, scale^2), biases 0. scale must be positive: at W = 0, a = 0 every
  // gradient but the output bias's vanishes, so a network started there never moves.
  void initial_weights(Stream& stream, double scale, Vector& w) const override;

  void example_gradients(const Dataset& data, const Vector& w, Matrix& out) const override;
  // out (d x k) = sum_i g_i weights.row(i), in one forward and one batched backward pass.
  // Scratch members used: hidden, slopes, signals, stacked, products, margins (outputs),
  // derivatives (dl/df); batch_gradient also rows and targets (the gathered minibatch).
  void weighted_gradient_sums(const Dataset& data, const Vector& w, const Matrix& weights, Matrix& out,
                              GradientScratch& scratch) const override;
  void batch_gradient(const Dataset& data, const Eigen::VectorXi& rows, const Vector& w, Vector& out,
                      GradientScratch& scratch) const override;
  void empirical_risks(const Dataset& data, const Vector& w, Eigen::Ref<Vector> out) const override;
  void example_losses(const Dataset& data, const Vector& w, Matrix& out) const override;
  // binary: 0 predicts y = -1 (f < 0), 1 predicts y = +1 (f > 0), 2 a tie (an error for either
  // label); regression: 0 (predictions are not classes).
  int prediction_symbols() const override { return task_ == MlpTask::binary ? 3 : 0; }
  void example_predictions(const Dataset& data, const Vector& w, Eigen::ArrayXi& out) const override;
  // Exact Hessian of the mean training loss: J^T diag(l'') J / n + sum_i (l'_i / n) Hess f(x_i).
  Matrix empirical_hessian(const Dataset& data, const Vector& w) const override;

  const TwoLayerNetwork& network() const { return student_; }
  const TwoLayerNetwork& teacher() const { return teacher_; }
  const Vector& teacher_weights() const { return teacher_weights_; }
  MlpTask task() const { return task_; }
  double noise() const { return noise_; }
  double clip() const { return clip_; }

  // Regression between soft committees (erf, no hidden biases; see committee_risk.hpp): the
  // population risk E (f - y)^2 / 2 = E (f - f*)^2 / 2 + s^2 / 2 and its gradient in closed form.
  bool has_closed_form_risk() const;
  double population_squared_risk(const Vector& w) const;
  Vector population_squared_risk_gradient(const Vector& w) const;

 private:
  // dl/df and d2l/df2 of the training loss, element-wise over examples.
  void loss_derivatives(const Vector& f, const Vector& y, Vector& out) const;
  Vector loss_curvatures(const Vector& f, const Vector& y) const;
  void require_closed_form() const;

  TwoLayerNetwork student_, teacher_;
  MlpTask task_;
  double noise_, clip_;
  Vector teacher_weights_;
  std::vector<EvalLoss> losses_;
};

}  // namespace sdegen
