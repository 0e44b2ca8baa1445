// E min(Q, a) with Boost.Math's (non-central) chi-squared CDFs. With x f_{k+2j}(x) =
// (k+2j) f_{k+2j+2}(x) in each Poisson component, E[Q 1{Q<a}] = k F_{k+2} + lambda F_{k+4}.
#include "sdegen/problems/clipped_chi_squared.hpp"

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/non_central_chi_squared.hpp>
#include <cmath>

namespace sdegen {

namespace {
double cdf_at(double k, double lambda, double a) {
  if (lambda <= 0) return boost::math::cdf(boost::math::chi_squared_distribution<double>(k), a);
  return boost::math::cdf(boost::math::non_central_chi_squared_distribution<double>(k, lambda), a);
}
}  // namespace

double expected_clipped_chi_squared(double k, double lambda, double a) {
  if (a <= 0) return 0.0;
  // Far beyond the clip, Q ~ (sqrt(lambda) + N(0,1))^2 + chi^2_{k-1} stays above a except with
  // probability below Phi(-12) ~ 2e-33: E min(Q, a) = a to double precision. Boost's CDF would
  // throw here (its Poisson index overflows an int for lambda beyond ~2^31).
  if (std::sqrt(lambda) - std::sqrt(a) > 12) return a;
  const double below = k * cdf_at(k + 2, lambda, a) + (lambda > 0 ? lambda * cdf_at(k + 4, lambda, a) : 0.0);
  return below + a * (1.0 - cdf_at(k, lambda, a));
}

}  // namespace sdegen
