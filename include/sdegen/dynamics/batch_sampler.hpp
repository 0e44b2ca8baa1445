// Minibatch indices: b distinct indices drawn uniformly afresh every step (the paper's model),
// or epoch-wise shuffling (consecutive slices of a permutation, reshuffled when it runs out).
#pragma once
#include <Eigen/Core>

#include "sdegen/random/stream.hpp"

namespace sdegen {

class BatchSampler {
 public:
  BatchSampler(int n, int batch, bool shuffle_epochs);
  // The next batch, drawn from `stream`; valid until the next call.
  const Eigen::VectorXi& next(Stream& stream);

 private:
  Eigen::VectorXi permutation_;
  Eigen::VectorXi batch_;
  int position_;
  bool shuffle_epochs_;
};

}  // namespace sdegen
