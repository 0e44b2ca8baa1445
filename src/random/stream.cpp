// Philox streams: key = (seed, purpose), counter = (i, 0, options key, replicate), i counting blocks of
// four 64-bit words. Normals: Marsaglia's polar method, logarithms vectorised by Eigen.
#include "sdegen/random/stream.hpp"

#include <algorithm>
#include <boost/random/uniform_int_distribution.hpp>

namespace sdegen {

Stream::Stream(std::uint64_t seed, std::uint64_t key, std::uint64_t replicate, Purpose purpose)
    : key_{{seed, static_cast<std::uint64_t>(purpose)}}, counter_{{0, 0, key, replicate}}, block_{} {}

void Stream::refill() {
  block_ = bijection_(counter_, key_);
  ++counter_[0];
  position_ = 0;
}

double Stream::uniform() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }

std::uint64_t Stream::below(std::uint64_t bound) {
  return boost::random::uniform_int_distribution<std::uint64_t>(0, bound - 1)(*this);
}

void Stream::fill_normal(double* out, Eigen::Index count) {
  // Polar method: (u, v) uniform in the unit disc, s = u^2 + v^2; then u f and v f with
  // f = sqrt(-2 log(s) / s) are independent standard normals. Each 64-bit word gives one
  // candidate (u, v) from its two 32-bit halves, centred on a grid of step 2^-31 (never 0):
  // the distribution is exact up to that grid, and |z| reaches 9 before the grid shows.
  // It needs 1.27 words per pair, against 1 word per normal for Boost's ziggurat, and no
  // per-number branch: about 1.6 times as fast here (tests/bench), Philox being half the cost.
  constexpr int kChunk = 128;
  constexpr double kStep = 0x1.0p-31;
  alignas(64) double u[kChunk], v[kChunk], s[kChunk], f[kChunk];
  Eigen::Index filled = 0;
  while (filled < count) {
    const int pairs = static_cast<int>(std::min<Eigen::Index>(kChunk, (count - filled + 1) / 2));
    for (int kept = 0; kept < pairs;) {
      const std::uint64_t word = (*this)();
      const double a = (static_cast<double>(word >> 32) + 0.5) * kStep - 1;
      const double b = (static_cast<double>(word & 0xffffffffu) + 0.5) * kStep - 1;
      u[kept] = a;  // written always, kept only inside the disc: no branch to mispredict
      v[kept] = b;
      s[kept] = a * a + b * b;
      kept += s[kept] < 1;
    }
    Eigen::Map<Eigen::ArrayXd> radius2(s, pairs), factor(f, pairs);
    factor = (-2 * radius2.log() / radius2).sqrt();
    for (int i = 0; i < pairs; ++i) {
      out[filled++] = u[i] * f[i];
      if (filled < count) out[filled++] = v[i] * f[i];
    }
  }
}

}  // namespace sdegen
