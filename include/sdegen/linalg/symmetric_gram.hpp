// The lower triangle of C += scale * P^T P for a column-major n x d matrix P (a symmetric rank-n
// update, BLAS syrk): the d x d covariances of per-example gradients every bound forms per step.
#pragma once
#include <Eigen/Core>

namespace sdegen {

// Adds scale * P^T P to the lower triangle of c (d x d); the strictly upper triangle is left as
// it is. The summation order is fixed by P's shape alone, so results never depend on the caller.
void add_symmetric_gram(const Eigen::MatrixXd& p, double scale, Eigen::MatrixXd& c);

}  // namespace sdegen
