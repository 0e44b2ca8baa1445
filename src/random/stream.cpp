// Philox streams: key = (seed, purpose), counter = (i, 0, cell, replicate), i counting draws.
// Normals come from Boost's ziggurat, whose algorithm is fixed, so streams are portable.
#include "sdegen/random/stream.hpp"

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>

namespace sdegen {

Stream::Stream(std::uint64_t seed, std::uint64_t cell, std::uint64_t replicate, Purpose purpose)
    : engine_(r123::Philox4x64::ukey_type{{seed, static_cast<std::uint64_t>(purpose)}}) {
  engine_.setcounter(r123::Philox4x64::ctr_type{{0, 0, cell, replicate}}, 0);
}

double Stream::uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

std::uint64_t Stream::below(std::uint64_t bound) {
  return boost::random::uniform_int_distribution<std::uint64_t>(0, bound - 1)(engine_);
}

double Stream::normal() { return boost::random::normal_distribution<double>()(engine_); }

void Stream::fill_normal(double* out, Eigen::Index count) {
  boost::random::normal_distribution<double> dist;
  for (Eigen::Index i = 0; i < count; ++i) out[i] = dist(engine_);
}

}  // namespace sdegen
