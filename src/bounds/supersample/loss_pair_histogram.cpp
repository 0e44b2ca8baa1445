// Counting (training level, held-out level) pairs per logged step; exact integer merges and a
// flat int64 packing for moving histograms between processes or into files.
#include "sdegen/bounds/supersample/loss_pair_histogram.hpp"

#include <stdexcept>

namespace sdegen::supersample {

LossPairHistogram::LossPairHistogram(const LossLevels& levels, int steps) : levels_(levels) {
  if (steps < 0) throw std::invalid_argument("loss-pair histogram: negative step count");
  const int size = levels.levels() + 1;
  counts_.assign(static_cast<std::size_t>(steps), PairCounts::Zero(size, size));
}

void LossPairHistogram::add(int step, const Eigen::Ref<const Eigen::VectorXd>& training_losses,
                            const Eigen::Ref<const Eigen::VectorXd>& heldout_losses) {
  add_levels(step, levels_.quantise(training_losses), levels_.quantise(heldout_losses));
}

void LossPairHistogram::add_levels(int step, const Eigen::Ref<const Eigen::ArrayXi>& training_levels,
                                   const Eigen::Ref<const Eigen::ArrayXi>& heldout_levels) {
  if (training_levels.size() != heldout_levels.size())
    throw std::invalid_argument("loss-pair histogram: training and held-out losses differ in number");
  const int top = levels_.levels();
  if (training_levels.size() > 0 &&
      (training_levels.minCoeff() < 0 || heldout_levels.minCoeff() < 0 || training_levels.maxCoeff() > top ||
       heldout_levels.maxCoeff() > top))
    throw std::invalid_argument("loss-pair histogram: a level outside 0..B");
  PairCounts& counts = counts_.at(static_cast<std::size_t>(step));
  for (Eigen::Index i = 0; i < training_levels.size(); ++i) ++counts(training_levels(i), heldout_levels(i));
}

void LossPairHistogram::require_same_shape(const LossPairHistogram& other) const {
  if (other.levels_ != levels_ || other.counts_.size() != counts_.size())
    throw std::invalid_argument("loss-pair histogram: merging histograms of different shapes");
}

LossPairHistogram& LossPairHistogram::operator+=(const LossPairHistogram& other) {
  require_same_shape(other);
  for (std::size_t s = 0; s < counts_.size(); ++s) counts_[s] += other.counts_[s];
  return *this;
}

LossPairHistogram& LossPairHistogram::operator-=(const LossPairHistogram& other) {
  require_same_shape(other);
  for (std::size_t s = 0; s < counts_.size(); ++s) counts_[s] -= other.counts_[s];
  return *this;
}

std::size_t LossPairHistogram::packed_size() const {
  const std::size_t size = static_cast<std::size_t>(levels_.levels() + 1);
  return counts_.size() * size * size;
}

void LossPairHistogram::pack(std::vector<std::int64_t>& out) const {
  for (const PairCounts& counts : counts_) {
    const Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = counts;
    out.insert(out.end(), rows.data(), rows.data() + rows.size());
  }
}

LossPairHistogram LossPairHistogram::unpack(const LossLevels& levels, int steps, const std::int64_t* in) {
  LossPairHistogram out(levels, steps);
  const int size = levels.levels() + 1;
  for (PairCounts& counts : out.counts_) {
    counts = Eigen::Map<const Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(in, size, size);
    in += size * size;
  }
  return out;
}

}  // namespace sdegen::supersample
