// Philox streams: key = (seed, purpose), counter = (i, 0, cell, replicate), i counting blocks of
// four 64-bit words. Bounded integers by Lemire's multiply-and-reject method; normals by the SIMD
// Box-Muller transform of philox_normals.cpp on a Philox4x32 sequence keyed from this stream.
#include "sdegen/random/stream.hpp"

#include <algorithm>

namespace sdegen {

Stream::Stream(std::uint64_t seed, std::uint64_t cell, std::uint64_t replicate, Purpose purpose)
    : key_{{seed, static_cast<std::uint64_t>(purpose)}}, counter_{{0, 0, cell, replicate}}, block_{} {}

void Stream::refill() {
  block_ = bijection_(counter_, key_);
  ++counter_[0];
  position_ = 0;
}

double Stream::uniform() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }

std::uint32_t Stream::half_word() {
  if (has_spare_half_) {
    has_spare_half_ = false;
    return spare_half_;
  }
  const std::uint64_t word = (*this)();
  spare_half_ = static_cast<std::uint32_t>(word >> 32);
  has_spare_half_ = true;
  return static_cast<std::uint32_t>(word);
}

std::uint64_t Stream::below(std::uint64_t bound) {
  // Lemire, "Fast random integer generation in an interval", ACM TOMACS 29 (2019): the high
  // half of x * bound is uniform on [0, bound) once the low halves below 2^W mod bound are
  // rejected (x of W bits). The remainder (a division) is computed only when a draw falls that
  // low. Bounds up to 2^32 use W = 32, half a Philox word per draw.
  if (bound <= (std::uint64_t{1} << 32)) {
    std::uint64_t product = std::uint64_t{half_word()} * bound;
    auto low = static_cast<std::uint32_t>(product);
    if (low < bound) {
      const auto threshold = static_cast<std::uint32_t>((std::uint64_t{1} << 32) % bound);
      while (low < threshold) {
        product = std::uint64_t{half_word()} * bound;
        low = static_cast<std::uint32_t>(product);
      }
    }
    return product >> 32;
  }
  using Wide = unsigned __int128;
  Wide product = static_cast<Wide>((*this)()) * bound;
  auto low = static_cast<std::uint64_t>(product);
  if (low < bound) {
    const std::uint64_t threshold = (0 - bound) % bound;  // 2^64 mod bound
    while (low < threshold) {
      product = static_cast<Wide>((*this)()) * bound;
      low = static_cast<std::uint64_t>(product);
    }
  }
  return static_cast<std::uint64_t>(product >> 64);
}

void Stream::key_normals() {
  // The normals' key and counter words: the word sequence's block 2^64 - 1 (never reached).
  r123::Philox4x64::ctr_type last = counter_;
  last[0] = ~std::uint64_t{0};
  const r123::Philox4x64::ctr_type words = bijection_(last, key_);
  normal_key_ = {{static_cast<std::uint32_t>(words[0]), static_cast<std::uint32_t>(words[0] >> 32)},
                 {static_cast<std::uint32_t>(words[1]), static_cast<std::uint32_t>(words[1] >> 32)}};
  normals_keyed_ = true;
}

void Stream::fill_normal(double* out, Eigen::Index count) {
  if (!normals_keyed_) key_normals();
  // The rest of the last chunk, then whole chunks straight into out, then one more chunk kept.
  const Eigen::Index kept = std::min<Eigen::Index>(count, kNormalsPerChunk - normal_position_);
  std::copy_n(normal_chunk_ + normal_position_, kept, out);
  normal_position_ += static_cast<int>(kept);
  Eigen::Index filled = kept;
  for (; count - filled >= kNormalsPerChunk; filled += kNormalsPerChunk) {
    philox_box_muller_chunk(normal_key_, normal_block_, out + filled);
    normal_block_ += kNormalsPerChunk / 2;
  }
  if (filled < count) {
    philox_box_muller_chunk(normal_key_, normal_block_, normal_chunk_);
    normal_block_ += kNormalsPerChunk / 2;
    normal_position_ = static_cast<int>(count - filled);
    std::copy_n(normal_chunk_, normal_position_, out + filled);
  }
}

}  // namespace sdegen
