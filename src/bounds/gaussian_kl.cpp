// KL divergence between multivariate normals and log-determinants of SPD matrices, both from
// Cholesky factors: no explicit inverse, so the cost is O(d^3) and the rounding is backward stable.
#include "sdegen/bounds/gaussian_kl.hpp"

#include <Eigen/Cholesky>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace sdegen {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Eigen's LLT reports failure only on a pivot <= 0; a NaN pivot slips through, but then the
// log-determinant (and so every result built on it) is NaN as well.
bool factorised(const Eigen::LLT<Matrix>& llt) { return llt.info() == Eigen::Success; }

double log_det_from(const Eigen::LLT<Matrix>& llt) {
  // det S = prod diag(L)^2
  return 2.0 * llt.matrixLLT().diagonal().array().log().sum();
}
}  // namespace

double log_det_spd(const Matrix& s) {
  if (s.rows() != s.cols()) throw std::invalid_argument("log_det_spd: matrix is not square");
  const Eigen::LLT<Matrix> llt(s);
  return factorised(llt) ? log_det_from(llt) : kNaN;
}

double twice_gaussian_kl(const Vector& m1, const Matrix& s1, const Vector& m2, const Matrix& s2) {
  const Eigen::Index d = m1.size();
  if (m2.size() != d || s1.rows() != d || s1.cols() != d || s2.rows() != d || s2.cols() != d)
    throw std::invalid_argument("twice_gaussian_kl: dimensions of means and covariances differ");
  const Eigen::LLT<Matrix> llt1(s1), llt2(s2);
  if (!factorised(llt1) || !factorised(llt2)) return kNaN;
  const auto l2 = llt2.matrixL();
  // With S = L L^T: tr(S2^-1 S1) = ||L2^-1 L1||_F^2 and the Mahalanobis term is ||L2^-1 dm||^2.
  const Matrix a = l2.solve(Matrix(llt1.matrixL()));
  const Vector b = l2.solve(m2 - m1);
  return a.squaredNorm() - static_cast<double>(d) + log_det_from(llt2) - log_det_from(llt1) +
         b.squaredNorm();
}

}  // namespace sdegen
