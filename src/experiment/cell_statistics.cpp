// Adding replicates to and merging CellStatistics. A diverged replicate is only counted:
// averaging a NaN or inf into the moments would poison every figure of the cell.
#include "sdegen/experiment/cell_statistics.hpp"

#include <stdexcept>

namespace sdegen {

CellStatistics::CellStatistics(const QuantityLayout& layout)
    : values(static_cast<Eigen::Index>(layout.steps.size()) * layout.width()),
      logdet(static_cast<Eigen::Index>(layout.steps.size())) {}

void CellStatistics::add(const ReplicateTrace& trace) {
  if (trace.diverged) {
    ++diverged;
    return;
  }
  values.add(trace.values);
  if (trace.logdet_ok)
    logdet.add(trace.logdet);
  else if (trace.logdet.size() > 0 && logdet.size() > 0)
    ++logdet_failed;
}

void CellStatistics::merge(const CellStatistics& other) {
  values.merge(other.values);
  logdet.merge(other.logdet);
  diverged += other.diverged;
  logdet_failed += other.logdet_failed;
}

void CellStatistics::pack(std::vector<double>& out) const {
  out.push_back(static_cast<double>(diverged));
  out.push_back(static_cast<double>(logdet_failed));
  values.pack(out);
  logdet.pack(out);
}

CellStatistics CellStatistics::unpack(const std::vector<double>& in, const QuantityLayout& layout) {
  CellStatistics stats(layout);
  const Eigen::Index nv = stats.values.size(), nl = stats.logdet.size();
  if (in.size() != static_cast<std::size_t>(4 + 2 * nv + 2 * nl))
    throw std::runtime_error("cell statistics buffer has the wrong size");
  stats.diverged = static_cast<std::int64_t>(in[0]);
  stats.logdet_failed = static_cast<std::int64_t>(in[1]);
  stats.values = MomentAccumulator::unpack(in.data() + 2, nv);
  stats.logdet = MomentAccumulator::unpack(in.data() + 3 + 2 * nv, nl);
  return stats;
}

}  // namespace sdegen
