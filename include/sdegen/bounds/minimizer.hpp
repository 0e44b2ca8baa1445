// The empirical-risk minimiser w*_S of a training set, for the terminal-state bounds:
// damped Newton steps from the end of training until the gradient norm is below a tolerance.
#pragma once
#include "sdegen/problems/problem.hpp"

namespace sdegen {

struct MinimizerResult {
  Vector w;
  double gradient_norm = 0;  // ||grad L_S(w)||
  int iterations = 0;
  bool converged = false;  // gradient_norm <= tolerance within max_iterations
};

// Newton's method on the training loss L_S (losses()[0]) with a backtracking line search;
// a gradient step where the Hessian is not positive definite. Never throws on failure:
// converged = false says the minimum was not found (e.g. separable logistic data, d >= n).
MinimizerResult find_minimum(const Problem& problem, const Dataset& data, const Vector& start,
                             double tolerance, int max_iterations);

}  // namespace sdegen
