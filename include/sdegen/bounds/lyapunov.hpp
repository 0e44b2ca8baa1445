// Stationary covariance of the SDE near a minimum (an Ornstein-Uhlenbeck process): the
// continuous and the discrete Lyapunov equations, solved in the eigenbasis of the Hessian.
#pragma once
#include "sdegen/problems/problem.hpp"

namespace sdegen {

struct LyapunovSolution {
  Matrix continuous;  // H L + L H = eta C
  Matrix discrete;    // H L + L H - (eta / k) H L H = eta C (the step actually run, k substeps)
  double lambda_min = 0, lambda_max = 0;  // extreme eigenvalues of H
  bool positive_definite = false;  // lambda_min > 0: both solutions exist and are unique
  bool edge_of_stability = false;  // (eta / k) lambda_max >= 2: the discrete iteration has no stationary law
};

// H symmetric, C symmetric positive semi-definite, eta > 0, k >= 1 substeps of eta / k each
// (X <- (I - (eta/k) H) X - (eta / sqrt k) xi, xi ~ N(0, C)). With H = U diag(l) U^T:
// L = U [ (U^T eta C U)_ij / (l_i + l_j) ] U^T (continuous), / (l_i + l_j - (eta/k) l_i l_j) (discrete).
// Solutions whose denominators vanish or turn negative are filled with NaN.
LyapunovSolution solve_lyapunov(const Matrix& h, const Matrix& c, double eta, int substeps = 1);

}  // namespace sdegen
