// One-dimensional minimisation of a bound over its free parameter: the best point of a
// log-spaced grid, refined by golden-section search between that point's grid neighbours.
#pragma once
#include <functional>

namespace sdegen::supersample {

struct ScalarMinimum {
  double x = 0;
  double value = 0;
};

// Minimises f on [lo, hi], 0 < lo < hi. Exact for unimodal f (the grid only brackets the
// minimum); for other f it finds the best of the grid's basins. The refinement stops when the
// bracket is below relative_tolerance * x.
ScalarMinimum minimise_on_log_grid(const std::function<double(double)>& f, double lo, double hi,
                                   int grid_points = 64, double relative_tolerance = 1e-12);

}  // namespace sdegen::supersample
