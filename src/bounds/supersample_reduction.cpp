// One supersample's tables are built from its masks' symbols and reduced to sums at once, so no
// table outlives its block and the moments carry one record per supersample: supersamples are
// independent, pairs and masks of one supersample are not.
#include "sdegen/bounds/supersample_reduction.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sdegen/bounds/supersample/supersample_tables.hpp"

namespace sdegen {

double NullRootCache::at(int observed_symbols, std::int64_t masks) {
  if (observed_symbols < 0) return 0.0;
  const auto r = static_cast<std::size_t>(observed_symbols);
  while (at_one_mask_.size() <= r)
    at_one_mask_.push_back(supersample::null_root_information(static_cast<int>(at_one_mask_.size()), 1));
  return at_one_mask_[r] / std::sqrt(static_cast<double>(masks));
}

Eigen::VectorXd reduce_supersample(const SupersampleLayout& layout, const std::vector<const Eigen::VectorXd*>& records,
                                   NullRootCache& null_roots) {
  if (records.empty()) throw std::invalid_argument("reduce_supersample: no masks");
  const int n = layout.pairs;
  Eigen::VectorXd unit = Eigen::VectorXd::Zero(layout.record_size());
  for (const Eigen::VectorXd* record : records) {
    if (record->size() != layout.deferred_size() || (*record)(0) != (*records.front())(0))
      throw std::invalid_argument("reduce_supersample: records of different shapes or supersamples");
    unit.head(layout.plain_size()) += record->segment(layout.deferred_plain(), layout.plain_size());
  }
  const double masks = static_cast<double>(records.size());
  unit.head(layout.plain_size()) /= masks;
  unit(layout.masks_seen()) = masks;
  const int kinds = layout.prediction_symbols > 0 ? SupersampleLayout::kinds : SupersampleLayout::prediction;
  for (int kind = 0; kind < kinds; ++kind) {
    supersample::SupersampleTables tables(n, layout.symbols(kind));
    for (const Eigen::VectorXd* record : records)
      tables.add_mask(record->segment(layout.deferred_mask(), n).cast<int>().array(),
                      record->segment(layout.deferred_symbols(kind), n).cast<int>().array());
    for (int i = 0; i < n; ++i) {
      const supersample::TableInformation t = supersample::table_information(tables.table(i));
      unit(layout.conditional(kind, SupersampleLayout::information)) += t.miller_madow;
      unit(layout.conditional(kind, SupersampleLayout::root)) += std::sqrt(2 * std::max(t.miller_madow, 0.0));
      unit(layout.conditional(kind, SupersampleLayout::null_root)) += null_roots.at(t.observed_symbols, t.masks);
      unit(layout.conditional(kind, SupersampleLayout::shift)) += t.miller_madow - t.plugin;
      unit(layout.conditional(kind, SupersampleLayout::tables)) += 1;
    }
  }
  return unit;
}

}  // namespace sdegen
