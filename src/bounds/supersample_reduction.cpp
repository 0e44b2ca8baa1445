// One supersample's tables are built from its masks' symbols and reduced to sums at once, so no
// table outlives its block and the moments carry one record per supersample: supersamples are
// independent, pairs and masks of one supersample are not.
#include "sdegen/bounds/supersample_reduction.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sdegen/bounds/supersample/table_information.hpp"

namespace sdegen {

double NullRootCache::at(int observed_symbols, std::int64_t masks) {
  if (observed_symbols < 0) return 0.0;
  const auto r = static_cast<std::size_t>(observed_symbols);
  while (at_one_mask_.size() <= r)
    at_one_mask_.push_back(supersample::null_root_information(static_cast<int>(at_one_mask_.size()), 1));
  return at_one_mask_[r] / std::sqrt(static_cast<double>(masks));
}

namespace {
// Pair i's 2 x r table over the symbols it actually shows (at most K of the up to (B + 1)^2):
// empty columns change no entropy, so the information is that of the full table.
supersample::MaskTable observed_table(const Eigen::Ref<const Eigen::ArrayXi>& bits,
                                      const Eigen::Ref<const Eigen::ArrayXi>& symbols) {
  std::vector<int> seen(symbols.data(), symbols.data() + symbols.size());
  std::sort(seen.begin(), seen.end());
  seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
  supersample::MaskTable table = supersample::MaskTable::Zero(2, static_cast<Eigen::Index>(seen.size()));
  for (Eigen::Index j = 0; j < symbols.size(); ++j)
    ++table(bits(j), std::lower_bound(seen.begin(), seen.end(), symbols(j)) - seen.begin());
  return table;
}
}  // namespace

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
  const auto k = static_cast<Eigen::Index>(records.size());
  Eigen::ArrayXXi bits(n, k), symbols(n, k);  // pair x mask
  for (Eigen::Index j = 0; j < k; ++j) bits.col(j) = records[j]->segment(layout.deferred_mask(), n).cast<int>().array();
  if (n > 0 && (bits.minCoeff() < 0 || bits.maxCoeff() > 1)) throw std::invalid_argument("reduce_supersample: a mask bit not 0 or 1");
  for (int kind = 0; kind < kinds; ++kind) {
    for (Eigen::Index j = 0; j < k; ++j)
      symbols.col(j) = records[j]->segment(layout.deferred_symbols(kind), n).cast<int>().array();
    if (n > 0 && (symbols.minCoeff() < 0 || symbols.maxCoeff() >= layout.symbols(kind)))
      throw std::invalid_argument("reduce_supersample: a symbol out of range");
    for (int i = 0; i < n; ++i) {
      const supersample::TableInformation t = supersample::table_information(observed_table(bits.row(i), symbols.row(i)));
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
