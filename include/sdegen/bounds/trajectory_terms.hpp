// The per-step ingredients of the trajectory bounds at W_{t-1}, from the per-example gradients
// the step uses: ||G - g~||^2 + tr C_t for both prior means, log det C_t, the alignment KL term
// log det C_t comes from a d x d Cholesky factor, or, with
// a noise floor and n < d, from the n x n Gram matrix of the centred gradients.
#pragma once
#include "sdegen/problems/example_gradients.hpp"
#include "sdegen/problems/problem.hpp"

namespace sdegen {

struct TrajectoryTerms {
  double a_zero = 0;      // ||G||^2 + tr C_t               (prior mean 0)
  double a_pop = 0;       // ||G - grad L_mu||^2 + tr C_t   (prior mean: population gradient)
  double logdet = 0;      // log det C_t
  double align = 0;       // tr(C_mu^-1 C_t) - d - log det(C_mu^-1 C_t) + (G - grad L_mu)^T C_mu^-1 (G - grad L_mu)
  bool logdet_ok = false; // C_t positive definite (when asked for): traj_iso's terms exist
  bool align_ok = false;  // C_t and C_mu positive definite (when asked for): traj_align's term exists
};

// Scratch kept across steps, so that a step allocates nothing of size d.
struct TrajectoryWorkspace {
  Matrix sigma;       // C_t, then its lower Cholesky factor
  Matrix c_mu;        // C_mu, then its lower Cholesky factor
  Matrix ratio;       // L_mu^-1 L_t
  Vector gradient;    // G, the mean of the per-example gradients
  Matrix gradients;   // P, formed only for the Gram path from a scaled design
  Vector gap;         // G - grad L_mu (L_mu^-1 (G - grad L_mu) after the dense alignment path)
  // C_mu as diagonal plus low rank (trajectory_terms.cpp): Sigma_mu's structure, D^-1 for the
  // diagonal D of C_mu, diag(C_t) (kept before C_t is factorised), Y = D^-1 V, K = I + V^T Y,
  // (L_K^-1) Y^T L_t and (L_K^-1) Y^T gap.
  DiagonalPlusLowRank structure;
  Vector d_mu_inverse, c_t_diagonal, y_gap;
  Matrix y, k, z_t;
};

// C_t = kappa Sigma_S(w) + lambda I and C_mu = kappa Sigma_mu(w) + lambda I. with_logdet: log det
// C_t by the cheaper path; with_align also the alignment term, which forms C_t as a d x d matrix
// and C_mu as one too (O(N d^2 + d^3), N the population sample) unless the population gives
// Sigma_mu as diagonal plus low rank (O(d^2 k)). The rest is O(n d).
TrajectoryTerms trajectory_terms(const Population& population, const Vector& w,
                                 const ExampleGradients& example_gradients, double kappa, double noise_floor,
                                 bool with_logdet, bool with_align, TrajectoryWorkspace& work);

// Two ways to log det C, C = (kappa / n) Gc^T Gc + lambda I (Gc: the n x d centred gradients):
// dense, a Cholesky factor of the d x d matrix C, O(n d^2 + d^3); gram, by the matrix determinant
// lemma log det C = d log lambda + log det(I_n + kappa / (n lambda) Gc Gc^T), O(n^2 d + n^3), which
// needs lambda > 0 (without a floor C is singular when d > n - 1 anyway).
enum class LogdetPath { dense, gram };
// gram when lambda > 0 and n < d, where it is the cheaper one; else dense.
LogdetPath cheaper_logdet_path(Eigen::Index n, Eigen::Index d, double noise_floor);

struct NoiseLogdet {
  double logdet = 0, trace = 0;  // log det C and tr C
  bool ok = false;               // the factorisation succeeded (C numerically positive definite)
};
// From the per-example gradients P (n x d, uncentred). work: d x d (dense) or n x n (gram) scratch;
// with the dense path it holds the lower Cholesky factor of C on return.
NoiseLogdet noise_covariance_logdet(const Matrix& example_gradients, double kappa, double noise_floor, LogdetPath path,
                                    Matrix& work);

}  // namespace sdegen
