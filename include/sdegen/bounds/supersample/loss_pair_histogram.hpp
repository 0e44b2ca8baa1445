// The accumulator of the supersample bounds: per logged step, an integer count matrix N[a][b] of
// pairs (training-member loss level a, held-out loss level b). Counts merge exactly by addition.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "sdegen/bounds/supersample/loss_levels.hpp"

namespace sdegen::supersample {

// Rows: level of the training member's loss; columns: level of the held-out point's loss.
using PairCounts = Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic>;

// A replicate's training set S and n fresh points T drawn independently of it form one
// supersample draw: pair i is (S_i, T_i) in random column order. Every unconditional supersample
// quantity depends only on the law of the role pair (l(W, S_i), l(W, T_i)), so no mask is drawn.
class LossPairHistogram {
 public:
  LossPairHistogram() = default;
  LossPairHistogram(const LossLevels& levels, int steps);

  const LossLevels& loss_levels() const { return levels_; }
  int steps() const { return static_cast<int>(counts_.size()); }

  // Adds the n pairs of one replicate at one logged step: training_losses(i) = l(W, S_i),
  // heldout_losses(i) = l(W, T_i), in the loss's own units (quantised here). Sizes must match.
  void add(int step, const Eigen::Ref<const Eigen::VectorXd>& training_losses,
           const Eigen::Ref<const Eigen::VectorXd>& heldout_losses);
  // The same with levels already computed (each in 0..B).
  void add_levels(int step, const Eigen::Ref<const Eigen::ArrayXi>& training_levels,
                  const Eigen::Ref<const Eigen::ArrayXi>& heldout_levels);

  const PairCounts& counts(int step) const { return counts_.at(static_cast<std::size_t>(step)); }
  std::int64_t pairs(int step) const { return counts(step).sum(); }

  // Same loss levels and step count required (std::invalid_argument otherwise).
  LossPairHistogram& operator+=(const LossPairHistogram& other);
  LossPairHistogram& operator-=(const LossPairHistogram& other);  // for delete-one-group totals

  // steps (B+1)^2 counts, step by step, each matrix row by row.
  std::size_t packed_size() const;
  void pack(std::vector<std::int64_t>& out) const;  // appends packed_size() values
  static LossPairHistogram unpack(const LossLevels& levels, int steps, const std::int64_t* in);

 private:
  void require_same_shape(const LossPairHistogram& other) const;
  LossLevels levels_;
  std::vector<PairCounts> counts_;
};

}  // namespace sdegen::supersample
