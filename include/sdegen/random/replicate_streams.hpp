// The random streams of one replicate, by purpose: a pure function of (seed, the cell's stream
// keys, replicate, purpose). Data-like purposes use the data key, so that cells differing only in
// how they train see the same training sets, held-out samples and W_0 (common random numbers).
#pragma once
#include <cstdint>

#include "sdegen/config/stream_keys.hpp"
#include "sdegen/random/stream.hpp"

namespace sdegen {

// True for the purposes that draw from the data distribution or W_0.
bool keyed_by_data(Purpose purpose);

class ReplicateStreams {
 public:
  ReplicateStreams(std::uint64_t seed, const StreamKeys& keys, std::uint64_t replicate)
      : seed_(seed), keys_(keys), replicate_(replicate) {}
  Stream get(Purpose purpose) const {
    return Stream(seed_, keyed_by_data(purpose) ? keys_.data : keys_.training, replicate_, purpose);
  }
  std::uint64_t replicate() const { return replicate_; }
  // The streams of another replicate index of the same cell: draws that several replicates
  // share (a supersample shared by its masks) are keyed by an index of their own.
  ReplicateStreams with_replicate(std::uint64_t replicate) const {
    ReplicateStreams other = *this;
    other.replicate_ = replicate;
    return other;
  }

 private:
  std::uint64_t seed_;
  StreamKeys keys_;
  std::uint64_t replicate_;
};

}  // namespace sdegen
