// The statistics of one cell, or of one block of its replicates: moments of every per-step
// quantity over finite replicates, plus counts of diverged replicates and failed log dets.
#pragma once
#include <cstdint>
#include <vector>

#include "sdegen/experiment/replicate.hpp"
#include "sdegen/stats/moments.hpp"
#include "sdegen/stats/quantities.hpp"

namespace sdegen {

struct CellStatistics {
  MomentAccumulator values;  // flattened (logged step, column)
  MomentAccumulator logdet;  // per logged step, over replicates whose log det C was finite
  std::int64_t diverged = 0;
  std::int64_t logdet_failed = 0;  // finite replicates whose C was numerically singular

  CellStatistics() = default;
  explicit CellStatistics(const QuantityLayout& layout);
  void add(const ReplicateTrace& trace);
  void merge(const CellStatistics& other);
  void pack(std::vector<double>& out) const;
  static CellStatistics unpack(const std::vector<double>& in, const QuantityLayout& layout);
};

}  // namespace sdegen
