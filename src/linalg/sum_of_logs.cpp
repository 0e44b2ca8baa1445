// One log per 64 entries: mantissas multiplied, exponents summed (frexp), so no entry's scale can
// overflow or underflow the product.
#include "sdegen/linalg/sum_of_logs.hpp"

#include <cmath>

namespace sdegen {

double sum_of_logs(const Eigen::Ref<const Eigen::VectorXd, 0, Eigen::InnerStride<>>& x) {
  constexpr int kChunk = 64;  // the product of 64 mantissas stays above 2^-64
  double sum = 0, product = 1;
  long exponents = 0;
  int factors = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double value = x[i];
    if (!(value > 0 && std::isfinite(value))) {
      sum += std::log(value);  // -inf, NaN or +inf: the sum is that
      continue;
    }
    int exponent = 0;
    product *= std::frexp(value, &exponent);
    exponents += exponent;
    if (++factors == kChunk) {
      sum += std::log(product);
      product = 1;
      factors = 0;
    }
  }
  // ln 2 in two parts (as in fdlibm): the high part has 21 trailing zero bits, so E ln2_hi is exact.
  constexpr double kLn2High = 0x1.62e42feep-1, kLn2Low = 0x1.a39ef35793c76p-33;
  const double e = static_cast<double>(exponents);
  return sum + std::log(product) + (e * kLn2High + e * kLn2Low);
}

}  // namespace sdegen
