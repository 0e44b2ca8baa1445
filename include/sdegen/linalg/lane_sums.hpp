// The lane sums of eight AVX-512 vectors as one vector, by pairwise shuffles: the horizontal
// reduction of the register-blocked kernels (symmetric_gram.cpp, transposed_product.cpp).
#pragma once
#if defined(__AVX512F__)
#include <immintrin.h>

namespace sdegen {

// The sums of the lanes of v0..v7, as lanes 0..7 of one vector: three levels of pairwise
// shuffles and adds (21 instructions), where eight separate horizontal sums take about 48 and
// dominated the cost of the small products (600 of 1600 ns for P^T P at n = 200, d = 20). Each
// vector's lanes are summed by the same tree, ((0 + 1) + (2 + 3)) + ((4 + 5) + (6 + 7)), whatever
// vectors share the call: a sum does not depend on its neighbours.
inline __m512d lane_sums(__m512d v0, __m512d v1, __m512d v2, __m512d v3, __m512d v4, __m512d v5, __m512d v6,
                         __m512d v7) {
  // 128-bit lane L of pairs[h]: (v_2h lanes 2L + 2L+1, v_2h+1 lanes 2L + 2L+1).
  const auto pair = [](__m512d a, __m512d b) {
    return _mm512_add_pd(_mm512_maskz_unpacklo_pd(0xff, a, b), _mm512_maskz_unpackhi_pd(0xff, a, b));
  };
  const __m512d pairs[4] = {pair(v0, v1), pair(v2, v3), pair(v4, v5), pair(v6, v7)};
  // 0x88 takes 128-bit lanes (0, 2) of each operand, 0xDD lanes (1, 3). (The zero-masked forms with
  // a full mask, because GCC 12 warns about the plain ones' undefined pass-through.)
  const __m512d quads0 = _mm512_add_pd(_mm512_maskz_shuffle_f64x2(0xff, pairs[0], pairs[1], 0x88),
                                       _mm512_maskz_shuffle_f64x2(0xff, pairs[0], pairs[1], 0xDD));
  const __m512d quads1 = _mm512_add_pd(_mm512_maskz_shuffle_f64x2(0xff, pairs[2], pairs[3], 0x88),
                                       _mm512_maskz_shuffle_f64x2(0xff, pairs[2], pairs[3], 0xDD));
  return _mm512_add_pd(_mm512_maskz_shuffle_f64x2(0xff, quads0, quads1, 0x88),
                       _mm512_maskz_shuffle_f64x2(0xff, quads0, quads1, 0xDD));
}

}  // namespace sdegen
#endif
