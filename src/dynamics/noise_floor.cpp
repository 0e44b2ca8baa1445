// The noise floor's draw: d standard normals from the step's noise stream, scaled by sqrt(lambda).
// One draw per call, so a step's floor noise is its own d normals whatever the dynamics.
#include "sdegen/dynamics/noise_floor.hpp"

#include <cmath>

namespace sdegen {

void NoiseFloor::add_to(Vector& v, Stream& stream) {
  draw_.resize(v.size());
  stream.fill_normal(draw_);
  v += std::sqrt(variance_) * draw_;
}

}  // namespace sdegen
