// One log per 64 entries: mantissas multiplied, exponents summed, so no entry's scale can overflow
// or underflow the product.
#include "sdegen/linalg/sum_of_logs.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace sdegen {

double sum_of_logs(const Eigen::Ref<const Eigen::VectorXd, 0, Eigen::InnerStride<>>& x) {
  constexpr int kChunk = 64;  // 64 factors in [sqrt(1/2), sqrt(2)) stay within 2^-32 .. 2^32
  constexpr double kSqrtHalf = 0.70710678118654752440;
  double sum = 0;
  // Four partial products (16 factors each per chunk): one chain of multiplies would wait on itself.
  double products[4] = {1, 1, 1, 1};
  long exponents = 0;
  int factors = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double value = x[i];
    if (!(value > 0 && std::isfinite(value))) {
      sum += std::log(value);  // -inf, NaN or +inf: the sum is that
      continue;
    }
    // value = m 2^e with m in [sqrt(1/2), sqrt(2)) (exact): an entry near 1 keeps e = 0, so its
    // log does not come from a log of about 1/2 cancelling against ln 2. From the bits for normal
    // numbers, without branches on the data (frexp is a library call, and it and mispredicted
    // branches dominated at the d of the bounds); subnormals take frexp.
    int exponent = 0;
    double mantissa = 0;
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    if (bits >> 52 != 0) {
      const std::uint64_t mantissa_bits = (bits & 0x000fffffffffffffu) | 0x3ff0000000000000u;
      std::memcpy(&mantissa, &mantissa_bits, sizeof mantissa);  // in [1, 2)
      const bool high = mantissa >= 2 * kSqrtHalf;
      mantissa *= high ? 0.5 : 1.0;
      exponent = static_cast<int>(bits >> 52) - 1023 + static_cast<int>(high);
    } else {
      mantissa = std::frexp(value, &exponent);  // in [1/2, 1)
      if (mantissa < kSqrtHalf) {
        mantissa *= 2;
        --exponent;
      }
    }
    products[factors % 4] *= mantissa;
    exponents += exponent;
    if (++factors == kChunk) {  // take the chunk's log and start a new product
      sum += std::log((products[0] * products[1]) * (products[2] * products[3]));
      products[0] = products[1] = products[2] = products[3] = 1;
      factors = 0;
    }
  }
  const double product = (products[0] * products[1]) * (products[2] * products[3]);
  // ln 2 in two parts (as in fdlibm): the high part has 21 trailing zero bits, so E ln2_hi is exact
  // and is added last.
  constexpr double kLn2High = 0x1.62e42feep-1, kLn2Low = 0x1.a39ef35793c76p-33;
  const double e = static_cast<double>(exponents);
  return (sum + std::log(product) + e * kLn2Low) + e * kLn2High;
}

}  // namespace sdegen
