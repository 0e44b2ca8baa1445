// Loss quantisation: floor(B l / c) over whole vectors, with the top level reserved for l >= c
// so that the quantised loss never exceeds the loss it stands for.
#include "sdegen/bounds/supersample/loss_levels.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace sdegen::supersample {

LossLevels LossLevels::zero_one() { return LossLevels(); }

LossLevels LossLevels::clipped(double clip, int levels) {
  if (!(clip > 0) || !std::isfinite(clip)) throw std::invalid_argument("loss levels: the clip level must be positive");
  if (levels < 1) throw std::invalid_argument("loss levels: need at least one level above 0");
  LossLevels out;
  out.levels_ = levels;
  out.clip_ = clip;
  out.exact_ = false;
  return out;
}

Eigen::ArrayXi LossLevels::quantise(const Eigen::Ref<const Eigen::VectorXd>& losses) const {
  const auto l = losses.array();
  if (!l.isFinite().all()) throw std::invalid_argument("loss levels: a loss is not finite");
  if (exact_) {
    if (((l != 0.0) && (l != 1.0)).any()) throw std::invalid_argument("loss levels: a 0-1 loss is not 0 or 1");
    return l.cast<int>();
  }
  const Eigen::ArrayXd clipped = l.max(0.0).min(clip_);
  Eigen::ArrayXi level = (clipped * (levels_ / clip_)).floor().cast<int>().min(levels_);
  // B l / c can round up to B for l just below c; level B must mean l = c exactly.
  level = (level == levels_ && clipped < clip_).select(levels_ - 1, level);
  return level;
}

}  // namespace sdegen::supersample
