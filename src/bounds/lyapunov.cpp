// Continuous and discrete Lyapunov equations for the stationary covariance of the linearised
// SDE/SGD near a minimum, solved in the eigenbasis of H where both become element-wise divisions.
#include "sdegen/bounds/lyapunov.hpp"

#include <Eigen/Eigenvalues>
#include <limits>
#include <stdexcept>

namespace sdegen {

LyapunovSolution solve_lyapunov(const Matrix& h, const Matrix& c, double eta, int substeps) {
  const Eigen::Index d = h.rows();
  if (h.cols() != d || c.rows() != d || c.cols() != d)
    throw std::invalid_argument("solve_lyapunov: H and C must be square of the same size");
  if (!(eta > 0)) throw std::invalid_argument("solve_lyapunov: eta must be positive");
  if (substeps < 1) throw std::invalid_argument("solve_lyapunov: substeps must be at least 1");
  // k substeps of ds = eta / k with noise (eta / sqrt k) xi: stationarity of
  // L = (I - ds H) L (I - ds H) + (eta^2 / k) C gives H L + L H - ds H L H = eta C.
  const double ds = eta / substeps;
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();

  LyapunovSolution out;
  out.continuous = Matrix::Constant(d, d, nan);
  out.discrete = Matrix::Constant(d, d, nan);
  if (d == 0) {  // nothing to solve; the empty solutions are trivially valid
    out.positive_definite = true;
    return out;
  }
  const Eigen::SelfAdjointEigenSolver<Matrix> eig(h);
  if (eig.info() != Eigen::Success) {  // e.g. NaN entries: report nothing as valid
    out.lambda_min = out.lambda_max = nan;
    return out;
  }
  const Vector& l = eig.eigenvalues();  // ascending
  const Matrix& u = eig.eigenvectors();
  out.lambda_min = l[0];
  out.lambda_max = l[d - 1];
  out.positive_definite = out.lambda_min > 0;
  out.edge_of_stability = ds * out.lambda_max >= 2;

  const Matrix rotated = u.transpose() * (eta * c) * u;
  Matrix cont(d, d), disc(d, d);
  bool cont_ok = true, disc_ok = true;
  for (Eigen::Index j = 0; j < d; ++j)
    for (Eigen::Index i = 0; i < d; ++i) {
      const double dc = l[i] + l[j];
      const double dd = dc - ds * l[i] * l[j];
      cont_ok = cont_ok && dc > 0;
      disc_ok = disc_ok && dd > 0;
      cont(i, j) = rotated(i, j) / dc;
      disc(i, j) = rotated(i, j) / dd;
    }
  // Mathematically the diagonal denominators l_i (2 - ds l_i) already vanish at the edge; the
  // flag is or-ed in so that rounding at ds lambda_max = 2 cannot make the two disagree.
  disc_ok = disc_ok && !out.edge_of_stability;
  // Back to the original basis; symmetrise because the two products round differently.
  if (cont_ok) {
    const Matrix back = u * cont * u.transpose();
    out.continuous = 0.5 * (back + back.transpose());
  }
  if (disc_ok) {
    const Matrix back = u * disc * u.transpose();
    out.discrete = 0.5 * (back + back.transpose());
  }
  return out;
}

}  // namespace sdegen
