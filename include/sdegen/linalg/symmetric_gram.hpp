// The lower triangle of C += scale * P^T P for a column-major n x d matrix P (a symmetric rank-n
// update, BLAS syrk), and of (diag(s) X)^T diag(s) X: the d x d covariances of per-example gradients.
#pragma once
#include <Eigen/Core>

namespace sdegen {

// Adds scale * P^T P to the lower triangle of c (d x d); the strictly upper triangle is left as
// it is. The summation order is fixed by P's shape alone, so results never depend on the caller.
void add_symmetric_gram(const Eigen::MatrixXd& p, double scale, Eigen::MatrixXd& c);

// The same for P = diag(s) X without forming P: adds scale * sum_r s_r^2 x_r x_r^T (x_r the rows
// of x, s = row_scales), at about 5 multiplies more per 16 multiply-adds (s_r^2 and the tile's
// rows scaled): the covariance of the per-example gradients of a margin model, g_r = s_r x_r.
void add_row_scaled_symmetric_gram(const Eigen::MatrixXd& x, const Eigen::VectorXd& row_scales, double scale,
                                   Eigen::MatrixXd& c);

}  // namespace sdegen
