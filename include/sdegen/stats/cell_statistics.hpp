// The statistics of one cell, or of one block of its replicates: moments of every per-step
// quantity, each bound estimator's accumulated records, and counts of what was left out.
#pragma once
#include <cstdint>
#include <vector>

#include "sdegen/stats/comoments.hpp"
#include "sdegen/stats/moments.hpp"
#include "sdegen/stats/quantities.hpp"

namespace sdegen {

// What one replicate leaves for one bound estimator.
struct EstimatorRecord {
  Eigen::VectorXd values;  // accumulated when failure < 0
  int failure = -1;        // -1: success; else the index of the failure kind
};

// One estimator's accumulated records.
struct EstimatorStatistics {
  MomentAccumulator moments;
  std::vector<std::int64_t> failures;  // per failure kind
  // The full covariance of the record segment [comoment_offset, + comoments.size()) (empty: none).
  CoMomentAccumulator comoments;
  int comoment_offset = 0;

  // The shape an estimator declares: record size, failure kinds, and the segment of the record
  // whose co-moments it needs (size 0: none).
  struct Shape {
    int record_size = 0;
    int failure_kinds = 0;
    int comoment_offset = 0;
    int comoment_size = 0;
  };
  EstimatorStatistics() = default;
  explicit EstimatorStatistics(const Shape& shape);
  Shape shape() const;
  void add(const EstimatorRecord& record);
  void merge(const EstimatorStatistics& other);
  std::int64_t failed() const;
};

// One replicate's measurements: the per-step quantities and each estimator's record.
struct ReplicateTrace {
  Eigen::VectorXd values;  // flattened (logged step, column), see QuantityLayout::flat
  Eigen::VectorXd logdet;  // log det C(W_t) per logged step, when defined
  bool diverged = false;
  bool logdet_ok = false;  // false when undefined or numerically singular
  std::vector<EstimatorRecord> estimators;
};

struct CellStatistics {
  MomentAccumulator values;  // flattened (logged step, column)
  MomentAccumulator logdet;  // per logged step, over replicates whose log det C was finite
  std::vector<EstimatorStatistics> estimators;
  std::int64_t diverged = 0;
  std::int64_t logdet_failed = 0;  // finite replicates whose C was numerically singular

  CellStatistics() = default;
  CellStatistics(const QuantityLayout& layout, const std::vector<EstimatorStatistics::Shape>& shapes);
  void add(const ReplicateTrace& trace);  // a diverged replicate is only counted
  void merge(const CellStatistics& other);
  // Exact state as doubles: counts, failure counts per estimator, then every accumulator.
  void pack(std::vector<double>& out) const;
  // The length pack() gives, without allocating the accumulators (which may be huge).
  static std::size_t packed_size(const QuantityLayout& layout, const std::vector<EstimatorStatistics::Shape>& shapes);
  static CellStatistics unpack(const std::vector<double>& in, const QuantityLayout& layout,
                               const std::vector<EstimatorStatistics::Shape>& shapes);
};

}  // namespace sdegen
