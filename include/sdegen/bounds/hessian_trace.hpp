// tr H of the training loss at w, for the empirical risk or the population: exact from the d x d
// Hessian when d is small, else Hutchinson's unbiased estimate z^T H z from gradient differences.
#pragma once
#include <functional>

#include "sdegen/problems/problem.hpp"
#include "sdegen/random/stream.hpp"

namespace sdegen {

// (1/probes) sum_k z_k^T H z_k with z_k Rademacher (E z z^T = I, so E z^T H z = tr H) and
// H z = [g(w + e z) - g(w - e z)] / (2 e), the central difference of the gradient g (exact for
// quadratic losses, O(e^2) otherwise). e = 1e-4 (1 + ||w|| / sqrt d).
double hutchinson_trace(const std::function<Vector(const Vector&)>& gradient, const Vector& w, int probes,
                        Stream& stream);

}  // namespace sdegen
