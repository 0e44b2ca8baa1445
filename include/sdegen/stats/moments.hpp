// Running (count, mean, M2) of a vector-valued sample: Welford updates, Chan merges.
// Knows nothing of MPI; it packs to a flat buffer so a thin layer can move it between ranks.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace sdegen {

class MomentAccumulator {
 public:
  MomentAccumulator() = default;
  explicit MomentAccumulator(Eigen::Index size);

  void add(const Eigen::Ref<const Eigen::VectorXd>& x);  // Welford
  void merge(const MomentAccumulator& other);            // Chan et al., pairwise

  Eigen::Index size() const { return mean_.size(); }
  std::int64_t count() const { return count_; }
  const Eigen::VectorXd& mean() const { return mean_; }
  const Eigen::VectorXd& m2() const { return m2_; }
  Eigen::VectorXd variance() const;        // unbiased, M2 / (count - 1); NaN when count < 2
  Eigen::VectorXd standard_error() const;  // sqrt(variance / count)

  // [count, mean..., m2...]: 1 + 2 size doubles (counts are exact up to 2^53).
  void pack(std::vector<double>& out) const;
  static MomentAccumulator unpack(const double* in, Eigen::Index size);

 private:
  std::int64_t count_ = 0;
  Eigen::VectorXd mean_, m2_;
};

}  // namespace sdegen
