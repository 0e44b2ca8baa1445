// Running (count, mean, co-moment matrix) of a vector-valued sample: the full covariance, where
// MomentAccumulator keeps only the diagonal. Welford updates, Chan merges; packs to doubles.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace sdegen {

class CoMomentAccumulator {
 public:
  CoMomentAccumulator() = default;
  explicit CoMomentAccumulator(Eigen::Index size);

  // C += (x - mean_old)(x - mean_old)^T (n - 1) / n, the symmetric form of Welford's update.
  void add(const Eigen::Ref<const Eigen::VectorXd>& x);
  // Chan et al.: C = C_a + C_b + delta delta^T n_a n_b / n, delta = mean_b - mean_a.
  void merge(const CoMomentAccumulator& other);

  Eigen::Index size() const { return mean_.size(); }
  std::int64_t count() const { return count_; }
  const Eigen::VectorXd& mean() const { return mean_; }
  const Eigen::MatrixXd& comoment() const { return comoment_; }  // sum of (x - mean)(x - mean)^T
  Eigen::MatrixXd covariance() const;  // unbiased, C / (count - 1); NaN when count < 2

  // [count, mean..., C (column-major)...]: 1 + size + size^2 doubles.
  void pack(std::vector<double>& out) const;
  static CoMomentAccumulator unpack(const double* in, Eigen::Index size);
  static std::size_t packed_size(Eigen::Index size) {
    return 1 + static_cast<std::size_t>(size) + static_cast<std::size_t>(size) * static_cast<std::size_t>(size);
  }

 private:
  std::int64_t count_ = 0;
  Eigen::VectorXd mean_;
  Eigen::MatrixXd comoment_;
};

}  // namespace sdegen
