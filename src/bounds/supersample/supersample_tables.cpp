// Per-pair (mask bit, symbol) counts of one supersample, and the encoders of column-ordered
// observations into symbols.
#include "sdegen/bounds/supersample/supersample_tables.hpp"

#include <algorithm>
#include <stdexcept>

namespace sdegen::supersample {

SupersampleTables::SupersampleTables(int pairs, int symbols) : pairs_(pairs), symbols_(symbols) {
  if (pairs < 0 || symbols < 1) throw std::invalid_argument("supersample tables: bad shape");
  counts_.assign(static_cast<std::size_t>(pairs) * 2 * static_cast<std::size_t>(symbols), 0);
}

void SupersampleTables::add_mask(const Eigen::Ref<const Eigen::ArrayXi>& mask_bits,
                                 const Eigen::Ref<const Eigen::ArrayXi>& symbols) {
  if (mask_bits.size() != pairs_ || symbols.size() != pairs_)
    throw std::invalid_argument("supersample tables: one mask bit and one symbol per pair");
  if (pairs_ == 0) return;
  if (mask_bits.minCoeff() < 0 || mask_bits.maxCoeff() > 1 || symbols.minCoeff() < 0 || symbols.maxCoeff() >= symbols_)
    throw std::invalid_argument("supersample tables: a mask bit or symbol out of range");
  const Eigen::ArrayXi index = (Eigen::ArrayXi::LinSpaced(pairs_, 0, pairs_ - 1) * 2 + mask_bits) * symbols_ + symbols;
  for (Eigen::Index i = 0; i < index.size(); ++i) ++counts_[static_cast<std::size_t>(index(i))];
}

MaskTable SupersampleTables::table(int pair) const {
  if (pair < 0 || pair >= pairs_) throw std::out_of_range("supersample tables: pair index");
  return Eigen::Map<const Eigen::Matrix<std::int64_t, 2, Eigen::Dynamic, Eigen::RowMajor>>(
      counts_.data() + static_cast<std::size_t>(pair) * 2 * symbols_, 2, symbols_);
}

SupersampleTables& SupersampleTables::operator+=(const SupersampleTables& other) {
  if (other.pairs_ != pairs_ || other.symbols_ != symbols_)
    throw std::invalid_argument("supersample tables: merging tables of different shapes");
  for (std::size_t j = 0; j < counts_.size(); ++j) counts_[j] += other.counts_[j];
  return *this;
}

void SupersampleTables::pack(std::vector<std::int64_t>& out) const { out.insert(out.end(), counts_.begin(), counts_.end()); }

SupersampleTables SupersampleTables::unpack(int pairs, int symbols, const std::int64_t* in) {
  SupersampleTables out(pairs, symbols);
  std::copy(in, in + out.counts_.size(), out.counts_.begin());
  return out;
}

Eigen::ArrayXi loss_difference_symbols(const Eigen::Ref<const Eigen::ArrayXi>& level0,
                                       const Eigen::Ref<const Eigen::ArrayXi>& level1, int levels) {
  return level1 - level0 + levels;
}

Eigen::ArrayXi loss_pair_symbols(const Eigen::Ref<const Eigen::ArrayXi>& level0,
                                 const Eigen::Ref<const Eigen::ArrayXi>& level1, int levels) {
  return level0 * (levels + 1) + level1;
}

Eigen::ArrayXi prediction_pair_symbols(const Eigen::Ref<const Eigen::ArrayXi>& class0,
                                       const Eigen::Ref<const Eigen::ArrayXi>& class1, int classes) {
  return class0 * classes + class1;
}

}  // namespace sdegen::supersample
