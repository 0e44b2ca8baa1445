// Fresh batches use a partial Fisher-Yates shuffle of a persistent permutation: its first b
// entries are a uniform b-subset whatever order the permutation was left in, at O(b) per step.
#include "sdegen/dynamics/batch_sampler.hpp"

#include <numeric>
#include <utility>

namespace sdegen {

BatchSampler::BatchSampler(int n, int batch, bool shuffle_epochs)
    : permutation_(n), batch_(batch), position_(n), shuffle_epochs_(shuffle_epochs) {
  std::iota(permutation_.data(), permutation_.data() + n, 0);
}

const Eigen::VectorXi& BatchSampler::next(Stream& stream) {
  const int n = static_cast<int>(permutation_.size());
  const int b = static_cast<int>(batch_.size());
  if (!shuffle_epochs_) {
    for (int k = 0; k < b; ++k) {
      const int j = k + static_cast<int>(stream.below(n - k));
      std::swap(permutation_[k], permutation_[j]);
      batch_[k] = permutation_[k];
    }
    return batch_;
  }
  if (position_ + b > n) {  // new epoch: full shuffle; a tail shorter than b is dropped
    for (int k = 0; k < n - 1; ++k) std::swap(permutation_[k], permutation_[k + static_cast<int>(stream.below(n - k))]);
    position_ = 0;
  }
  batch_ = permutation_.segment(position_, b);
  position_ += b;
  return batch_;
}

}  // namespace sdegen
