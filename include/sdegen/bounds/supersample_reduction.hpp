// The per-supersample reduction of the nested design: the K deferred records of one supersample
// (one per mask) become one unit record of conditional-information sums and mean plain figures.
#pragma once
#include <Eigen/Core>
#include <vector>

#include "sdegen/bounds/supersample_layout.hpp"

namespace sdegen {

// E sqrt(max(chi^2_{r-1} - (r - 1), 0)) per symbol count r (at one mask; divide by sqrt K):
// computed once per count, as the integral is the costly part.
class NullRootCache {
 public:
  double at(int observed_symbols, std::int64_t masks);

 private:
  std::vector<double> at_one_mask_;
};

// records: the deferred records of one supersample's masks (same m), in replicate order. Returns
// the unit record (layout.record_size()): plain figures averaged over the masks; per symbol kind,
// over the supersample's pairs i, the sums of I_MM(2 x r table of (U_i, symbol_i) over the masks),
// of sqrt(2 max(I_MM, 0)), of its null value, of I_MM - I_plugin, and the number of tables.
Eigen::VectorXd reduce_supersample(const SupersampleLayout& layout, const std::vector<const Eigen::VectorXd*>& records,
                                   NullRootCache& null_roots);

}  // namespace sdegen
