// Welford's update and Chan's pairwise merge of (count, mean, M2). Never raw sums of squares:
// they lose all precision when the mean is large against the spread.
#include "sdegen/stats/moments.hpp"

#include <limits>

namespace sdegen {

MomentAccumulator::MomentAccumulator(Eigen::Index size)
    : mean_(Eigen::VectorXd::Zero(size)), m2_(Eigen::VectorXd::Zero(size)) {}

void MomentAccumulator::add(const Eigen::Ref<const Eigen::VectorXd>& x) {
  ++count_;
  const Eigen::VectorXd delta = x - mean_;
  mean_ += delta / static_cast<double>(count_);
  m2_.array() += delta.array() * (x - mean_).array();
}

void MomentAccumulator::merge(const MomentAccumulator& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  const double na = static_cast<double>(count_), nb = static_cast<double>(other.count_);
  const double n = na + nb;
  const Eigen::VectorXd delta = other.mean_ - mean_;
  mean_ += delta * (nb / n);
  m2_ += other.m2_ + delta.cwiseAbs2() * (na * nb / n);
  count_ += other.count_;
}

Eigen::VectorXd MomentAccumulator::variance() const {
  if (count_ < 2) return Eigen::VectorXd::Constant(size(), std::numeric_limits<double>::quiet_NaN());
  return m2_ / static_cast<double>(count_ - 1);
}

Eigen::VectorXd MomentAccumulator::standard_error() const {
  return (variance() / static_cast<double>(count_)).cwiseSqrt();
}

void MomentAccumulator::pack(std::vector<double>& out) const {
  out.push_back(static_cast<double>(count_));
  out.insert(out.end(), mean_.data(), mean_.data() + size());
  out.insert(out.end(), m2_.data(), m2_.data() + size());
}

MomentAccumulator MomentAccumulator::unpack(const double* in, Eigen::Index size) {
  MomentAccumulator acc(size);
  acc.count_ = static_cast<std::int64_t>(in[0]);
  acc.mean_ = Eigen::Map<const Eigen::VectorXd>(in + 1, size);
  acc.m2_ = Eigen::Map<const Eigen::VectorXd>(in + 1 + size, size);
  return acc;
}

}  // namespace sdegen
