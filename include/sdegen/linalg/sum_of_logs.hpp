// sum_i log x_i as the log of a product with the exponents kept apart: one logarithm instead of
// one per entry (the d logs of a Cholesky diagonal cost about as much as the rest of log det at d = 20).
#pragma once
#include <Eigen/Core>

namespace sdegen {

// sum_i log x_i for the entries of x (any stride, e.g. a matrix diagonal). Positive finite x_i are
// split exactly as m_i 2^e_i, m_i in [sqrt(1/2), sqrt(2)): the exponents add exactly and each
// chunk of 64 mantissas gives one log of their product, whose rounding errs by at most about
// 64 ulp of 1 per chunk (below 1e-14 absolute per 64 entries; no cancellation for entries near 1).
// A zero, negative, infinite or NaN entry gives what log gives it (-inf, NaN, +inf, NaN) in the sum.
double sum_of_logs(const Eigen::Ref<const Eigen::VectorXd, 0, Eigen::InnerStride<>>& x);

}  // namespace sdegen
