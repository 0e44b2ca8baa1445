// Kullback-Leibler divergence between two multivariate normals, the building block of every
// information term sdegen reports (formula (K) of docs/bounds.md).
#pragma once
#include "sdegen/problems/problem.hpp"

namespace sdegen {

// 2 KL(N(m1, S1) || N(m2, S2)) = tr(S2^-1 S1) - d + ln det S2 - ln det S1 + (m2 - m1)^T S2^-1 (m2 - m1),
// from Cholesky factorisations. Returns NaN when S1 or S2 is not positive definite.
double twice_gaussian_kl(const Vector& m1, const Matrix& s1, const Vector& m2, const Matrix& s2);

// log det of a symmetric positive-definite matrix by Cholesky; NaN when not positive definite.
double log_det_spd(const Matrix& s);

}  // namespace sdegen
