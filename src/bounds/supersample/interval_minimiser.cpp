// Grid-then-golden-section minimisation. The log grid finds the basin whatever the scale of the
// optimum (it ranges over decades as the information term varies); golden section then needs
// nothing but function values.
#include "sdegen/bounds/supersample/interval_minimiser.hpp"

#include <cmath>
#include <stdexcept>

namespace sdegen::supersample {

ScalarMinimum minimise_on_log_grid(const std::function<double(double)>& f, double lo, double hi, int grid_points,
                                   double relative_tolerance) {
  if (!(lo > 0) || !(hi > lo) || grid_points < 3) throw std::invalid_argument("minimise_on_log_grid: need 0 < lo < hi");
  const double ratio = std::pow(hi / lo, 1.0 / (grid_points - 1));
  int best = 0;
  double best_value = INFINITY;
  for (int k = 0; k < grid_points; ++k) {
    const double x = k == grid_points - 1 ? hi : lo * std::pow(ratio, k);
    const double value = f(x);
    if (value < best_value) best_value = value, best = k;
  }
  auto grid = [&](int k) { return k <= 0 ? lo : k >= grid_points - 1 ? hi : lo * std::pow(ratio, k); };
  double a = grid(best - 1), b = grid(best + 1);
  const double inverse_golden = (std::sqrt(5.0) - 1) / 2;
  double x1 = b - inverse_golden * (b - a), x2 = a + inverse_golden * (b - a);
  double f1 = f(x1), f2 = f(x2);
  while (b - a > relative_tolerance * 0.5 * (a + b)) {
    if (f1 <= f2) {
      b = x2, x2 = x1, f2 = f1;
      x1 = b - inverse_golden * (b - a), f1 = f(x1);
    } else {
      a = x1, x1 = x2, f1 = f2;
      x2 = a + inverse_golden * (b - a), f2 = f(x2);
    }
  }
  ScalarMinimum out{0.5 * (a + b), f(0.5 * (a + b))};
  if (best_value < out.value) out = {grid(best), best_value};  // never worse than the grid
  return out;
}

}  // namespace sdegen::supersample
