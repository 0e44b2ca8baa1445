// Co-moment updates as explicit loops over f (d_i d_j), so that C stays exactly symmetric (the
// product is formed before the factor) and depends only on the order of adds and merges.
#include "sdegen/stats/comoments.hpp"

#include <limits>

namespace sdegen {

namespace {
// C += factor * delta delta^T, entry by entry.
void add_outer(Eigen::MatrixXd& c, const Eigen::VectorXd& delta, double factor) {
  const Eigen::Index d = delta.size();
  for (Eigen::Index j = 0; j < d; ++j)
    for (Eigen::Index i = 0; i < d; ++i) c(i, j) += factor * (delta[i] * delta[j]);
}
}  // namespace

CoMomentAccumulator::CoMomentAccumulator(Eigen::Index size)
    : mean_(Eigen::VectorXd::Zero(size)), comoment_(Eigen::MatrixXd::Zero(size, size)) {}

void CoMomentAccumulator::add(const Eigen::Ref<const Eigen::VectorXd>& x) {
  ++count_;
  const double n = static_cast<double>(count_);
  const Eigen::VectorXd delta = x - mean_;
  mean_ += delta / n;
  add_outer(comoment_, delta, (n - 1) / n);
}

void CoMomentAccumulator::merge(const CoMomentAccumulator& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  const double na = static_cast<double>(count_), nb = static_cast<double>(other.count_);
  const double n = na + nb;
  const Eigen::VectorXd delta = other.mean_ - mean_;
  mean_ += delta * (nb / n);
  comoment_ += other.comoment_;
  add_outer(comoment_, delta, na * nb / n);
  count_ += other.count_;
}

Eigen::MatrixXd CoMomentAccumulator::covariance() const {
  if (count_ < 2) return Eigen::MatrixXd::Constant(size(), size(), std::numeric_limits<double>::quiet_NaN());
  return comoment_ / static_cast<double>(count_ - 1);
}

void CoMomentAccumulator::pack(std::vector<double>& out) const {
  out.push_back(static_cast<double>(count_));
  out.insert(out.end(), mean_.data(), mean_.data() + size());
  out.insert(out.end(), comoment_.data(), comoment_.data() + comoment_.size());
}

CoMomentAccumulator CoMomentAccumulator::unpack(const double* in, Eigen::Index size) {
  CoMomentAccumulator acc(size);
  acc.count_ = static_cast<std::int64_t>(in[0]);
  acc.mean_ = Eigen::Map<const Eigen::VectorXd>(in + 1, size);
  acc.comoment_ = Eigen::Map<const Eigen::MatrixXd>(in + 1 + size, size, size);
  return acc;
}

}  // namespace sdegen
