// Teacher-student two-layer networks: sampling from the teacher, the training and evaluation
// losses, and the loss-level wiring of the network kernels (gradients, Hessian).
#include "sdegen/problems/mlp.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "sdegen/problems/committee_risk.hpp"

namespace sdegen {

namespace {
double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }
}  // namespace

MlpTask parse_mlp_task(const std::string& name) {
  if (name == "regression") return MlpTask::regression;
  if (name == "binary") return MlpTask::binary;
  throw std::invalid_argument("unknown mlp task '" + name + "' (regression or binary)");
}

Mlp::Mlp(const NetworkShape& student, const NetworkShape& teacher, MlpTask task, double noise, double clip,
         std::uint64_t teacher_seed)
    : student_(student),
      teacher_(teacher),
      task_(task),
      noise_(noise),
      clip_(clip > 0 ? clip : (noise > 0 ? 2.0 * noise * noise : 1.0)),
      teacher_weights_(teacher_.dim()) {
  if (teacher.inputs != student.inputs)
    throw std::invalid_argument("mlp: the teacher has " + std::to_string(teacher.inputs) + " inputs, the student " +
                                std::to_string(student.inputs));
  if (!(noise >= 0)) throw std::invalid_argument("mlp: the label noise must be >= 0");
  Stream stream(teacher_seed, 0, 0, Purpose::teacher);
  stream.fill_normal(teacher_weights_);
  const std::string net = "a^T " + activation_name(student.activation) + "(W x / sqrt p" +
                          (student.hidden_bias ? " + b" : "") + ") / sqrt h" + (student.output_bias ? " + c" : "");
  if (task == MlpTask::regression)
    losses_ = {{"sq", std::numeric_limits<double>::infinity(), "squared error (f - y)^2 / 2, f = " + net},
               {"sq_clip", clip_ / 2,
                "clipped squared error min((f - y)^2 / 2, c), c = " + std::to_string(clip_)}};
  else
    losses_ = {{"logistic", std::numeric_limits<double>::infinity(), "logistic loss log(1 + exp(-y f)), f = " + net},
               {"zero_one", 0.5, "0-1 loss 1{y f <= 0}", 1}};
}

Dataset Mlp::sample(Stream& stream, int n) const {
  Dataset data;
  data.X.resize(n, student_.inputs());
  stream.fill_normal(data.X);
  Vector eps(n);
  stream.fill_normal(eps);
  const Vector f = teacher_.outputs(data.X, teacher_weights_);
  if (task_ == MlpTask::regression)
    data.y = f + noise_ * eps;
  else
    data.y = (f + noise_ * eps).array().unaryExpr([](double u) { return u >= 0 ? 1.0 : -1.0; });
  return data;
}

void Mlp::initial_weights(Stream& stream, double scale, Vector& w) const {
  if (!(scale > 0))
    throw std::invalid_argument(
        "mlp: the initial weight scale (train.init) must be positive; a two-layer network at the origin has zero "
        "gradient and never moves (1 is the natural scale: pre-activations of order 1)");
  w.resize(dim());
  stream.fill_normal(w);
  w *= scale;
  const NetworkShape& shape = student_.shape();
  if (shape.hidden_bias) w.segment(student_.hidden_bias_offset(), shape.width).setZero();
  if (shape.output_bias) w[student_.output_bias_offset()] = 0;
}

void Mlp::loss_derivatives(const Vector& f, const Vector& y, Vector& out) const {
  if (task_ == MlpTask::regression)
    out = f - y;
  else  // -y sigma(-y f); exp overflow gives the right limit 0
    out = -y.array() / (1.0 + (y.array() * f.array()).exp());
}

Vector Mlp::loss_curvatures(const Vector& f, const Vector&) const {
  if (task_ == MlpTask::regression) return Vector::Ones(f.size());
  return f.unaryExpr([](double u) {  // sigma(u) sigma(-u) = e / (1 + e)^2, e = exp(-|u|)
    const double e = std::exp(-std::abs(u));
    return e / ((1 + e) * (1 + e));
  });
}

void Mlp::example_gradients(const Dataset& data, const Vector& w, Matrix& out) const {
  const Vector f = student_.outputs(data.X, w);
  Vector r;
  loss_derivatives(f, data.y, r);
  out.noalias() = r.asDiagonal() * student_.output_jacobian(data.X, w);
}

