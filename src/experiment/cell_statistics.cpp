// Adding replicates to and merging CellStatistics. A diverged replicate is only counted:
// averaging a NaN or inf into the moments would poison every figure of the cell.
#include "sdegen/experiment/cell_statistics.hpp"

#include <numeric>
#include <stdexcept>

namespace sdegen {

CellStatistics::CellStatistics(const QuantityLayout& layout, const BoundLayout& bounds)
    : values(static_cast<Eigen::Index>(layout.steps.size()) * layout.width()),
      logdet(static_cast<Eigen::Index>(layout.steps.size())),
      trajectory(bounds.trajectory_size()),
      terminal(bounds.terminal_size()),
      terminal_xr(bounds.config.terminal ? 1 : 0) {}

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
  if (trajectory.size() > 0) {
    if (trace.trajectory_ok) trajectory.add(trace.trajectory);
    else ++trajectory_failed;
  }
  if (terminal.size() > 0) {
    if (trace.terminal.failure == TerminalFailure::none) terminal.add(trace.terminal.values);
    else ++terminal_failed[static_cast<int>(trace.terminal.failure)];
  }
}

void CellStatistics::merge(const CellStatistics& other) {
  values.merge(other.values);
  logdet.merge(other.logdet);
  trajectory.merge(other.trajectory);
  terminal.merge(other.terminal);
  terminal_xr.merge(other.terminal_xr);
  diverged += other.diverged;
  logdet_failed += other.logdet_failed;
  trajectory_failed += other.trajectory_failed;
  for (int k = 0; k < kTerminalFailureKinds; ++k) terminal_failed[k] += other.terminal_failed[k];
}

std::int64_t CellStatistics::terminal_failures() const {
  return std::accumulate(terminal_failed.begin(), terminal_failed.end(), std::int64_t{0});
}

void CellStatistics::pack(std::vector<double>& out) const {
  out.push_back(static_cast<double>(diverged));
  out.push_back(static_cast<double>(logdet_failed));
  out.push_back(static_cast<double>(trajectory_failed));
  for (auto c : terminal_failed) out.push_back(static_cast<double>(c));
  for (const MomentAccumulator* acc : {&values, &logdet, &trajectory, &terminal, &terminal_xr}) acc->pack(out);
}

CellStatistics CellStatistics::unpack(const std::vector<double>& in, const QuantityLayout& layout,
                                      const BoundLayout& bounds) {
  CellStatistics stats(layout, bounds);
  std::size_t pos = 0;
  auto count = [&]() { return static_cast<std::int64_t>(in.at(pos++)); };
  stats.diverged = count();
  stats.logdet_failed = count();
  stats.trajectory_failed = count();
  for (auto& c : stats.terminal_failed) c = count();
  for (MomentAccumulator* acc : {&stats.values, &stats.logdet, &stats.trajectory, &stats.terminal, &stats.terminal_xr}) {
    const Eigen::Index size = acc->size();
    if (pos + 1 + 2 * static_cast<std::size_t>(size) > in.size())
      throw std::runtime_error("cell statistics buffer is too short");
    *acc = MomentAccumulator::unpack(in.data() + pos, size);
    pos += 1 + 2 * static_cast<std::size_t>(size);
  }
  if (pos != in.size()) throw std::runtime_error("cell statistics buffer has the wrong size");
  return stats;
}

}  // namespace sdegen
