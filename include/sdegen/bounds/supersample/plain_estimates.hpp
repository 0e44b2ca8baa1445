// The plain supersample bounds of one logged step from one loss-pair histogram per group of
// replicates, each with its delete-one-group jackknife bias correction and standard error.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "sdegen/bounds/supersample/jackknife_estimate.hpp"
#include "sdegen/bounds/supersample/loss_pair_histogram.hpp"
#include "sdegen/bounds/supersample/plain_bounds.hpp"

namespace sdegen::supersample {

struct PlainEstimates {
  int groups = 0;         // non-empty groups (the jackknife's G)
  std::int64_t pairs = 0; // N_tot
  bool interpolating = false;

  // Information terms (nats): reported = bias-corrected, possibly below 0 (an estimate of a
  // non-negative quantity; a negative value says "consistent with 0").
  JackknifeEstimate gap_information, single_information, pair_information;
  // Linear in the counts, so their jackknife is exact: plugin = bias_corrected.
  JackknifeEstimate mean_training_loss, gen, gap_second_moment;

  // Bounds: reported = the bound evaluated at the bias-corrected information term (clamped at 0,
  // flagged) and the full-data moments; stderr_ from the delete-one plug-in bound values.
  std::array<JackknifeEstimate, kPlainBoundCount> bounds;
  std::array<double, kPlainBoundCount> parameter{};  // b6, b10, b13: the optimum at `reported`
  std::array<bool, kPlainBoundCount> applicable{};   // b11 needs interpolation

  PlainInformation predicted_null_bias;  // null_bias() of the pooled counts
};

// groups: one count matrix per group (fixed sets of replicate blocks, so results do not depend
// on how replicates were spread over ranks); all of one shape. Empty groups are ignored; at
// least one pair overall is required (std::invalid_argument otherwise).
PlainEstimates plain_estimates(const std::vector<PairCounts>& groups);

// The same at every logged step, from one histogram per group (all of one shape).
std::vector<PlainEstimates> plain_estimates_by_step(const std::vector<LossPairHistogram>& groups);

}  // namespace sdegen::supersample
