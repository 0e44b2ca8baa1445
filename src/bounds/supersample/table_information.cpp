// Plug-in MI of a 2 x r table with the Miller-Madow correction of its three entropies, and the
// null value of the square-rooted estimate (a one-dimensional chi-squared integral).
#include "sdegen/bounds/supersample/table_information.hpp"

#include <algorithm>
#include <cmath>

namespace sdegen::supersample {

TableInformation table_information(const MaskTable& table) {
  TableInformation out;
  out.masks = table.sum();
  if (out.masks == 0) return out;
  const double k = static_cast<double>(out.masks);
  const Eigen::Array<double, 2, Eigen::Dynamic> p = table.cast<double>().array() / k;
  const Eigen::Array<double, 2, 1> bit = p.rowwise().sum();
  const Eigen::Array<double, 1, Eigen::Dynamic> symbol = p.colwise().sum();
  const Eigen::Array<double, 2, Eigen::Dynamic> independent = bit.matrix() * symbol.matrix();
  out.plugin = std::max(0.0, (p > 0).select(p * (p / independent).log(), 0.0).sum());
  out.observed_symbols = static_cast<int>((symbol > 0).count());
  const Eigen::Index bits = (bit > 0).count(), cells = (p > 0).count();
  out.miller_madow = out.plugin + static_cast<double>((bits - 1) + (out.observed_symbols - 1) - (cells - 1)) / (2 * k);
  return out;
}

double null_root_information(int observed_symbols, std::int64_t masks) {
  if (observed_symbols <= 1 || masks <= 0) return 0.0;
  // E sqrt(max(X - k, 0)) for X ~ chi^2_k, k = r - 1: with X = k + t^2 it is
  // int_0^inf 2 t^2 f_k(k + t^2) dt, a smooth integrand; Simpson's rule to t^2 = k + 40 sqrt(k) + 80.
  const double k = observed_symbols - 1;
  auto density = [k](double x) {
    return std::exp((k / 2 - 1) * std::log(x) - x / 2 - (k / 2) * std::log(2.0) - std::lgamma(k / 2));
  };
  const double top = std::sqrt(k + 40 * std::sqrt(k) + 80);
  const int intervals = 4000;
  const double h = top / intervals;
  double sum = 0;
  for (int j = 1; j < intervals; ++j) {
    const double t = j * h;
    sum += (j % 2 ? 4 : 2) * 2 * t * t * density(k + t * t);
  }
  return sum * h / 3 / std::sqrt(static_cast<double>(masks));
}

}  // namespace sdegen::supersample