void Mlp::weighted_gradient_sums(const Dataset& data, const Vector& w, const Matrix& weights, Matrix& out,
                                 GradientScratch& scratch) const {
  student_.forward(data.X, w, scratch.hidden, scratch.slopes, scratch.margins);
  loss_derivatives(scratch.margins, data.y, scratch.derivatives);
  scratch.signals = weights.array().colwise() * scratch.derivatives.array();
  out.resize(dim(), weights.cols());
  student_.backward(data.X, w, scratch.hidden, scratch.slopes, scratch.signals, out, scratch.stacked,
                    scratch.products);
}

void Mlp::batch_gradient(const Dataset& data, const Eigen::VectorXi& rows, const Vector& w, Vector& out,
                         GradientScratch& scratch) const {
  // Indexing through a Map: an indexed view copies its index object, which for a VectorXi is a heap copy.
  const Eigen::Map<const Eigen::VectorXi> index(rows.data(), rows.size());
  scratch.rows = data.X(index, Eigen::all);
  scratch.targets = data.y(index);
  student_.forward(scratch.rows, w, scratch.hidden, scratch.slopes, scratch.margins);
  loss_derivatives(scratch.margins, scratch.targets, scratch.derivatives);
  scratch.signals = scratch.derivatives / static_cast<double>(rows.size());
  out.resize(dim());
  student_.backward(scratch.rows, w, scratch.hidden, scratch.slopes, scratch.signals,
                    Eigen::Map<Matrix>(out.data(), dim(), 1), scratch.stacked, scratch.products);
}

void Mlp::empirical_risks(const Dataset& data, const Vector& w, Eigen::Ref<Vector> out) const {
  const Vector f = student_.outputs(data.X, w);
  if (task_ == MlpTask::regression) {
    const Eigen::ArrayXd loss = 0.5 * (f - data.y).array().square();
    out[0] = loss.mean();
    out[1] = loss.min(clip_).mean();
  } else {
    const Eigen::ArrayXd margin = data.y.array() * f.array();
    out[0] = margin.unaryExpr([](double m) { return softplus(-m); }).mean();
    out[1] = (margin <= 0).cast<double>().mean();
  }
}

void Mlp::example_losses(const Dataset& data, const Vector& w, Matrix& out) const {
  const Vector f = student_.outputs(data.X, w);
  out.resize(data.size(), 2);
  if (task_ == MlpTask::regression) {
    out.col(0) = 0.5 * (f - data.y).array().square();
    out.col(1) = out.col(0).cwiseMin(clip_);
  } else {
    const Eigen::ArrayXd margin = data.y.array() * f.array();
    out.col(0) = margin.unaryExpr([](double m) { return softplus(-m); });
    out.col(1) = (margin <= 0).cast<double>();
  }
}

void Mlp::example_predictions(const Dataset& data, const Vector& w, Eigen::ArrayXi& out) const {
  if (task_ != MlpTask::binary) throw std::logic_error("mlp: regression predictions are not classes");
  const Eigen::ArrayXd f = student_.outputs(data.X, w).array();
  out = (f > 0).cast<int>() + 2 * (f == 0).cast<int>();
}

Matrix Mlp::empirical_hessian(const Dataset& data, const Vector& w) const {
  const double n = data.size();
  const Vector f = student_.outputs(data.X, w);
  Vector r;
  loss_derivatives(f, data.y, r);
  const Matrix jacobian = student_.output_jacobian(data.X, w);
  Matrix hessian = jacobian.transpose() * (loss_curvatures(f, data.y) / n).asDiagonal() * jacobian;
  hessian += student_.weighted_output_hessian(data.X, w, r / n);
  return (hessian + hessian.transpose()) / 2;  // exactly symmetric
}

bool Mlp::has_closed_form_risk() const {
  return task_ == MlpTask::regression && is_soft_committee(student_.shape()) && is_soft_committee(teacher_.shape());
}

void Mlp::require_closed_form() const {
  if (!has_closed_form_risk())
    throw std::logic_error("mlp: the closed-form risk needs regression between erf networks without hidden biases");
}

double Mlp::population_squared_risk(const Vector& w) const {
  require_closed_form();
  return 0.5 * committee_squared_distance(student_, w, teacher_, teacher_weights_) + 0.5 * noise_ * noise_;
}

Vector Mlp::population_squared_risk_gradient(const Vector& w) const {
  require_closed_form();
  return 0.5 * committee_squared_distance_gradient(student_, w, teacher_, teacher_weights_);
}

}  // namespace sdegen
