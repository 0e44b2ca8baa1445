// The conditional supersample bounds from the nested design (M supersamples x K masks): per
// pair and supersample the Miller-Madow MI of its 2 x r table, averaged, with a jackknife over
// supersamples and the bias that only more masks K remove.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sdegen/bounds/supersample/jackknife_estimate.hpp"
#include "sdegen/bounds/supersample/supersample_tables.hpp"

namespace sdegen::supersample {

// The symbols decide the bound: loss difference -> B7 (root inside) and B7' (root outside);
// loss pair -> B4; prediction pair -> B3 (Harutyunyan et al. 2021).
struct ConditionalEstimates {
  int supersamples = 0;  // M (the jackknife's groups)
  int pairs = 0;         // n
  std::int64_t min_masks = 0, max_masks = 0;  // K per (supersample, pair) table

  // (1/(M n)) sum_{m,i} I_MM(m, i): the conditional information I(X_i; U_i | Z~) in nats.
  JackknifeEstimate mean_information;
  // (1/(M n)) sum sqrt(2 max(I_MM, 0)): B7 / B4 / B3 (disintegrated, root inside).
  JackknifeEstimate root_inside;
  // sqrt(2 max(mean_information, 0)): B7' (root outside; the recommended conditional bound).
  JackknifeEstimate root_outside;

  // K-bias: the jackknife over supersamples cannot remove it (it is the same in every cell).
  double root_inside_null_value = 0;  // root_inside's mean if every I^z were 0: its upward bias scale
  double miller_madow_shift = 0;      // mean of I_MM - I_plugin: the first-order bias removed
  std::string bias_note() const;      // both statements in words, with the numbers
};

// All supersamples of one shape (pairs, symbols); at least one (std::invalid_argument otherwise).
ConditionalEstimates conditional_estimates(const std::vector<SupersampleTables>& supersamples);

}  // namespace sdegen::supersample
