// Power-law exponents: weighted least squares of log y on log x with weights 1 / var(log y),
// var(log y) = (stderr / y)^2 by the delta method, and the slope's standard error.
#include "sdegen/report/loglog_slope.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace sdegen {

namespace {
bool finite_positive(double v) { return std::isfinite(v) && v > 0; }
}  // namespace

SlopeFit fit_loglog_slope(const std::vector<double>& x, const std::vector<double>& y,
                          const std::vector<double>& y_stderr) {
  if (x.size() != y.size() || (!y_stderr.empty() && y_stderr.size() != x.size()))
    throw std::invalid_argument("fit_loglog_slope: x, y and y_stderr must have the same length "
                                "(y_stderr may be empty)");
  const double nan = std::numeric_limits<double>::quiet_NaN();

  // A point can be placed on log axes when x and y are finite and positive. If no such point has
  // a finite positive standard error, the errors are missing (or all 0): fit with equal weights.
  bool weighted = false;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (finite_positive(x[i]) && finite_positive(y[i]) && !y_stderr.empty() &&
        finite_positive(y_stderr[i]))
      weighted = true;

  std::vector<double> u, v, w;  // log x, log y, weight
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!finite_positive(x[i]) || !finite_positive(y[i])) continue;
    double weight = 1;
    if (weighted) {
      if (!finite_positive(y_stderr[i])) continue;  // stderr <= 0, NaN or inf: skipped
      const double relative = y_stderr[i] / y[i];   // sd of log y (delta method)
      weight = 1 / (relative * relative);
      if (!finite_positive(weight)) continue;  // relative error under- or overflowed
    }
    u.push_back(std::log(x[i]));
    v.push_back(std::log(y[i]));
    w.push_back(weight);
  }

  SlopeFit fit;
  fit.points = static_cast<int>(u.size());
  fit.slope = fit.slope_stderr = fit.intercept = nan;
  bool distinct = false;
  for (std::size_t i = 1; i < u.size(); ++i) distinct = distinct || u[i] != u[0];
  if (!distinct) return fit;  // fewer than two distinct x: no slope

  // Two passes about the weighted means, so that large log values cost no precision.
  double sw = 0, su = 0, sv = 0;
  for (std::size_t i = 0; i < u.size(); ++i) {
    sw += w[i];
    su += w[i] * u[i];
    sv += w[i] * v[i];
  }
  const double u_bar = su / sw, v_bar = sv / sw;
  double suu = 0, suv = 0;
  for (std::size_t i = 0; i < u.size(); ++i) {
    suu += w[i] * (u[i] - u_bar) * (u[i] - u_bar);
    suv += w[i] * (u[i] - u_bar) * (v[i] - v_bar);
  }
  if (!(suu > 0)) return fit;  // distinct x whose logs coincide in floating point
  fit.slope = suv / suu;
  fit.intercept = v_bar - fit.slope * u_bar;
  fit.ok = true;

  // Weighted residual sum of squares: chi-square when the weights are inverse variances.
  double chi2 = 0;
  for (std::size_t i = 0; i < u.size(); ++i) {
    const double r = v[i] - fit.intercept - fit.slope * u[i];
    chi2 += w[i] * r * r;
  }
  const int dof = fit.points - 2;
  if (weighted) {
    // With inverse-variance weights the WLS covariance gives Var(slope) = 1 / Suu. When there
    // are more than 2 points and the reduced chi-square chi2 / (N - 2) exceeds 1, the scatter
    // about the line is larger than the standard errors claim (e.g. the law is not an exact
    // power law over the range, or the errors are underestimated): the covariance is then
    // scaled by the reduced chi-square. It is never scaled down, so a few points that happen
    // to fit well do not shrink the error bar below what the standard errors imply.
    double variance = 1 / suu;
    if (dof > 0 && chi2 / dof > 1) variance *= chi2 / dof;
    fit.slope_stderr = std::sqrt(variance);
  } else {
    // Equal weights carry no scale: ordinary least squares, whose residual variance
    // chi2 / (N - 2) estimates var(log y). Undefined (NaN) with exactly two points.
    fit.slope_stderr = dof > 0 ? std::sqrt(chi2 / dof / suu) : nan;
  }
  return fit;
}

}  // namespace sdegen
