// Adding replicates to and merging CellStatistics. A diverged replicate is only counted:
// averaging a NaN or inf into the moments would poison every figure of the cell.
#include "sdegen/stats/cell_statistics.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace sdegen {

EstimatorStatistics::EstimatorStatistics(const Shape& shape)
    : moments(shape.record_size),
      failures(static_cast<std::size_t>(shape.failure_kinds), 0),
      comoments(shape.comoment_size),
      comoment_offset(shape.comoment_offset),
      counts(static_cast<std::size_t>(shape.count_size), 0) {}

EstimatorStatistics::Shape EstimatorStatistics::shape() const {
  return {static_cast<int>(moments.size()), static_cast<int>(failures.size()), comoment_offset,
          static_cast<int>(comoments.size()), static_cast<int>(counts.size())};
}

void EstimatorStatistics::add(const EstimatorRecord& record) {
  if (moments.size() == 0 && counts.empty()) return;  // the estimator is off for this cell
  if (record.failure >= 0) {
    ++failures.at(static_cast<std::size_t>(record.failure));
    return;
  }
  if (record.values.size() > 0) {
    moments.add(record.values);
    if (comoments.size() > 0) comoments.add(record.values.segment(comoment_offset, comoments.size()));
  }
  for (std::int64_t index : record.tallies) ++counts.at(static_cast<std::size_t>(index));
  if (record.deferred.size() > 0) pending.push_back(record.deferred);
}

void EstimatorStatistics::merge(const EstimatorStatistics& other) {
  if (!pending.empty() || !other.pending.empty())
    throw std::logic_error("estimator statistics merged while deferred records are pending");
  moments.merge(other.moments);
  for (std::size_t k = 0; k < failures.size(); ++k) failures[k] += other.failures[k];
  comoments.merge(other.comoments);
  for (std::size_t k = 0; k < counts.size(); ++k) counts[k] += other.counts[k];
}

bool EstimatorStatistics::has_counts() const {
  return std::any_of(counts.begin(), counts.end(), [](std::int64_t c) { return c != 0; });
}

std::int64_t EstimatorStatistics::failed() const {
  return std::accumulate(failures.begin(), failures.end(), std::int64_t{0});
}

CellStatistics::CellStatistics(const QuantityLayout& layout, const std::vector<EstimatorStatistics::Shape>& shapes)
    : values(static_cast<Eigen::Index>(layout.steps.size()) * layout.width()),
      logdet(static_cast<Eigen::Index>(layout.steps.size())) {
  for (const auto& shape : shapes) estimators.emplace_back(shape);
}

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
  for (std::size_t k = 0; k < estimators.size(); ++k) estimators[k].add(trace.estimators[k]);
}

void CellStatistics::merge(const CellStatistics& other) {
  values.merge(other.values);
  logdet.merge(other.logdet);
  for (std::size_t k = 0; k < estimators.size(); ++k) estimators[k].merge(other.estimators[k]);
  diverged += other.diverged;
  logdet_failed += other.logdet_failed;
}

bool CellStatistics::has_counts() const {
  return std::any_of(estimators.begin(), estimators.end(), [](const EstimatorStatistics& e) { return e.has_counts(); });
}

void CellStatistics::move_counts_to(CellStatistics& into) {
  for (std::size_t e = 0; e < estimators.size(); ++e) {
    std::vector<std::int64_t>& from = estimators[e].counts;
    std::vector<std::int64_t>& to = into.estimators.at(e).counts;
    if (to.size() != from.size()) throw std::logic_error("moving counts between statistics of different shapes");
    for (std::size_t k = 0; k < from.size(); ++k) to[k] += from[k];
    std::fill(from.begin(), from.end(), 0);
  }
}

void CellStatistics::pack(std::vector<double>& out, CountPacking packing) const {
  for (const auto& e : estimators)
    if (!e.pending.empty()) throw std::logic_error("cell statistics packed while deferred records are pending");
  out.push_back(static_cast<double>(diverged));
  out.push_back(static_cast<double>(logdet_failed));
  for (const auto& e : estimators)
    for (auto c : e.failures) out.push_back(static_cast<double>(c));
  values.pack(out);
  logdet.pack(out);
  for (const auto& e : estimators) e.moments.pack(out);
  for (const auto& e : estimators)
    if (e.comoments.size() > 0) e.comoments.pack(out);
  for (const auto& e : estimators) {
    if (e.counts.empty()) continue;
    const bool any = packing == CountPacking::always || e.has_counts();
    out.push_back(any ? 1.0 : 0.0);
    if (any)
      for (std::int64_t c : e.counts) out.push_back(static_cast<double>(c));
  }
}

std::size_t CellStatistics::packed_size(const QuantityLayout& layout,
                                        const std::vector<EstimatorStatistics::Shape>& shapes, CountPacking packing) {
  const std::size_t steps = layout.steps.size(), width = static_cast<std::size_t>(layout.width());
  std::size_t size = 2 + (1 + 2 * steps * width) + (1 + 2 * steps);  // counts, values, logdet
  for (const auto& shape : shapes) {
    size += static_cast<std::size_t>(shape.failure_kinds) + 1 + 2 * static_cast<std::size_t>(shape.record_size);
    if (shape.comoment_size > 0) size += CoMomentAccumulator::packed_size(shape.comoment_size);
    if (shape.count_size > 0)
      size += 1 + (packing == CountPacking::always ? static_cast<std::size_t>(shape.count_size) : 0);
  }
  return size;
}

CellStatistics CellStatistics::unpack(const std::vector<double>& in, const QuantityLayout& layout,
                                      const std::vector<EstimatorStatistics::Shape>& shapes) {
  CellStatistics stats(layout, shapes);
  std::size_t pos = 0;
  auto count = [&]() { return static_cast<std::int64_t>(in.at(pos++)); };
  stats.diverged = count();
  stats.logdet_failed = count();
  for (auto& e : stats.estimators)
    for (auto& c : e.failures) c = count();
  auto take = [&](MomentAccumulator& acc) {
    const Eigen::Index size = acc.size();
    if (pos + 1 + 2 * static_cast<std::size_t>(size) > in.size())
      throw std::runtime_error("cell statistics buffer is too short");
    acc = MomentAccumulator::unpack(in.data() + pos, size);
    pos += 1 + 2 * static_cast<std::size_t>(size);
  };
  take(stats.values);
  take(stats.logdet);
  for (auto& e : stats.estimators) take(e.moments);
  for (auto& e : stats.estimators) {
    const Eigen::Index size = e.comoments.size();
    if (size == 0) continue;
    if (pos + CoMomentAccumulator::packed_size(size) > in.size())
      throw std::runtime_error("cell statistics buffer is too short");
    e.comoments = CoMomentAccumulator::unpack(in.data() + pos, size);
    pos += CoMomentAccumulator::packed_size(size);
  }
  for (auto& e : stats.estimators) {
    if (e.counts.empty()) continue;
    if (pos >= in.size()) throw std::runtime_error("cell statistics buffer is too short");
    const double present = in[pos++];
    if (present != 0 && present != 1) throw std::runtime_error("cell statistics buffer has a bad count flag");
    if (present == 0) continue;
    if (pos + e.counts.size() > in.size()) throw std::runtime_error("cell statistics buffer is too short");
    for (auto& c : e.counts) c = count();
  }
  if (pos != in.size()) throw std::runtime_error("cell statistics buffer has the wrong size");
  return stats;
}

}  // namespace sdegen
