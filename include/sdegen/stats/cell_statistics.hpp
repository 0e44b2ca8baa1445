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
  Eigen::VectorXd values;  // accumulated when failure < 0 (unless empty)
  int failure = -1;        // -1: success; else the index of the failure kind
  std::vector<std::int64_t> tallies;  // indices of the estimator's integer counts to add 1 to
  Eigen::VectorXd deferred;  // kept with its block's others until the block ends (empty when none)
};

// One estimator's accumulated records.
struct EstimatorStatistics {
  MomentAccumulator moments;
  std::vector<std::int64_t> failures;  // per failure kind
  // The full covariance of the record segment [comoment_offset, + comoments.size()) (empty: none).
  CoMomentAccumulator comoments;
  int comoment_offset = 0;
  // Integer counts (histograms), merged by addition: exact, so their merges need no order.
  std::vector<std::int64_t> counts;
  // The deferred records of the block being computed, until the estimator's end_block reduces
  // them; a block is computed whole on one rank, so the reduction is rank-invariant. Never
  // packed or merged: empty once the block has ended.
  std::vector<Eigen::VectorXd> pending;

  // The shape an estimator declares: record size, failure kinds, the segment of the record whose
  // co-moments it needs (size 0: none), and the number of integer counts.
  struct Shape {
    int record_size = 0;
    int failure_kinds = 0;
    int comoment_offset = 0;
    int comoment_size = 0;
    int count_size = 0;
  };
  EstimatorStatistics() = default;
  explicit EstimatorStatistics(const Shape& shape);
  Shape shape() const;
  void add(const EstimatorRecord& record);
  void merge(const EstimatorStatistics& other);
  std::int64_t failed() const;
  bool has_counts() const;  // a count is not 0
};

// One replicate's measurements: the per-step quantities and each estimator's record.
struct ReplicateTrace {
  Eigen::VectorXd values;  // flattened (logged step, column), see QuantityLayout::flat
  Eigen::VectorXd logdet;  // log det C(W_t) per logged step, when defined
  bool diverged = false;
  bool logdet_ok = false;  // false when undefined or numerically singular
  std::vector<EstimatorRecord> estimators;
};

// How CellStatistics::pack writes an estimator's integer counts: always (every packed state of
// one shape has one size: files, broadcasts), or only when one is not 0 (replicate blocks, most
// of which carry none, see FinishedBlocks in experiment/run_state.hpp).
enum class CountPacking { always, when_present };

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
  bool has_counts() const;  // an estimator's integer count is not 0
  // Adds every estimator's integer counts to `into` (same shapes) and sets them to 0 here.
  void move_counts_to(CellStatistics& into);
  // Exact state as doubles: counts, failure counts per estimator, then every accumulator (moments,
  // then co-moments), then each estimator's integer counts (a flag, 1 and the counts, or 0 for
  // none: all 0; exact up to 2^53). Throws std::logic_error while deferred records are pending.
  void pack(std::vector<double>& out, CountPacking counts = CountPacking::always) const;
  // The length pack() gives, without allocating the accumulators (which may be huge); with
  // CountPacking::when_present, the length without any counts (a flag 0 each).
  static std::size_t packed_size(const QuantityLayout& layout, const std::vector<EstimatorStatistics::Shape>& shapes,
                                 CountPacking counts = CountPacking::always);
  static CellStatistics unpack(const std::vector<double>& in, const QuantityLayout& layout,
                               const std::vector<EstimatorStatistics::Shape>& shapes);
};

}  // namespace sdegen
