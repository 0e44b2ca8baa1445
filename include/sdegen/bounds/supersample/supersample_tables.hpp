// The nested design's accumulator: for one fixed supersample, a 2 x r table per pair i of
// (mask bit U_i, observed symbol) over independent masks and trainings, merged by addition.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "sdegen/bounds/supersample/table_information.hpp"

namespace sdegen::supersample {

class SupersampleTables {
 public:
  SupersampleTables() = default;
  SupersampleTables(int pairs, int symbols);

  int pairs() const { return pairs_; }
  int symbols() const { return symbols_; }

  // One training run: mask_bits(i) = U_i in {0, 1}, symbols(i) in 0..symbols-1, for every pair.
  void add_mask(const Eigen::Ref<const Eigen::ArrayXi>& mask_bits, const Eigen::Ref<const Eigen::ArrayXi>& symbols);
  MaskTable table(int pair) const;

  SupersampleTables& operator+=(const SupersampleTables& other);  // same shape required

  std::size_t packed_size() const { return counts_.size(); }
  void pack(std::vector<std::int64_t>& out) const;  // appends: pair by pair, bit by bit
  static SupersampleTables unpack(int pairs, int symbols, const std::int64_t* in);

 private:
  int pairs_ = 0, symbols_ = 0;
  std::vector<std::int64_t> counts_;  // (pair, bit, symbol), symbol fastest
};

// Symbols of the column-ordered observations of each pair, from the levels (or class labels) at
// column 0 and column 1 of the supersample (never training/held-out order: that carries no
// information about U).
// Loss difference Delta_i = (level1 - level0) / B: symbol level1 - level0 + B, 2B + 1 symbols.
Eigen::ArrayXi loss_difference_symbols(const Eigen::Ref<const Eigen::ArrayXi>& level0,
                                       const Eigen::Ref<const Eigen::ArrayXi>& level1, int levels);
inline int loss_difference_symbol_count(int levels) { return 2 * levels + 1; }
// Loss pair L_i: symbol level0 (B + 1) + level1, (B + 1)^2 symbols.
Eigen::ArrayXi loss_pair_symbols(const Eigen::Ref<const Eigen::ArrayXi>& level0,
                                 const Eigen::Ref<const Eigen::ArrayXi>& level1, int levels);
inline int loss_pair_symbol_count(int levels) { return (levels + 1) * (levels + 1); }
// Prediction pair F_i (classes in 0..C-1): symbol class0 C + class1, C^2 symbols.
Eigen::ArrayXi prediction_pair_symbols(const Eigen::Ref<const Eigen::ArrayXi>& class0,
                                       const Eigen::Ref<const Eigen::ArrayXi>& class1, int classes);
inline int prediction_pair_symbol_count(int classes) { return classes * classes; }

}  // namespace sdegen::supersample
