// E min(Q, a) for Q non-central chi-squared with k degrees of freedom and non-centrality lambda:
// the population risk of a clipped squared loss when the residual is Gaussian.
#pragma once

namespace sdegen {

// Uses E[Q; Q < a] = k F(a; k+2, lambda) + lambda F(a; k+4, lambda) (Poisson-mixture identity).
double expected_clipped_chi_squared(double k, double lambda, double a);

}  // namespace sdegen
