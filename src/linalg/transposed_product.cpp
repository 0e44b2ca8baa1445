// X^T R register-blocked with AVX-512: blocks of X's columns against all of R's (up to 4) in one
// pass over the rows, lane sums by shuffles; one Eigen matrix-vector product per column elsewhere.
#include "sdegen/linalg/transposed_product.hpp"

#include <algorithm>

#include "sdegen/linalg/lane_sums.hpp"

namespace sdegen {

namespace {

#if defined(__AVX512F__)
constexpr int kMaxColumns = 4;  // columns of R per pass (more: further passes)

// Accumulators per (column of X, column of R), one each, over the rows in order: 8 to 16 of them
// in flight keep both FMA units busy (A columns of X for M of R: A = 8 for M <= 2, else 4).
template <int M>
constexpr int block_width() { return M <= 2 ? 8 : 4; }

struct Strides {  // outer strides of r and out (x is n x d, contiguous)
  Eigen::Index r, out;
};

// out(j0 + a, c) = sum over rows of x(., j0 + a) r(., c), a < A, c < M.
template <int A, int M>
void block(const double* x, const double* r, Eigen::Index n, Eigen::Index j0, double* out, Strides stride) {
  const double* column[A];
  for (int a = 0; a < A; ++a) column[a] = x + (j0 + a) * n;
  __m512d acc[A][M];
  for (auto& row : acc)
    for (auto& v : row) v = _mm512_setzero_pd();
  const Eigen::Index vector_end = n / 8 * 8;
  __m512d weights[M];
  for (Eigen::Index i = 0; i < vector_end; i += 8) {
    for (int c = 0; c < M; ++c) weights[c] = _mm512_loadu_pd(r + c * stride.r + i);
    for (int a = 0; a < A; ++a) {
      const __m512d xa = _mm512_loadu_pd(column[a] + i);
      for (int c = 0; c < M; ++c) acc[a][c] = _mm512_fmadd_pd(xa, weights[c], acc[a][c]);
    }
  }
  if (vector_end < n) {  // the last rows in one masked pass (zeros in the missing lanes)
    const auto mask = static_cast<__mmask8>((1u << (n - vector_end)) - 1);
    for (int c = 0; c < M; ++c) weights[c] = _mm512_maskz_loadu_pd(mask, r + c * stride.r + vector_end);
    for (int a = 0; a < A; ++a) {
      const __m512d xa = _mm512_maskz_loadu_pd(mask, column[a] + vector_end);
      for (int c = 0; c < M; ++c) acc[a][c] = _mm512_fmadd_pd(xa, weights[c], acc[a][c]);
    }
  }
  // Eight accumulators at a time, column of R by column, through lane_sums.
  constexpr int kCount = A * M;
  __m512d flat[(kCount + 7) / 8 * 8];
  for (int k = 0; k < (kCount + 7) / 8 * 8; ++k) flat[k] = k < kCount ? acc[k % A][k / A] : _mm512_setzero_pd();
  for (int k0 = 0; k0 < kCount; k0 += 8) {
    alignas(64) double sums[8];
    _mm512_store_pd(sums, lane_sums(flat[k0], flat[k0 + 1], flat[k0 + 2], flat[k0 + 3], flat[k0 + 4], flat[k0 + 5],
                                    flat[k0 + 6], flat[k0 + 7]));
    for (int k = k0; k < std::min(k0 + 8, kCount); ++k) out[(k / A) * stride.out + j0 + k % A] = sums[k - k0];
  }
}

// Columns j0 .. j0 + width - 1 of X (width < A): the same sums, block by block of one width.
template <int M, int A = block_width<M>() - 1>
void edge(int width, const double* x, const double* r, Eigen::Index n, Eigen::Index j0, double* out, Strides stride) {
  if constexpr (A >= 1) {
    if (width == A) return block<A, M>(x, r, n, j0, out, stride);
    edge<M, A - 1>(width, x, r, n, j0, out, stride);
  }
}

template <int M>
void columns(const double* x, const double* r, Eigen::Index n, Eigen::Index d, double* out, Strides stride) {
  constexpr int kWidth = block_width<M>();
  Eigen::Index j0 = 0;
  for (; j0 + kWidth <= d; j0 += kWidth) block<kWidth, M>(x, r, n, j0, out, stride);
  if (j0 < d) edge<M>(static_cast<int>(d - j0), x, r, n, j0, out, stride);
}
#endif

}  // namespace

void transposed_product(const Eigen::MatrixXd& x, const Eigen::Ref<const Eigen::MatrixXd>& r,
                        Eigen::Ref<Eigen::MatrixXd> out) {
  const Eigen::Index m = r.cols();
  eigen_assert(r.rows() == x.rows() && out.rows() == x.cols() && out.cols() == m);
#if defined(__AVX512F__)
  const Eigen::Index n = x.rows(), d = x.cols();
  const Strides stride{r.outerStride(), out.outerStride()};
  for (Eigen::Index c0 = 0; c0 < m; c0 += kMaxColumns) {
    const double* rc = r.data() + c0 * stride.r;
    double* oc = out.data() + c0 * stride.out;
    switch (std::min<Eigen::Index>(kMaxColumns, m - c0)) {
      case 1: columns<1>(x.data(), rc, n, d, oc, stride); break;
      case 2: columns<2>(x.data(), rc, n, d, oc, stride); break;
      case 3: columns<3>(x.data(), rc, n, d, oc, stride); break;
      default: columns<4>(x.data(), rc, n, d, oc, stride); break;
    }
  }
#else
  for (Eigen::Index c = 0; c < m; ++c) out.col(c).noalias() = x.transpose() * r.col(c);
#endif
}

}  // namespace sdegen
