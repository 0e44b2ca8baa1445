// The one noise convention of sdegen: xi = sqrt(kappa / n) Gc^T z, z ~ N(0, I_n), whose
// covariance is exactly C = kappa Sigma_S(w), in O(nd) work, also when C is singular (d >= n).
#pragma once
#include "sdegen/problems/example_gradients.hpp"
#include "sdegen/problems/problem.hpp"
#include "sdegen/random/stream.hpp"

namespace sdegen {

// kappa = (n - b) / (b (n - 1)): C = kappa Sigma_S is the covariance of the mean gradient of b
// distinct examples drawn without replacement.
double minibatch_kappa(int n, int batch);

struct SdeWorkspace {
  Matrix weights;  // n x 2: [1/n, z]
  Matrix sums;     // d x 2: [G, sum_i z_i g_i]
  GradientScratch scratch;
};

// Full gradient G(w) and one draw of xi ~ N(0, kappa Sigma_S(w)), sharing one pass over the data:
// Gc^T z = sum_i z_i g_i - G sum_i z_i.
void gradient_and_noise(const Problem& problem, const Dataset& data, const Vector& w, double kappa,
                        Stream& stream, Vector& gradient, Vector& noise, SdeWorkspace& work);

// The same from per-example gradients already at hand (P, or scaled rows of X), through
// ExampleGradients::weighted_sums; with G known (ExampleGradients::with_mean) only sum_i z_i g_i is
// summed. For the margin models either way gives the numbers of gradient_and_noise bit for bit.
void noise_from_example_gradients(const ExampleGradients& example_gradients, double kappa, Stream& stream,
                                  Vector& gradient, Vector& noise, SdeWorkspace& work);

}  // namespace sdegen
