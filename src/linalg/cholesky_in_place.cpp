// Calls the blocked factorisation behind Eigen::LLT directly: LLT's constructor first sums the
// absolute columns for its condition estimate, which the bounds never ask for.
#include "sdegen/linalg/cholesky_in_place.hpp"

#include <Eigen/Cholesky>

#include "sdegen/linalg/sum_of_logs.hpp"

namespace sdegen {

bool cholesky_in_place(Eigen::MatrixXd& a) {
  return Eigen::internal::llt_inplace<double, Eigen::Lower>::blocked(a) == -1;
}

bool cholesky_logdet(Eigen::MatrixXd& a, double& logdet) {
  if (!cholesky_in_place(a)) return false;
  logdet = 2.0 * sum_of_logs(a.diagonal());
  return true;
}

}  // namespace sdegen
