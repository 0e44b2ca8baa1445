// Counter-based random streams (Philox4x64-10 from Random123) keyed by (seed, cell, replicate,
// purpose), so every number drawn is the same whichever rank draws it and in whatever order.
#pragma once
#include <Random123/philox.h>

#include <Eigen/Core>
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
};

// A UniformRandomBitGenerator: the i-th 64-bit output is word i % 4 of
// Philox4x64(counter = (i / 4, 0, cell, replicate), key = (seed, purpose)).
// Normals form a second sequence of the stream (philox_normals.hpp), keyed by the last block of
// the word sequence, which the words never reach: drawing words does not move the normals, nor
// the reverse, and fill_normal hands out the next `count` normals of that sequence, so one call
// for 2k gives the same numbers as two calls for k (any k, odd included).
class Stream {
 public:
  using result_type = std::uint64_t;
  Stream(std::uint64_t seed, std::uint64_t cell, std::uint64_t replicate, Purpose purpose);

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()() {
    if (position_ == 4) refill();
    return block_[position_++];
  }

  double uniform();                          // in [0, 1), 53 random bits
  // Uniform integer in [0, bound), exactly. A bound up to 2^32 takes 32-bit halves of words
  // (low half first; a word's high half waits for the next such draw, words drawn meanwhile
  // do not disturb it), a larger bound whole words.
  std::uint64_t below(std::uint64_t bound);
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
  std::uint32_t half_word();
  void key_normals();
  r123::Philox4x64 bijection_;
  r123::Philox4x64::key_type key_;
  r123::Philox4x64::ctr_type counter_;
  r123::Philox4x64::ctr_type block_;
  int position_ = 4;
  std::uint32_t spare_half_ = 0;  // the high half of the word whose low half below() used
  bool has_spare_half_ = false;
  // The normal sequence: its key (derived on first use), the block of its next chunk, and the
  // last chunk with the position of its first unused normal.
  bool normals_keyed_ = false;
  NormalSequenceKey normal_key_{};
  std::uint64_t normal_block_ = 0;
  int normal_position_ = kNormalsPerChunk;
  double normal_chunk_[kNormalsPerChunk] = {};
};

}  // namespace sdegen
