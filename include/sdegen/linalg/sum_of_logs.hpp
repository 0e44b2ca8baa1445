// sum_i log x_i as the log of a product with the exponents kept apart: one logarithm instead of
// one per entry (the d logs of a Cholesky diagonal cost about as much as the rest of log det at d = 20).
#pragma once
#include <Eigen/Core>

namespace sdegen {

// sum_i log x_i for the entries of x (any stride, e.g. a matrix diagonal). Positive finite x_i are
// split as m_i 2^e_i, m_i in [1/2, 1): the exponents add exactly and the mantissas' product,
// renormalised every 64 factors, carries a relative error below 64 ulp, i.e. an absolute one
// below 1e-14 in the sum. A zero, negative, infinite or NaN entry gives what log gives it
// (-inf, NaN, +inf, NaN) in the sum.
double sum_of_logs(const Eigen::Ref<const Eigen::VectorXd, 0, Eigen::InnerStride<>>& x);

}  // namespace sdegen
