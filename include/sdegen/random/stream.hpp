// Counter-based random streams (Philox4x64-10 from Random123) keyed by (seed, cell, replicate,
// purpose), so every number drawn is the same whichever rank draws it and in whatever order.
#pragma once
#include <Random123/philox.h>

#include <Eigen/Core>
#include <cstdint>

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
};

// A UniformRandomBitGenerator: the i-th 64-bit output is word i % 4 of
// Philox4x64(counter = (i / 4, 0, cell, replicate), key = (seed, purpose)).
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
  std::uint64_t below(std::uint64_t bound);  // uniform integer in [0, bound)
  void fill_normal(double* out, Eigen::Index count);  // standard normals
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
  r123::Philox4x64 bijection_;
  r123::Philox4x64::key_type key_;
  r123::Philox4x64::ctr_type counter_;
  r123::Philox4x64::ctr_type block_;
  int position_ = 4;
};

}  // namespace sdegen
