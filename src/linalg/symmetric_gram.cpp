// A register-blocked syrk for the small, tall products of per-example gradients (n in the
// hundreds, d up to a few hundred), where Eigen's general kernel spends most of its time packing.
#include "sdegen/linalg/symmetric_gram.hpp"

#include <algorithm>
#include <cassert>

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

// c(i0 + a, j0 + b) += scale * sum over rows [r0, r1) of p(r, i0 + a) p(r, j0 + b), a < I, b < J,
// for the entries on or below the diagonal.
template <int I, int J>
void add_tile(const double* p, Eigen::Index n, Eigen::Index r0, Eigen::Index r1, Eigen::Index i0, Eigen::Index j0,
              double scale, Eigen::MatrixXd& c) {
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
    for (int b = 0; b < J; ++b) y[b] = ei::ploadu<Packet>(col_j[b] + r);
    for (int a = 0; a < I; ++a)
      for (int b = 0; b < J; ++b) acc[a][b] = ei::pmadd(x[a], y[b], acc[a][b]);
  }
  for (int a = 0; a < I; ++a)
    for (int b = 0; b < J; ++b) {
      if (j0 + b > i0 + a) continue;  // above the diagonal
      double sum = ei::predux(acc[a][b]);
      for (Eigen::Index r = vector_end; r < r1; ++r) sum += col_i[a][r] * col_j[b][r];
      c(i0 + a, j0 + b) += scale * sum;
    }
}

using TileFunction = void (*)(const double*, Eigen::Index, Eigen::Index, Eigen::Index, Eigen::Index, Eigen::Index,
                              double, Eigen::MatrixXd&);

template <int I>
constexpr TileFunction tile_row[kTile] = {add_tile<I, 1>, add_tile<I, 2>, add_tile<I, 3>, add_tile<I, 4>};
// tiles[I - 1][J - 1]: the edge tiles of a d that is not a multiple of 4.
constexpr const TileFunction* tiles[kTile] = {tile_row<1>, tile_row<2>, tile_row<3>, tile_row<4>};

}  // namespace

void add_symmetric_gram(const Eigen::MatrixXd& p, double scale, Eigen::MatrixXd& c) {
  const Eigen::Index n = p.rows(), d = p.cols();
  assert(c.rows() == d && c.cols() == d);
  for (Eigen::Index r0 = 0; r0 < n; r0 += kRowChunk) {
    const Eigen::Index r1 = std::min(n, r0 + kRowChunk);
    for (Eigen::Index i0 = 0; i0 < d; i0 += kTile) {
      const int rows = static_cast<int>(std::min<Eigen::Index>(kTile, d - i0));
      for (Eigen::Index j0 = 0; j0 <= i0; j0 += kTile) {
        const int cols = static_cast<int>(std::min<Eigen::Index>(kTile, d - j0));
        tiles[rows - 1][cols - 1](p.data(), n, r0, r1, i0, j0, scale, c);
      }
    }
  }
}

}  // namespace sdegen
