// Quantisation of a bounded loss into integer levels 0..B, and the conversion of bounds on the
// normalised quantised loss back to the loss's own units.
#pragma once
#include <Eigen/Core>

namespace sdegen::supersample {

// A loss with values in [0, c] becomes the level floor(B l / c) in 0..B, the clipped value c
// being its own top level B. The quantised normalised loss l_B = level / B is a loss with values
// in [0, 1] in its own right, so every bound computed from its levels is a bound on gen(l_B);
// since 0 <= l / c - l_B < 1 / B, gen(l) <= c (bound(l_B) + 1 / B). The 0-1 loss (B = 1) loses
// nothing.
class LossLevels {
 public:
  LossLevels() = default;  // the 0-1 loss
  static LossLevels zero_one();
  static LossLevels clipped(double clip, int levels);  // clip c > 0, levels B >= 1

  int levels() const { return levels_; }
  double clip() const { return clip_; }
  bool exact() const { return exact_; }  // l_B = l / c: only the 0-1 loss

  // Levels of a vector of losses (values beyond [0, c] are clipped; a non-finite loss, or for
  // the 0-1 loss a value other than 0 or 1, throws std::invalid_argument).
  Eigen::ArrayXi quantise(const Eigen::Ref<const Eigen::VectorXd>& losses) const;

  // c times a quantity in normalised units (a gen, a bound, an error bar).
  double in_loss_units(double normalised) const { return clip_ * normalised; }
  // 1 / B in normalised units, 0 for the 0-1 loss: the most l / c can exceed l_B.
  double quantisation_slack() const { return exact_ ? 0.0 : 1.0 / levels_; }
  // A bound on gen of the unquantised loss, in its units, from a bound on gen(l_B).
  double unquantised_bound(double normalised_bound) const {
    return clip_ * (normalised_bound + quantisation_slack());
  }

  bool operator==(const LossLevels& other) const {
    return levels_ == other.levels_ && clip_ == other.clip_ && exact_ == other.exact_;
  }
  bool operator!=(const LossLevels& other) const { return !(*this == other); }

 private:
  int levels_ = 1;
  double clip_ = 1;
  bool exact_ = true;
};

}  // namespace sdegen::supersample
