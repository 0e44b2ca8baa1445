// Cholesky in place: a left-looking kernel on a padded copy for the small matrices of the bounds
// (latency-bound there), Eigen's blocked factorisation (without LLT's unused L1 norm) above.
#include "sdegen/linalg/cholesky_in_place.hpp"

#include <Eigen/Cholesky>
#include <cmath>
#include <cstdint>
#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "sdegen/linalg/sum_of_logs.hpp"

namespace sdegen {
namespace {

// Eight doubles as one GCC vector: an AVX-512 register, or two AVX / four SSE2 ones elsewhere.
constexpr Eigen::Index kLanes = 8;
using Lanes = double __attribute__((vector_size(kLanes * sizeof(double))));
using Indices = std::int64_t __attribute__((vector_size(kLanes * sizeof(double))));
constexpr Indices kLaneIndex = {0, 1, 2, 3, 4, 5, 6, 7};

// Up to this order the kernel's copy (32 KiB) stays in L1 and the kernel beats Eigen's, whose
// columns each cost a dispatched matrix-vector product around the square root (490 ns at d = 20).
constexpr Eigen::Index kLargestSmall = 64;

// acc -= x y, fused where the instruction set has it. (By reference: a 64-byte vector passed by
// value has another ABI without AVX-512.)
inline void subtract_product(Lanes& acc, double x, const Lanes& y) {
#if defined(__AVX512F__)
  acc = reinterpret_cast<Lanes>(_mm512_fnmadd_pd(_mm512_set1_pd(x), reinterpret_cast<const __m512d&>(y),
                                                 reinterpret_cast<__m512d>(acc)));
#else
  acc -= x * y;
#endif
}

#if defined(__AVX512F__)
// Lanes of the vector at rows r0 .. r0 + 7 that hold rows j .. d - 1.
inline __mmask8 row_mask(Eigen::Index r0, Eigen::Index j, Eigen::Index d) {
  unsigned mask = 0xffu;
  if (j > r0) mask &= 0xffu << (j - r0);
  if (d < r0 + kLanes) mask &= 0xffu >> (r0 + kLanes - d);
  return static_cast<__mmask8>(mask);
}
#endif

// Rows j .. d - 1 of a column (length d) into the vectors of column (stride a multiple of 8) from
// the one holding row j to the last, zeros elsewhere in them; and back. Masked vector loads and
// stores where AVX-512 has them (a column is at most 8 of them; element loops cost twice the kernel).
inline void copy_lower_column(const double* source, Eigen::Index j, Eigen::Index d, double* column) {
  const Eigen::Index stride = (d + kLanes - 1) / kLanes * kLanes;
  for (Eigen::Index r0 = j / kLanes * kLanes; r0 < stride; r0 += kLanes) {
#if defined(__AVX512F__)
    _mm512_store_pd(column + r0, _mm512_maskz_loadu_pd(row_mask(r0, j, d), source + r0));
#else
    for (Eigen::Index r = r0; r < r0 + kLanes; ++r) column[r] = r >= j && r < d ? source[r] : 0.0;
#endif
  }
}

inline void store_lower_column(const double* column, Eigen::Index j, Eigen::Index d, double* target) {
#if defined(__AVX512F__)
  for (Eigen::Index r0 = j / kLanes * kLanes; r0 < d; r0 += kLanes)
    _mm512_mask_storeu_pd(target + r0, row_mask(r0, j, d), _mm512_load_pd(column + r0));
#else
  for (Eigen::Index r = j; r < d; ++r) target[r] = column[r];
#endif
}

// Left-looking: column k of L is (a_k - sum_{j<k} L_kj L_j) / L_kk. The factorisation is a chain
// of d square roots, each waiting for the column before, so the kernel keeps that chain short:
// the terms j < k - 1 (columns long final) are summed in four interleaved partial sums and added
// up before the term of column k - 1 joins; 1 / L_kk is sqrt(a_kk) / a_kk, the root and the
// division side by side rather than one after the other; and each vector is stored once. The copy
// has a stride of whole vectors and column k is computed from the vector holding row k down, so
// no loop has a scalar tail; the rows above the diagonal that this touches are not copied back.
bool small_cholesky(Eigen::MatrixXd& a) {
  eigen_assert(a.rows() == a.cols());
  const Eigen::Index d = a.rows(), stride = (d + kLanes - 1) / kLanes * kLanes;
  alignas(64) double work[kLargestSmall * kLargestSmall];
  // The lower triangle and zeros in the vectors the kernel reads (finite: no NaN or subnormal stalls).
  for (Eigen::Index j = 0; j < d; ++j) copy_lower_column(a.data() + j * d, j, d, work + j * stride);
  const auto chunk = [&](Eigen::Index column, Eigen::Index row) -> Lanes& {
    return *reinterpret_cast<Lanes*>(work + column * stride + row);
  };
  // Column k's vector at rows r .. r + 7, a_k - sum_{j<k} L_kj L_j over those rows, into sum.
  const auto reduce = [&](Eigen::Index k, Eigen::Index r, Lanes& sum) {
    const double* row_k = work + k;  // L_kj = row_k[j * stride]
    Lanes sum0 = chunk(k, r), sum1 = {}, sum2 = {}, sum3 = {};
    Eigen::Index j = 0;
    for (; j + 5 <= k; j += 4) {  // j .. j + 3 <= k - 2
      subtract_product(sum0, row_k[j * stride], chunk(j, r));
      subtract_product(sum1, row_k[(j + 1) * stride], chunk(j + 1, r));
      subtract_product(sum2, row_k[(j + 2) * stride], chunk(j + 2, r));
      subtract_product(sum3, row_k[(j + 3) * stride], chunk(j + 3, r));
    }
    for (; j + 2 <= k; ++j) subtract_product(sum0, row_k[j * stride], chunk(j, r));
    sum = (sum0 + sum1) + (sum2 + sum3);
    if (k > 0) subtract_product(sum, row_k[(k - 1) * stride], chunk(k - 1, r));
  };
  for (Eigen::Index k = 0; k < d; ++k) {
    const Eigen::Index first = k / kLanes * kLanes;
    Lanes diagonal;
    reduce(k, first, diagonal);
    // The pivot out of the register by a permute (a store and a load of one lane would wait on
    // store forwarding).
    const double pivot = __builtin_shuffle(diagonal, Indices{} + (k - first))[0];
    if (pivot <= 0) return false;  // not positive definite; NaN goes on, as in Eigen's, and shows in L
    const double root = std::sqrt(pivot), inverse_root = root * (1.0 / pivot);
    // L_kk into its lane by a blend (an element store would go through memory too), then one store
    // of the vector, which the next column loads.
    diagonal = kLaneIndex == (k - first) ? Lanes{} + root : diagonal * inverse_root;
    chunk(k, first) = diagonal;
    for (Eigen::Index r = first + kLanes; r < stride; r += kLanes) {
      reduce(k, r, chunk(k, r));
      chunk(k, r) *= inverse_root;
    }
  }
  for (Eigen::Index j = 0; j < d; ++j) store_lower_column(work + j * stride, j, d, a.data() + j * d);
  return true;
}

}  // namespace

bool cholesky_in_place(Eigen::MatrixXd& a) {
  if (a.rows() <= kLargestSmall) return small_cholesky(a);
  return Eigen::internal::llt_inplace<double, Eigen::Lower>::blocked(a) == -1;
}

bool cholesky_logdet(Eigen::MatrixXd& a, double& logdet) {
  if (!cholesky_in_place(a)) return false;
  logdet = 2.0 * sum_of_logs(a.diagonal());
  return true;
}

}  // namespace sdegen
