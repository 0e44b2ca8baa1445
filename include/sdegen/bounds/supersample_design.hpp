// The nested supersample design: replicate r trains on mask k = r mod K of supersample m = r / K,
// so supersamples and masks are indexed like replicates and every draw is rank-invariant.
#pragma once
#include <Eigen/Core>
#include <cstdint>

#include "sdegen/problems/problem.hpp"
#include "sdegen/random/replicate_streams.hpp"

namespace sdegen {

// One supersample draw as replicate r sees it.
struct SupersampleDraw {
  std::uint64_t supersample = 0;  // m
  Dataset points;       // the 2n points Z~: pair i is (row i, row n + i), columns 0 and 1
  Eigen::ArrayXi mask;  // U_i in {0, 1}: pair i's training member is column U_i
  // S_U: row i is Z~_{i, U_i}.
  Dataset training_set() const;
};

class SupersampleDesign {
 public:
  explicit SupersampleDesign(int masks) : masks_(masks) {}
  int masks() const { return masks_; }
  std::uint64_t supersample(std::uint64_t replicate) const { return replicate / static_cast<std::uint64_t>(masks_); }
  int mask_index(std::uint64_t replicate) const { return static_cast<int>(replicate % static_cast<std::uint64_t>(masks_)); }

  // Z~ from the stream of replicate index m with purpose `supersample` (the same for all K masks),
  // U from replicate r's own stream with purpose `mask`; the training randomness (init, batches,
  // noise) stays replicate r's, so each mask is an independent training.
  SupersampleDraw draw(const Problem& problem, const ReplicateStreams& streams, int n) const;

 private:
  int masks_;
};

}  // namespace sdegen
