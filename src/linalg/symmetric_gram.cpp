// A register-blocked syrk for the small, tall products of per-example gradients (n in the
// hundreds, d up to a few hundred), where Eigen's general kernel spends most of its time packing.
#include "sdegen/linalg/symmetric_gram.hpp"

#include <algorithm>
#include <cassert>

#include "sdegen/linalg/lane_sums.hpp"

namespace sdegen {

namespace {

namespace ei = Eigen::internal;
using Packet = ei::packet_traits<double>::type;
constexpr int kLanes = ei::packet_traits<double>::size;
// A 4 x 4 tile of C keeps 16 accumulators and 8 column slices in registers (AVX-512 has 32,
// AVX2 16: the compiler spills a few there, still well ahead of packing for these shapes).
constexpr int kTile = 4;
// Rows per pass: the 8 columns a tile streams stay in L2 (8 x 1024 doubles = 64 KiB).
constexpr Eigen::Index kRowChunk = 1024;

// c(i0 + a, j0 + b) += scale * sum over rows [r0, r1) of v_r p(r, i0 + a) p(r, j0 + b), a < I, b < J,
// for the entries on or below the diagonal; v_r = 1 unless kRowScaled (then v_r = row_scale_r^2).
template <int I, int J, bool kRowScaled>
void add_tile(const double* p, const double* row_scale, Eigen::Index n, Eigen::Index r0, Eigen::Index r1,
              Eigen::Index i0, Eigen::Index j0, double scale, Eigen::MatrixXd& c) {
  const double* col_i[kTile];
  const double* col_j[kTile];
  for (int a = 0; a < I; ++a) col_i[a] = p + (i0 + a) * n;
  for (int b = 0; b < J; ++b) col_j[b] = p + (j0 + b) * n;
  Packet acc[I][J];
  for (int a = 0; a < I; ++a)
    for (int b = 0; b < J; ++b) acc[a][b] = ei::pset1<Packet>(0.0);
  const Eigen::Index vector_end = r0 + (r1 - r0) / kLanes * kLanes;
  for (Eigen::Index r = r0; r < vector_end; r += kLanes) {
    Packet x[I], y[J];
    for (int a = 0; a < I; ++a) x[a] = ei::ploadu<Packet>(col_i[a] + r);
    if constexpr (kRowScaled) {
      const Packet s = ei::ploadu<Packet>(row_scale + r), v = ei::pmul(s, s);
      for (int a = 0; a < I; ++a) x[a] = ei::pmul(v, x[a]);
    }
    for (int b = 0; b < J; ++b) y[b] = ei::ploadu<Packet>(col_j[b] + r);
    for (int a = 0; a < I; ++a)
      for (int b = 0; b < J; ++b) acc[a][b] = ei::pmadd(x[a], y[b], acc[a][b]);
  }
  for (int a = 0; a < I; ++a)
    for (int b = 0; b < J; ++b) {
      if (j0 + b > i0 + a) continue;  // above the diagonal
      double sum = ei::predux(acc[a][b]);
      for (Eigen::Index r = vector_end; r < r1; ++r)
        sum += (kRowScaled ? row_scale[r] * row_scale[r] * col_i[a][r] : col_i[a][r]) * col_j[b][r];
      c(i0 + a, j0 + b) += scale * sum;
    }
}

#if defined(__AVX512F__) && defined(__AVX512VL__)
// The whole 4 x 4 tile with AVX-512: the rows past the last multiple of 8 come in one masked load
// (zeros in the missing lanes), and the 16 sums leave the registers as two vectors, a column of
// the tile per 256-bit half. A tile on the diagonal (kDiagonal) accumulates its 10 entries on or
// below it only, and a mask keeps the entries above it untouched.
template <bool kRowScaled, bool kDiagonal>
void add_full_tile(const double* p, const double* row_scale, Eigen::Index n, Eigen::Index r0, Eigen::Index r1,
                   Eigen::Index i0, Eigen::Index j0, double scale, Eigen::MatrixXd& c) {
  const double* col_i[kTile];
  const double* col_j[kTile];
  for (int a = 0; a < kTile; ++a) col_i[a] = p + (i0 + a) * n;
  for (int b = 0; b < kTile; ++b) col_j[b] = p + (j0 + b) * n;
  __m512d acc[kTile][kTile];
  for (auto& row : acc)
    for (auto& v : row) v = _mm512_setzero_pd();
  const Eigen::Index vector_end = r0 + (r1 - r0) / 8 * 8;
  // The rows past vector_end in one more pass with a masked load. (Written out twice: with the
  // mask chosen inside one loop, GCC 12 stores the 16 accumulators to memory on every pass.)
  __m512d x[kTile], y[kTile];
  for (Eigen::Index r = r0; r < vector_end; r += 8) {
    for (int a = 0; a < kTile; ++a) x[a] = _mm512_loadu_pd(col_i[a] + r);
    if constexpr (kRowScaled) {
      const __m512d s = _mm512_loadu_pd(row_scale + r), v = _mm512_mul_pd(s, s);
      for (int a = 0; a < kTile; ++a) x[a] = _mm512_mul_pd(v, x[a]);
    }
    for (int b = 0; b < kTile; ++b) y[b] = _mm512_loadu_pd(col_j[b] + r);
    for (int a = 0; a < kTile; ++a)
      for (int b = 0; b < kTile; ++b)
        if (!kDiagonal || b <= a) acc[a][b] = _mm512_fmadd_pd(x[a], y[b], acc[a][b]);
  }
  if (vector_end < r1) {
    const auto mask = static_cast<__mmask8>((1u << (r1 - vector_end)) - 1);
    for (int a = 0; a < kTile; ++a) x[a] = _mm512_maskz_loadu_pd(mask, col_i[a] + vector_end);
    if constexpr (kRowScaled) {
      const __m512d s = _mm512_maskz_loadu_pd(mask, row_scale + vector_end), v = _mm512_mul_pd(s, s);
      for (int a = 0; a < kTile; ++a) x[a] = _mm512_mul_pd(v, x[a]);
    }
    for (int b = 0; b < kTile; ++b) y[b] = _mm512_maskz_loadu_pd(mask, col_j[b] + vector_end);
    for (int a = 0; a < kTile; ++a)
      for (int b = 0; b < kTile; ++b)
        if (!kDiagonal || b <= a) acc[a][b] = _mm512_fmadd_pd(x[a], y[b], acc[a][b]);
  }
  // Columns (b, b + 1) of the tile: lanes 0-3 are rows i0..i0+3 of column j0 + b, lanes 4-7 of j0 + b + 1.
  const __m512d factor = _mm512_set1_pd(scale);
  for (int b = 0; b < kTile; b += 2) {
    const __m512d sums = _mm512_mul_pd(factor, lane_sums(acc[0][b], acc[1][b], acc[2][b], acc[3][b], acc[0][b + 1],
                                                         acc[1][b + 1], acc[2][b + 1], acc[3][b + 1]));
    for (int half = 0; half < 2; ++half) {
      // On the diagonal, column b + half keeps rows a >= b + half only.
      const __mmask8 keep = kDiagonal ? static_cast<__mmask8>((0xfu << (b + half)) & 0xfu) : __mmask8{0xf};
      double* column = c.data() + (j0 + b + half) * c.rows() + i0;
      const __m256d part =
          half == 0 ? _mm512_maskz_extractf64x4_pd(0xf, sums, 0) : _mm512_maskz_extractf64x4_pd(0xf, sums, 1);
      _mm256_mask_storeu_pd(column, keep, _mm256_add_pd(_mm256_maskz_loadu_pd(keep, column), part));
    }
  }
}
template <>
void add_tile<4, 4, false>(const double* p, const double* row_scale, Eigen::Index n, Eigen::Index r0, Eigen::Index r1,
                           Eigen::Index i0, Eigen::Index j0, double scale, Eigen::MatrixXd& c) {
  if (i0 == j0)
    add_full_tile<false, true>(p, row_scale, n, r0, r1, i0, j0, scale, c);
  else
    add_full_tile<false, false>(p, row_scale, n, r0, r1, i0, j0, scale, c);
}
template <>
void add_tile<4, 4, true>(const double* p, const double* row_scale, Eigen::Index n, Eigen::Index r0, Eigen::Index r1,
                          Eigen::Index i0, Eigen::Index j0, double scale, Eigen::MatrixXd& c) {
  if (i0 == j0)
    add_full_tile<true, true>(p, row_scale, n, r0, r1, i0, j0, scale, c);
  else
    add_full_tile<true, false>(p, row_scale, n, r0, r1, i0, j0, scale, c);
}
#endif

using TileFunction = void (*)(const double*, const double*, Eigen::Index, Eigen::Index, Eigen::Index, Eigen::Index,
                              Eigen::Index, double, Eigen::MatrixXd&);

template <int I, bool kRowScaled>
constexpr TileFunction tile_row[kTile] = {add_tile<I, 1, kRowScaled>, add_tile<I, 2, kRowScaled>,
                                          add_tile<I, 3, kRowScaled>, add_tile<I, 4, kRowScaled>};
// tiles[I - 1][J - 1]: the edge tiles of a d that is not a multiple of 4.
template <bool kRowScaled>
constexpr const TileFunction* tiles[kTile] = {tile_row<1, kRowScaled>, tile_row<2, kRowScaled>, tile_row<3, kRowScaled>,
                                              tile_row<4, kRowScaled>};

template <bool kRowScaled>
void add_gram(const Eigen::MatrixXd& p, const double* row_scale, double scale, Eigen::MatrixXd& c) {
  const Eigen::Index n = p.rows(), d = p.cols();
  assert(c.rows() == d && c.cols() == d);
  for (Eigen::Index r0 = 0; r0 < n; r0 += kRowChunk) {
    const Eigen::Index r1 = std::min(n, r0 + kRowChunk);
    for (Eigen::Index i0 = 0; i0 < d; i0 += kTile) {
      const int rows = static_cast<int>(std::min<Eigen::Index>(kTile, d - i0));
      for (Eigen::Index j0 = 0; j0 <= i0; j0 += kTile) {
        const int cols = static_cast<int>(std::min<Eigen::Index>(kTile, d - j0));
        tiles<kRowScaled>[rows - 1][cols - 1](p.data(), row_scale, n, r0, r1, i0, j0, scale, c);
      }
    }
  }
}

}  // namespace

void add_symmetric_gram(const Eigen::MatrixXd& p, double scale, Eigen::MatrixXd& c) {
  add_gram<false>(p, nullptr, scale, c);
}

void add_row_scaled_symmetric_gram(const Eigen::MatrixXd& x, const Eigen::VectorXd& row_scales, double scale,
                                   Eigen::MatrixXd& c) {
  assert(row_scales.size() == x.rows());
  add_gram<true>(x, row_scales.data(), scale, c);
}

}  // namespace sdegen
