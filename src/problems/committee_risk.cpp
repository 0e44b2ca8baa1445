// Soft committee closed form. With fields u_j = w_j.x / sqrt p, v_m = w*_m.x / sqrt p, the
// covariances are Q = W W^T / p, R = W W*^T / p, T = W* W*^T / p, and E(f - f*)^2 is a sum of
// erf_unit_moment over pairs of units; every erf unit has mean 0, so output biases add (c - c*)^2.
#include "sdegen/problems/committee_risk.hpp"

#include <cmath>
#include <stdexcept>

namespace sdegen {

namespace {

constexpr double kTwoOverPi = 0.63661977236758134308;

void require_committees(const TwoLayerNetwork& student, const TwoLayerNetwork& teacher) {
  if (!is_soft_committee(student.shape()) || !is_soft_committee(teacher.shape()))
    throw std::invalid_argument("the committee closed form needs erf activations and no hidden biases");
  if (student.inputs() != teacher.inputs())
    throw std::invalid_argument("the committee closed form needs networks on the same inputs");
}

double output_bias(const TwoLayerNetwork& net, const Vector& w) {
  return net.shape().output_bias ? w[net.output_bias_offset()] : 0.0;
}

// Moments M_jm = erf_unit_moment(Q_jj, S_mm, C_jm) and, when wanted, their partial derivatives
// with respect to C_jm (dz) and to the first variance Q_jj (dx).
struct UnitMoments {
  Matrix value, dz, dx;
};

UnitMoments unit_moments(const Vector& q_diag, const Vector& s_diag, const Matrix& c, bool derivatives) {
  UnitMoments out;
  out.value.resize(c.rows(), c.cols());
  if (derivatives) {
    out.dz.resize(c.rows(), c.cols());
    out.dx.resize(c.rows(), c.cols());
  }
  for (Eigen::Index j = 0; j < c.rows(); ++j)
    for (Eigen::Index m = 0; m < c.cols(); ++m) {
      const double x = q_diag[j], y = s_diag[m], z = c(j, m);
      out.value(j, m) = erf_unit_moment(x, y, z);
      if (!derivatives) continue;
      // d/dz (2/pi) asin(z / sqrt((1+x)(1+y))) = (2/pi) / sqrt((1+x)(1+y) - z^2);
      // d/dx = -z / (2 (1+x)) times that.
      out.dz(j, m) = kTwoOverPi / std::sqrt((1 + x) * (1 + y) - z * z);
      out.dx(j, m) = -z / (2 * (1 + x)) * out.dz(j, m);
    }
  return out;
}

}  // namespace

double erf_unit_moment(double c_uu, double c_vv, double c_uv) {
  return kTwoOverPi * std::asin(c_uv / std::sqrt((1 + c_uu) * (1 + c_vv)));
}

bool is_soft_committee(const NetworkShape& shape) {
  return shape.activation == Activation::erf && !shape.hidden_bias;
}

double committee_squared_distance(const TwoLayerNetwork& student, const Vector& w, const TwoLayerNetwork& teacher,
                                  const Vector& v) {
  require_committees(student, teacher);
  const double p = student.inputs(), h = student.width(), ht = teacher.width();
  const Matrix V = student.input_weights(w), Vt = teacher.input_weights(v);  // p x h, p x h*
  const Vector a = student.output_weights(w), at = teacher.output_weights(v);
  const Matrix Q = V.transpose() * V / p, R = V.transpose() * Vt / p, T = Vt.transpose() * Vt / p;
  const Vector q = Q.diagonal(), t = T.diagonal();
  const double student_part = a.dot(unit_moments(q, q, Q, false).value * a) / h;
  const double cross = a.dot(unit_moments(q, t, R, false).value * at) / std::sqrt(h * ht);
  const double teacher_part = at.dot(unit_moments(t, t, T, false).value * at) / ht;
  const double bias = output_bias(student, w) - output_bias(teacher, v);
  return student_part - 2 * cross + teacher_part + bias * bias;
}

Vector committee_squared_distance_gradient(const TwoLayerNetwork& student, const Vector& w,
                                           const TwoLayerNetwork& teacher, const Vector& v) {
  // D = a^T M(Q) a / h - 2 a^T M(R) a* / sqrt(h h*) + const. With dD = sum A_jk dQ_jk for the
  // student-student term (A = F .* dz + diag(2 sum_k F_jk dx_jk), F = a a^T / h: Q_jj enters
  // through both variances and, on the diagonal, the covariance) and B = G .* dz, delta_j =
  // sum_m G_jm dx_jm (G = a a*^T / sqrt(h h*)) for the cross term, and dQ = (dW W^T + W dW^T)/p,
  // dR = dW W*^T / p, dQ_jj = 2 w_j.dw_j / p:  grad_W D = (2 / p) (A W - B W* - 2 diag(delta) W).
  require_committees(student, teacher);
  const double p = student.inputs(), h = student.width(), ht = teacher.width();
  const Matrix V = student.input_weights(w), Vt = teacher.input_weights(v);
  const Vector a = student.output_weights(w), at = teacher.output_weights(v);
  const Matrix Q = V.transpose() * V / p, R = V.transpose() * Vt / p;
  const Vector q = Q.diagonal(), t = (Vt.transpose() * Vt / p).diagonal();
  const UnitMoments self = unit_moments(q, q, Q, true), cross = unit_moments(q, t, R, true);
  const Matrix F = a * a.transpose() / h, G = a * at.transpose() / std::sqrt(h * ht);
  Matrix A = F.cwiseProduct(self.dz);
  A.diagonal() += 2 * F.cwiseProduct(self.dx).rowwise().sum();
  const Matrix B = G.cwiseProduct(cross.dz);
  const Vector delta = G.cwiseProduct(cross.dx).rowwise().sum();
  // In V = W^T coordinates: (2 / p) (V A - V* B^T - 2 V diag(delta)).
  const Matrix grad_V = (2 / p) * (V * A - Vt * B.transpose() - 2 * V * delta.asDiagonal());
  Vector out = Vector::Zero(student.dim());
  out.head(V.size()) = Eigen::Map<const Vector>(grad_V.data(), grad_V.size());
  out.segment(student.output_weight_offset(), student.width()) =
      2 * self.value * a / h - 2 * cross.value * at / std::sqrt(h * ht);
  if (student.shape().output_bias)
    out[student.output_bias_offset()] = 2 * (output_bias(student, w) - output_bias(teacher, v));
  return out;
}

}  // namespace sdegen
