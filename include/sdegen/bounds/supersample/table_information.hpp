// The mutual information of one pair's mask bit and one observed symbol over the K masks of a
// fixed supersample: a 2 x r count table, plug-in and Miller-Madow corrected.
#pragma once
#include <Eigen/Core>
#include <cstdint>

namespace sdegen::supersample {

// Row: the mask bit U_i; column: the observed symbol (loss difference, loss pair or prediction
// pair, column-ordered). One entry per training run (mask) of the supersample.
using MaskTable = Eigen::Matrix<std::int64_t, 2, Eigen::Dynamic>;

struct TableInformation {
  double plugin = 0;        // MI of the empirical joint law (nats)
  double miller_madow = 0;  // plugin + ((m_U - 1) + (m_X - 1) - (m_UX - 1)) / (2K)
  std::int64_t masks = 0;   // K
  int observed_symbols = 0; // m_X: distinct symbols seen
};

// Miller-Madow corrects each of the three entropies by (non-empty cells - 1) / (2K). With every
// cell of the 2 x r table occupied this subtracts (r - 1) / (2K), the plug-in's bias when U and
// X are independent; when X determines U it adds 1 / (2K), the entropy bias of the mask bit.
TableInformation table_information(const MaskTable& table);

// What sqrt(2 max(I_MM, 0)) averages to, to first order in 1/K, when U and X are independent
// and X takes r values: E sqrt(max(chi^2_{r-1} - (r - 1), 0) / K). The upward bias of the
// disintegrated bounds at I^z = 0 (0 for r <= 1).
double null_root_information(int observed_symbols, std::int64_t masks);

}  // namespace sdegen::supersample
