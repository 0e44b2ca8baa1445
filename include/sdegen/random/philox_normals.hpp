// Standard normals and 32-bit words from Philox4x32-10 blocks, 32 blocks at a time in SIMD
// registers: the generators behind Stream::fill_normal and Stream::below.
#pragma once
#include <cstdint>

namespace sdegen {

// A sequence: block b (b = 0, 1, ...) is Philox4x32-10 with counter (b mod 2^32, b div 2^32,
// id[0], id[1]) and key (key[0], key[1]), four 32-bit words (y0, y1, y2, y3).
// As a normal sequence, block b gives normals 2b and 2b + 1:
//   u = (2^32 y0 + y1 + 1/2) 2^-64, rounded to the nearest double, in (0, 1];
//   q = y2 div 2^30 (a quadrant), j = (y2 mod 2^30) 2^22 + (y3 div 2^10) (52 bits);
//   theta = q pi/2 + (j + 1/2 - 2^51) (pi/2) 2^-52, uniform over 2^54 points of the circle;
//   normal 2b = sqrt(-2 ln u) cos theta, normal 2b + 1 = sqrt(-2 ln u) sin theta.
// Exact up to that grid and to rounding: the angle has 2^54 equally likely values; u is the
// double nearest one of 2^64 equally likely values (exact below 2^-11, relative step 2^-53
// above), so P(radius^2 <= r) is exact to within 2^-53 (u rounds to 1, radius 0, with
// probability 2^-54); the largest |z| is sqrt(2 ln 2^65) = 9.49. ln, sin and cos are the
// kernel's own polynomials (within about 2 ulp of the C library's), so one binary gives the
// same numbers on every machine; the SIMD width does not change them, fused multiply-add
// changes the last bits.
struct Philox4x32Sequence {
  std::uint32_t key[2];
  std::uint32_t id[2];
};

constexpr int kBlocksPerChunk = 32;  // blocks b0 .. b0 + 31 per call
constexpr int kNormalsPerChunk = 2 * kBlocksPerChunk;
constexpr int kWordsPerChunk = 4 * kBlocksPerChunk;

// Writes normals 2 first_block .. 2 first_block + 63 of the sequence to out, in order.
void philox_box_muller_chunk(const Philox4x32Sequence& sequence, std::uint64_t first_block, double* out);

// Writes the words of blocks first_block .. first_block + 31 to out, word by word: word w of
// block first_block + j is out[32 w + j].
void philox_words_chunk(const Philox4x32Sequence& sequence, std::uint64_t first_block, std::uint32_t* out);

}  // namespace sdegen
