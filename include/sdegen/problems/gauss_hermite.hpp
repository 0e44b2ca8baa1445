// Gauss-Hermite quadrature for the standard normal: E f(xi) ~ sum_k weight_k f(node_k).
// Population risks of the logistic problem are such one-dimensional Gaussian integrals.
#pragma once
#include <Eigen/Core>

namespace sdegen {

struct GaussHermiteRule {
  Eigen::VectorXd nodes;
  Eigen::VectorXd weights;  // sum to 1
};

// The rule with `points` nodes for the N(0, 1) weight (Golub-Welsch: eigenvalues of the Jacobi
// matrix of the probabilists' Hermite polynomials). Cached for the default size.
const GaussHermiteRule& gauss_hermite_rule(int points = 96);

}  // namespace sdegen
