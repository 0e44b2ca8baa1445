// The statistics of one cell, or of one block of its replicates: moments of every per-step
// quantity and bound ingredient over finite replicates, plus counts of what was left out.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "sdegen/bounds/bound_layout.hpp"
#include "sdegen/experiment/replicate.hpp"
#include "sdegen/stats/moments.hpp"
#include "sdegen/stats/quantities.hpp"

namespace sdegen {

struct CellStatistics {
  MomentAccumulator values;       // flattened (logged step, column)
  MomentAccumulator logdet;       // per logged step, over replicates whose log det C was finite
  MomentAccumulator trajectory;   // BoundLayout's trajectory vector
  MomentAccumulator terminal;     // BoundLayout's terminal vector (first pass)
  MomentAccumulator terminal_xr;  // second pass: 2 KL(N(w*_S, Lambda_S) || N(w_bar, Lambda_bar))
  std::int64_t diverged = 0;
  std::int64_t logdet_failed = 0;      // finite replicates whose C was numerically singular
  std::int64_t trajectory_failed = 0;  // finite replicates with a non-finite trajectory term
  std::array<std::int64_t, kTerminalFailureKinds> terminal_failed{};  // by TerminalFailure

  CellStatistics() = default;
  CellStatistics(const QuantityLayout& layout, const BoundLayout& bounds);
  void add(const ReplicateTrace& trace);
  void merge(const CellStatistics& other);
  void pack(std::vector<double>& out) const;
  static CellStatistics unpack(const std::vector<double>& in, const QuantityLayout& layout, const BoundLayout& bounds);
  std::int64_t terminal_failures() const;
};

}  // namespace sdegen
