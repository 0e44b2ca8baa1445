// Conditional bounds from per-(supersample, pair) tables. The jackknife runs over supersamples,
// which are independent; the pairs of one supersample share it and its trainings. The K-bias
// is per cell and identical across supersamples, so only the per-cell correction and more
// masks act on it.
#include "sdegen/bounds/supersample/conditional_bounds.hpp"

#include <algorithm>
#include <cstdint>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace sdegen::supersample {

namespace {
struct SupersampleSums {
  double information = 0, root = 0, null_root = 0, shift = 0;
  int cells = 0;  // pairs with at least one mask
};
}  // namespace

ConditionalEstimates conditional_estimates(const std::vector<SupersampleTables>& supersamples) {
  if (supersamples.empty()) throw std::invalid_argument("conditional estimates: no supersamples");
  ConditionalEstimates out;
  out.supersamples = static_cast<int>(supersamples.size());
  out.pairs = supersamples.front().pairs();
  out.min_masks = INT64_MAX;
  std::vector<SupersampleSums> sums;
  SupersampleSums total;
  std::vector<double> null_root_at_one_mask;  // by observed symbols: the integral is the costly part
  auto null_root = [&](int symbols, std::int64_t masks) {
    if (null_root_at_one_mask.size() <= static_cast<std::size_t>(symbols)) {
      const std::size_t known = null_root_at_one_mask.size();
      null_root_at_one_mask.resize(static_cast<std::size_t>(symbols) + 1);
      for (std::size_t r = known; r < null_root_at_one_mask.size(); ++r)
        null_root_at_one_mask[r] = null_root_information(static_cast<int>(r), 1);
    }
    return null_root_at_one_mask[static_cast<std::size_t>(symbols)] / std::sqrt(static_cast<double>(masks));
  };
  for (const SupersampleTables& s : supersamples) {
    if (s.pairs() != out.pairs || s.symbols() != supersamples.front().symbols())
      throw std::invalid_argument("conditional estimates: supersamples of different shapes");
    SupersampleSums m;
    for (int i = 0; i < s.pairs(); ++i) {
      const TableInformation t = table_information(s.table(i));
      out.min_masks = std::min(out.min_masks, t.masks);
      out.max_masks = std::max(out.max_masks, t.masks);
      if (t.masks == 0) continue;
      m.information += t.miller_madow;
      m.root += std::sqrt(2 * std::max(t.miller_madow, 0.0));
      m.null_root += null_root(t.observed_symbols, t.masks);
      m.shift += t.miller_madow - t.plugin;
      ++m.cells;
    }
    sums.push_back(m);
    total.information += m.information, total.root += m.root, total.null_root += m.null_root;
    total.shift += m.shift, total.cells += m.cells;
  }
  if (total.cells == 0) throw std::invalid_argument("conditional estimates: no masks counted");

  std::vector<double> information, root, outside;
  if (sums.size() >= 2)
    for (const SupersampleSums& m : sums) {
      const int cells = total.cells - m.cells;
      if (cells == 0) continue;
      information.push_back((total.information - m.information) / cells);
      root.push_back((total.root - m.root) / cells);
      outside.push_back(std::sqrt(2 * std::max(information.back(), 0.0)));
    }
  const double mean_information = total.information / total.cells;
  out.mean_information = jackknife(mean_information, information);
  out.root_inside = jackknife(total.root / total.cells, root);
  out.root_outside = jackknife(std::sqrt(2 * std::max(mean_information, 0.0)), outside);
  // Linear in the cells, the first two are unchanged by the jackknife's correction; root_outside
  // is reported at the reported information, like the plain bounds.
  out.root_outside.reported = std::sqrt(2 * std::max(out.mean_information.reported, 0.0));
  out.root_outside.clamped = out.mean_information.reported < 0;
  out.root_inside_null_value = total.null_root / total.cells;
  out.miller_madow_shift = total.shift / total.cells;
  return out;
}

std::string ConditionalEstimates::bias_note() const {
  std::ostringstream s;
  s << "root inside (B7/B4/B3): upward-biased by O(1/sqrt(K)) with K = " << min_masks;
  if (max_masks != min_masks) s << ".." << max_masks;
  s << " masks; it would average " << root_inside_null_value
    << " if every conditional information were 0; trust it only with K >= 1000. "
    << "root outside (B7'): Miller-Madow shifted each cell by " << miller_madow_shift
    << " nats on average (the plug-in's first-order bias); the remaining bias is O(1/K^2).";
  return s.str();
}

}  // namespace sdegen::supersample
