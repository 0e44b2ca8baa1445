// The delete-a-group jackknife standard error of a figure from its leave-one-group-out
// recomputations: sqrt((G - 1) / G sum_g (theta_(g) - mean)^2), NaN with fewer than two groups.
#pragma once
#include <vector>

namespace sdegen {

double jackknife_error(const std::vector<double>& leave_one_out);

// The same for figure(e) of each leave-one-group-out evaluation e.
template <class Evaluation, class Figure>
double jackknife_error_of(const std::vector<Evaluation>& leave_one_out, Figure figure) {
  std::vector<double> values;
  values.reserve(leave_one_out.size());
  for (const auto& e : leave_one_out) values.push_back(figure(e));
  return jackknife_error(values);
}

}  // namespace sdegen
