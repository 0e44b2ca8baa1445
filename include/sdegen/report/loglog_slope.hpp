// Power-law exponent of a quantity against n: the slope of log y on log x by weighted least
// squares, with var(log y) ~ (stderr / y)^2 (delta method), and the slope's standard error.
#pragma once
#include <vector>

namespace sdegen {

struct SlopeFit {
  double slope = 0, slope_stderr = 0, intercept = 0;
  int points = 0;  // points used (finite, y > 0)
  bool ok = false;  // at least two distinct x among them
};

SlopeFit fit_loglog_slope(const std::vector<double>& x, const std::vector<double>& y,
                          const std::vector<double>& y_stderr);

}  // namespace sdegen
