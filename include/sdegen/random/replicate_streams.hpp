// The random streams of one replicate, by purpose: every stream a replicate or its bound
// estimators draw from is a pure function of (seed, the cell's stream key, replicate, purpose).
#pragma once
#include <cstdint>

#include "sdegen/random/stream.hpp"

namespace sdegen {

class ReplicateStreams {
 public:
  ReplicateStreams(std::uint64_t seed, std::uint64_t cell_key, std::uint64_t replicate)
      : seed_(seed), cell_key_(cell_key), replicate_(replicate) {}
  Stream get(Purpose purpose) const { return Stream(seed_, cell_key_, replicate_, purpose); }
  std::uint64_t replicate() const { return replicate_; }
  // The streams of another replicate index of the same cell: draws that several replicates
  // share (a supersample shared by its masks) are keyed by an index of their own.
  ReplicateStreams with_replicate(std::uint64_t replicate) const {
    ReplicateStreams other = *this;
    other.replicate_ = replicate;
    return other;
  }

 private:
  std::uint64_t seed_, cell_key_, replicate_;
};

}  // namespace sdegen
