// Philox streams: key = (seed, purpose), counter = (i, 0, options key, replicate), i counting blocks of
// four 64-bit words. Normals (SIMD Box-Muller) and the 32-bit words of bounded integers (Lemire's
// multiply-and-reject method) come from Philox4x32 sequences keyed from this stream.
#include "sdegen/random/stream.hpp"

#include <algorithm>

namespace sdegen {

Stream::Stream(std::uint64_t seed, std::uint64_t key, std::uint64_t replicate, Purpose purpose)
    : key_{{seed, static_cast<std::uint64_t>(purpose)}}, counter_{{0, 0, key, replicate}}, block_{} {}

void Stream::refill() {
  block_ = bijection_(counter_, key_);
  ++counter_[0];
  position_ = 0;
}

double Stream::uniform() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }

std::uint64_t Stream::below_rejecting(std::uint64_t product, std::uint64_t bound) {
  // Lemire, "Fast random integer generation in an interval", ACM TOMACS 29 (2019): the high
  // half of x * bound is uniform on [0, bound) once the x whose low half falls below
  // 2^32 mod bound are rejected. The remainder (a division) is needed only when a low half
  // falls below bound, which is rare for small bounds.
  const auto threshold = static_cast<std::uint32_t>((std::uint64_t{1} << 32) % bound);
  while (static_cast<std::uint32_t>(product) < threshold) product = std::uint64_t{word32()} * bound;
  return product >> 32;
}

std::uint64_t Stream::below_wide(std::uint64_t bound) {  // the same with 64-bit words
  using Wide = unsigned __int128;
  Wide product = static_cast<Wide>((*this)()) * bound;
  if (static_cast<std::uint64_t>(product) < bound) {
    const std::uint64_t threshold = (0 - bound) % bound;  // 2^64 mod bound
    while (static_cast<std::uint64_t>(product) < threshold) product = static_cast<Wide>((*this)()) * bound;
  }
  return static_cast<std::uint64_t>(product >> 64);
}

void Stream::key_sequences() {
  // The keys and counter words of the normal and integer sequences: the four words of the word
  // sequence's block 2^64 - 1 (never reached).
  r123::Philox4x64::ctr_type last = counter_;
  last[0] = ~std::uint64_t{0};
  const r123::Philox4x64::ctr_type words = bijection_(last, key_);
  const auto split = [](std::uint64_t a, std::uint64_t b) {
    return Philox4x32Sequence{{static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(a >> 32)},
                              {static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(b >> 32)}};
  };
  normal_key_ = split(words[0], words[1]);
  word_key_ = split(words[2], words[3]);
  sequences_keyed_ = true;
}

void Stream::refill_words() {
  if (!sequences_keyed_) key_sequences();
  philox_words_chunk(word_key_, word_block_, word_chunk_);
  word_block_ += kBlocksPerChunk;
  word_position_ = 0;
}

void Stream::fill_normal(double* out, Eigen::Index count) {
  if (!sequences_keyed_) key_sequences();
  // The rest of the last chunk, then whole chunks straight into out, then one more chunk kept.
  const Eigen::Index kept = std::min<Eigen::Index>(count, kNormalsPerChunk - normal_position_);
  std::copy_n(normal_chunk_ + normal_position_, kept, out);
  normal_position_ += kept;
  Eigen::Index filled = kept;
  for (; count - filled >= kNormalsPerChunk; filled += kNormalsPerChunk) {
    philox_box_muller_chunk(normal_key_, normal_block_, out + filled);
    normal_block_ += kBlocksPerChunk;
  }
  if (filled < count) {
    philox_box_muller_chunk(normal_key_, normal_block_, normal_chunk_);
    normal_block_ += kBlocksPerChunk;
    normal_position_ = count - filled;
    std::copy_n(normal_chunk_, normal_position_, out + filled);
  }
}

}  // namespace sdegen
