// The delete-a-group jackknife standard error of a figure from its leave-one-group-out
// recomputations: sqrt((G - 1) / G sum_g (theta_(g) - mean)^2), NaN with fewer than two groups.
#pragma once
#include <vector>

namespace sdegen {

double jackknife_error(const std::vector<double>& leave_one_out);

}  // namespace sdegen
