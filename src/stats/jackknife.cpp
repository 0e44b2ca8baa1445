// The jackknife error bar. Groups are fixed sets of replicate blocks, so the error bar does not
// depend on the number of ranks either.
#include "sdegen/stats/jackknife.hpp"

#include <cmath>

namespace sdegen {

double jackknife_error(const std::vector<double>& leave_one_out) {
  const double g = static_cast<double>(leave_one_out.size());
  if (g < 2) return NAN;
  double mean = 0;
  for (double v : leave_one_out) mean += v / g;
  double sum = 0;
  for (double v : leave_one_out) sum += std::pow(v - mean, 2);
  return std::sqrt((g - 1) / g * sum);
}

}  // namespace sdegen
