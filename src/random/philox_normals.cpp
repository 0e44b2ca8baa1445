// The kernels of philox_normals.hpp (Box-Muller normals and raw words) on GCC vectors of the
// build's native width (AVX-512, AVX2, SSE2 or scalar), all of which give the same numbers.
#include "sdegen/random/philox_normals.hpp"

#if defined(__SSE2__)
#include <immintrin.h>
#endif
#include <cmath>
#include <cstring>

namespace sdegen {
namespace {

#if defined(__AVX512F__)
constexpr int kLanes = 8;  // 64-bit lanes per vector
// Independent vectors processed side by side: Philox is a chain of ten dependent multiplies,
// and one vector at a time leaves the core waiting (2.7 instead of 1.8 ns per normal here).
constexpr int kSets = 4;
#elif defined(__AVX__)
constexpr int kLanes = 4;
constexpr int kSets = 2;  // 16 registers
#else
constexpr int kLanes = 2;
constexpr int kSets = 2;
#endif
static_assert(kBlocksPerChunk % (kLanes * kSets) == 0, "a chunk is whole groups of vectors");

using U64v = std::uint64_t __attribute__((vector_size(8 * kLanes)));
using I64v = std::int64_t __attribute__((vector_size(8 * kLanes)));
using F64v = double __attribute__((vector_size(8 * kLanes)));

constexpr std::uint64_t kLow32 = 0xffffffffu;
constexpr std::uint64_t kTwo52Bits = 0x4330000000000000u;  // 2^52 as IEEE bits

// The full 64-bit product of the low 32 bits of every lane with m < 2^32.
inline U64v multiply_low32(U64v x, std::uint64_t m) {
  const auto factor = static_cast<long long>(m);
#if defined(__AVX512F__)
  // The zero-masked form, because GCC 12 warns about the plain one's undefined pass-through.
  return (U64v)_mm512_maskz_mul_epu32(0xff, (__m512i)x, _mm512_set1_epi64(factor));
#elif defined(__AVX2__)
  return (U64v)_mm256_mul_epu32((__m256i)x, _mm256_set1_epi64x(factor));
#elif defined(__SSE2__) && !defined(__AVX__)
  return (U64v)_mm_mul_epu32((__m128i)x, _mm_set1_epi64x(factor));
#else
  return (x & kLow32) * static_cast<std::uint64_t>(factor);
#endif
}

// Correctly rounded square root (IEEE), so every variant gives the same bits.
inline F64v square_root(F64v x) {
#if defined(__AVX512F__)
  return (F64v)_mm512_maskz_sqrt_pd(0xff, (__m512d)x);
#elif defined(__AVX__)
  return (F64v)_mm256_sqrt_pd((__m256d)x);
#elif defined(__SSE2__)
  return (F64v)_mm_sqrt_pd((__m128d)x);
#else
  for (int i = 0; i < kLanes; ++i) x[i] = std::sqrt(x[i]);
  return x;
#endif
}

// (a[0], b[0], a[1], b[1], ...): the first half of the two vectors interleaved, then the second.
inline void interleave(F64v a, F64v b, F64v& first, F64v& second) {
#if defined(__AVX512F__)
  first = __builtin_shuffle(a, b, I64v{0, 8, 1, 9, 2, 10, 3, 11});
  second = __builtin_shuffle(a, b, I64v{4, 12, 5, 13, 6, 14, 7, 15});
#elif defined(__AVX__)
  first = __builtin_shuffle(a, b, I64v{0, 4, 1, 5});
  second = __builtin_shuffle(a, b, I64v{2, 6, 3, 7});
#else
  first = __builtin_shuffle(a, b, I64v{0, 2});
  second = __builtin_shuffle(a, b, I64v{1, 3});
#endif
}

constexpr double factorial(int k) { return k <= 1 ? 1.0 : k * factorial(k - 1); }

// ln(t 2^-32) for t in [2^-33, 2^32]: t = 2^e m with m in [sqrt(1/2), sqrt(2)), f = m - 1
// (exact), s = f / (2 + f), ln m = 2 atanh(s) = f - (f^2/2 - s (f^2/2 + R)), R = sum_k 2 s^2k /
// (2k + 1); |s| <= 0.172, and nine terms of R leave a relative error below 2^-55.
inline F64v log_scaled(F64v t) {
  constexpr std::uint64_t kSqrtHalfBits = 0x3fe6a09e667f3bcdu;  // sqrt(1/2) as IEEE bits
  // Exponent field e + 2048 (|e| < 2048), mantissa field that of m.
  const U64v shifted = (U64v)t - (kSqrtHalfBits - (std::uint64_t{2048} << 52));
  // e - 32, exactly: the integer e + 2048 in the mantissa of 2^52.
  const F64v e = (F64v)((shifted >> 52) | kTwo52Bits) - (0x1p52 + 2048 + 32);
  const F64v m = (F64v)((shifted & 0x000fffffffffffffu) + kSqrtHalfBits);
  const F64v f = m - 1;
  const F64v s = f / (2 + f);
  const F64v z = s * s, z2 = z * z, z4 = z2 * z2;
  // R = z (c1 + c2 z + ... + c9 z^8), c_k = 2 / (2k + 1), by Estrin's scheme (short chains).
  const F64v low = (2.0 / 3 + 2.0 / 5 * z) + z2 * (2.0 / 7 + 2.0 / 9 * z);
  const F64v high = (2.0 / 11 + 2.0 / 13 * z) + z2 * (2.0 / 15 + 2.0 / 17 * z);
  const F64v r = z * (low + z4 * (high + z4 * (2.0 / 19)));
  const F64v half_f2 = 0.5 * f * f;
  return e * 0x1.62e42fefa39efp-1 + (f - (half_f2 - s * (half_f2 + r)));  // ln 2, rounded
}

// sin x and cos x for |x| <= pi/4 by their Taylor series to x^17 and x^16 (remainders below
// 2^-62 and 2^-58 relative), evaluated by Estrin's scheme.
inline void sin_cos_octant(F64v x, F64v& sin_x, F64v& cos_x) {
  const F64v z = x * x, z2 = z * z, z4 = z2 * z2;
  const auto c = [](int k) { return (k % 4 == 0 ? 1.0 : -1.0) / factorial(k); };  // (-1)^(k/2) / k!
  const auto s = [](int k) { return (k % 4 == 1 ? 1.0 : -1.0) / factorial(k); };
  const F64v sin_poly = ((s(3) + s(5) * z) + z2 * (s(7) + s(9) * z)) +
                        z4 * ((s(11) + s(13) * z) + z2 * (s(15) + s(17) * z));
  const F64v cos_poly = ((c(2) + c(4) * z) + z2 * (c(6) + c(8) * z)) +
                        z4 * ((c(10) + c(12) * z) + z2 * (c(14) + c(16) * z));
  sin_x = x + x * z * sin_poly;
  cos_x = 1 + z * cos_poly;
}

using RoundKeys = std::uint64_t[10][2];

// The key, bumped by the Weyl constants between rounds.
void round_keys(const Philox4x32Sequence& sequence, RoundKeys& round_key) {
  std::uint32_t k0 = sequence.key[0], k1 = sequence.key[1];
  for (auto& key : round_key) {
    key[0] = k0;
    key[1] = k1;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
}

// Philox4x32-10 of kSets vectors of consecutive blocks from first_block.
inline void philox_group(const RoundKeys& round_key, const Philox4x32Sequence& sequence, std::uint64_t first_block,
                         U64v (&y0)[kSets], U64v (&y1)[kSets], U64v (&y2)[kSets], U64v (&y3)[kSets]) {
  U64v lane;
  for (int i = 0; i < kLanes; ++i) lane[i] = static_cast<std::uint64_t>(i);
#pragma GCC unroll 8
  for (int h = 0; h < kSets; ++h) {
    const U64v block = first_block + static_cast<std::uint64_t>(kLanes * h) + lane;
    y0[h] = block & kLow32;
    y1[h] = block >> 32;
    y2[h] = U64v{} + sequence.id[0];
    y3[h] = U64v{} + sequence.id[1];
  }
  // Philox4x32-10 (Salmon et al., SC'11; Random123). Lanes hold 32-bit words in 64-bit slots;
  // the multiply reads only the low halves, so the high halves may carry garbage, masked off
  // where the words are used.
#pragma GCC unroll 10
  for (const auto& key : round_key) {
#pragma GCC unroll 8
    for (int h = 0; h < kSets; ++h) {
      const U64v p0 = multiply_low32(y0[h], 0xD2511F53u), p1 = multiply_low32(y2[h], 0xCD9E8D57u);
      y0[h] = (p1 >> 32) ^ y1[h] ^ key[0];
      y1[h] = p1;
      y2[h] = (p0 >> 32) ^ y3[h] ^ key[1];
      y3[h] = p0;
    }
  }
}

// kSets vectors of consecutive blocks from first_block: Philox4x32-10, then Box-Muller.
inline void normals_of_group(const RoundKeys& round_key, const Philox4x32Sequence& sequence,
                             std::uint64_t first_block, double* out) {
  U64v y0[kSets], y1[kSets], y2[kSets], y3[kSets];
  philox_group(round_key, sequence, first_block, y0, y1, y2, y3);
#pragma GCC unroll 8
  for (int h = 0; h < kSets; ++h) {
    // Integers below 2^52 become doubles through the bits of 2^52 (SSE2 and AVX2 have no 64-bit
    // conversion, AVX-512DQ's is no faster here). t = u 2^32 = y0 + (y1 + 1/2) 2^-32, rounded once.
    const F64v high = (F64v)((y0[h] & kLow32) | kTwo52Bits) - 0x1p52;
    const F64v low_half = (F64v)((y1[h] & kLow32) | kTwo52Bits) - (0x1p52 - 0.5);
    const F64v radius = square_root(-2 * log_scaled(high + low_half * 0x1p-32));
    // x = (j + 1/2 - 2^51) (pi/2) 2^-52, j = bits 0-29 of y2 then bits 10-31 of y3.
    const U64v j_bits = ((y2[h] << 22) & 0x000fffffffc00000u) | kTwo52Bits | ((y3[h] >> 10) & 0x3fffffu);
    constexpr double kStep = 0x1.921fb54442d18p-52;  // (pi/2) 2^-52
    const F64v x = ((F64v)j_bits - (0x1p52 + 0x1p51)) * kStep + kStep / 2;
    F64v sin_x, cos_x;
    sin_cos_octant(x, sin_x, cos_x);
    // Rotate by the quadrant q (bits 31, 30 of y2) times pi/2: (cos, sin) -> (-sin, cos) ->
    // (-cos, -sin) -> (sin, -cos): swap when bit 30 is set, negate sin by bit 31 and cos by
    // bit 31 xor bit 30.
    constexpr std::uint64_t kSign = 0x8000000000000000u;
    const I64v odd = (I64v)((y2[h] & (1u << 30)) != 0);
    const U64v sin_sign = (y2[h] << 32) & kSign, cos_sign = ((y2[h] << 32) ^ (y2[h] << 33)) & kSign;
    const U64v cos_theta = (U64v)(odd ? sin_x : cos_x) ^ cos_sign;
    const U64v sin_theta = (U64v)(odd ? cos_x : sin_x) ^ sin_sign;
    F64v first, second;
    interleave(radius * (F64v)cos_theta, radius * (F64v)sin_theta, first, second);
    std::memcpy(out + 2 * kLanes * h, &first, sizeof first);
    std::memcpy(out + 2 * kLanes * h + kLanes, &second, sizeof second);
  }
}

}  // namespace

void philox_box_muller_chunk(const Philox4x32Sequence& sequence, std::uint64_t first_block, double* out) {
  RoundKeys round_key;
  round_keys(sequence, round_key);
  for (int block = 0; block < kBlocksPerChunk; block += kLanes * kSets)
    normals_of_group(round_key, sequence, first_block + static_cast<std::uint64_t>(block), out + 2 * block);
}

void philox_words_chunk(const Philox4x32Sequence& sequence, std::uint64_t first_block, std::uint32_t* out) {
  RoundKeys round_key;
  round_keys(sequence, round_key);
  for (int block = 0; block < kBlocksPerChunk; block += kLanes * kSets) {
    U64v y0[kSets], y1[kSets], y2[kSets], y3[kSets];
    philox_group(round_key, sequence, first_block + static_cast<std::uint64_t>(block), y0, y1, y2, y3);
    using U32v = std::uint32_t __attribute__((vector_size(4 * kLanes)));
#pragma GCC unroll 8
    for (int h = 0; h < kSets; ++h) {
      const U32v words[4] = {__builtin_convertvector(y0[h], U32v), __builtin_convertvector(y1[h], U32v),
                             __builtin_convertvector(y2[h], U32v), __builtin_convertvector(y3[h], U32v)};
      for (int w = 0; w < 4; ++w) std::memcpy(out + kBlocksPerChunk * w + block + kLanes * h, &words[w], sizeof words[w]);
    }
  }
}

}  // namespace sdegen
