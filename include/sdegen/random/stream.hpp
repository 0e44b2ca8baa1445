// Counter-based random streams (Philox4x64-10 from Random123) keyed by (seed, options key, replicate,
// purpose), so every number drawn is the same whichever rank draws it and in whatever order.
#pragma once
#include <Random123/philox.h>

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>

#include "sdegen/random/philox_normals.hpp"

namespace sdegen {

// What a stream is used for; each purpose of a replicate gets an independent stream.
enum class Purpose : std::uint64_t {
  data = 1,     // the training set
  init = 2,     // the initial weights
  batches = 3,  // minibatch indices
  noise = 4,    // the SDE's Gaussian noise
  subset = 5,   // term_negrea: the subset J of the coupled run
  replace = 6,  // replace-one gen: the replaced index and the fresh example
  perturb = 7,  // wang_mao_2022: the output perturbations of the flatness term
  stationary_batches = 8,  // stationary check: batches of the extra steps
  stationary_noise = 9,    // stationary check: noise of the extra steps
  projection = 10,         // the fixed random projection of a data table's features
  teacher = 11,  // a synthetic population's fixed parameters (teacher network, class means)
  test = 12,         // supersample bounds: n fresh points paired with the training set
  supersample = 13,  // nested supersample design: the 2n points of supersample m (keyed by m)
  mask = 14,         // nested supersample design: the mask of replicate r (mask k of supersample m)
  holdout = 15,      // the held-out sample that estimates population quantities
  curvature = 16,    // wang_mao_2022: Hutchinson's probes of tr H when d is too large for H
};

// A UniformRandomBitGenerator: the i-th 64-bit output is word i % 4 of
// Philox4x64(counter = (i / 4, 0, options key, replicate), key = (seed, purpose)).
// Two more sequences of the stream (philox_normals.hpp), keyed by the last block of the word
// sequence, which the words never reach: normals, and 32-bit words for bounded integers. No
// sequence moves another, and each hands out its next numbers: fill_normal once for 2k normals
// gives the same numbers as twice for k (any k, odd included).
class Stream {
 public:
  using result_type = std::uint64_t;
  Stream(std::uint64_t seed, std::uint64_t key, std::uint64_t replicate, Purpose purpose);

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()() {
    if (position_ == 4) refill();
    return block_[position_++];
  }

  double uniform();                          // in [0, 1), 53 random bits
  // Uniform integer in [0, bound), exactly: the high half of x * bound, x a 32-bit word of the
  // integer sequence (a 64-bit word for bounds above 2^32), rejecting x whose low half falls
  // below 2^32 mod bound (Lemire, ACM TOMACS 29, 2019). Inline: the minibatch draws call it often.
  std::uint64_t below(std::uint64_t bound) {
    if (bound > (std::uint64_t{1} << 32)) return below_wide(bound);
    const std::uint64_t product = std::uint64_t{word32()} * bound;
    if (static_cast<std::uint32_t>(product) < bound) return below_rejecting(product, bound);
    return product >> 32;
  }
  std::uint32_t word32() {  // the next word of the integer sequence
    if (word_position_ == kWordsPerChunk) refill_words();
    return word_chunk_[word_position_++];
  }
  void fill_normal(double* out, Eigen::Index count);  // the next `count` standard normals
  // Fills a contiguous Eigen object (vector, matrix or matrix column) with standard normals,
  // in storage order.
  template <class Derived>
  void fill_normal(const Eigen::DenseBase<Derived>& out) {
    auto& target = const_cast<Eigen::DenseBase<Derived>&>(out);
    eigen_assert(target.innerStride() == 1 && (target.outerSize() == 1 || target.outerStride() == target.innerSize()));
    fill_normal(target.derived().data(), target.size());
  }

 private:
  void refill();
  void refill_words();
  void key_sequences();
  std::uint64_t below_wide(std::uint64_t bound);
  std::uint64_t below_rejecting(std::uint64_t product, std::uint64_t bound);
  r123::Philox4x64 bijection_;
  r123::Philox4x64::key_type key_;
  r123::Philox4x64::ctr_type counter_;
  r123::Philox4x64::ctr_type block_;
  int position_ = 4;
  // The normal and integer sequences: keys (derived on first use), the block of the next chunk,
  // and the last chunk with the position of its first unused number.
  bool sequences_keyed_ = false;
  Philox4x32Sequence normal_key_{}, word_key_{};
  std::uint64_t normal_block_ = 0, word_block_ = 0;
  // Not int: stores through int pointers (a shuffled index array) could alias an int, which
  // would keep the position in memory across the minibatch draws.
  std::ptrdiff_t normal_position_ = kNormalsPerChunk, word_position_ = kWordsPerChunk;
  double normal_chunk_[kNormalsPerChunk] = {};
  std::uint32_t word_chunk_[kWordsPerChunk] = {};
};

}  // namespace sdegen
