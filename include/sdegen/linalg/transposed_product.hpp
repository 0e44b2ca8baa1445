// X^T R for a tall matrix X (n x d) and a few columns R (n x m): the weighted sums of examples
// behind full gradients and SDE noise, all m columns in one pass over X.
#pragma once
#include <Eigen/Core>

namespace sdegen {

// out (d x m, sized by the caller) = x^T r, x n x d, r n x m (a matrix, a vector or columns of
// either). Each entry is summed in an order fixed by n alone, so column c of out has the same
// bits whatever the other columns of r are, or whether there are any: a product split over calls
// equals the product in one call.
void transposed_product(const Eigen::MatrixXd& x, const Eigen::Ref<const Eigen::MatrixXd>& r,
                        Eigen::Ref<Eigen::MatrixXd> out);

}  // namespace sdegen
