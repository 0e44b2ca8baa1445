// Delete-one-group jackknife of one supersample figure: Quenouille's bias correction of the plug-in
// value and Tukey's variance, over the engine's jackknife groups of replicate blocks.
#include "sdegen/bounds/supersample/jackknife_estimate.hpp"

#include <cmath>

namespace sdegen::supersample {

JackknifeEstimate jackknife(double full, const std::vector<double>& leave_one_out) {
  JackknifeEstimate out;
  out.plugin = out.reported = full;
  const double g = static_cast<double>(leave_one_out.size());
  if (leave_one_out.size() < 2) return out;
  double mean = 0;
  for (double v : leave_one_out) mean += v / g;
  double sum = 0;
  for (double v : leave_one_out) sum += (v - mean) * (v - mean);
  out.leave_one_out_mean = mean;
  out.bias_corrected = out.reported = g * full - (g - 1) * mean;
  out.stderr_ = std::sqrt((g - 1) / g * sum);
  return out;
}

}  // namespace sdegen::supersample
