// Calls the blocked factorisation behind Eigen::LLT directly: LLT's constructor first sums the
// absolute columns for its condition estimate, which the bounds never ask for.
#include "sdegen/linalg/cholesky_in_place.hpp"

#include <Eigen/Cholesky>

namespace sdegen {

bool cholesky_in_place(Eigen::MatrixXd& a) {
  return Eigen::internal::llt_inplace<double, Eigen::Lower>::blocked(a) == -1;
}

}  // namespace sdegen
