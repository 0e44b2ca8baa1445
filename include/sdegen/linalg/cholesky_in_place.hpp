// The lower Cholesky factor of a symmetric positive definite matrix, in place, and the log det it
// gives: Eigen's own factorisation without the L1 norm its LLT computes for rcond() (a third at d = 20).
#pragma once
#include <Eigen/Core>

namespace sdegen {

// Overwrites the lower triangle of a (read from the lower triangle) with L, a = L L^T; the strictly
// upper triangle is left as it is. False when a pivot is not positive (a numerically not positive
// definite); a NaN entry gives NaN in L, which callers detect in what they compute from it.
bool cholesky_in_place(Eigen::MatrixXd& a);

// The same, and log det a = 2 sum_i log L_ii into logdet (set only when the factorisation succeeds;
// it may still be non-finite, which callers check).
bool cholesky_logdet(Eigen::MatrixXd& a, double& logdet);

}  // namespace sdegen
