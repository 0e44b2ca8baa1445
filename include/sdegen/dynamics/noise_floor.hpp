// The optional isotropic noise floor: N(0, lambda I) added to every step's gradient (to the SDE's
// noise). It changes the algorithm, and makes the step covariance invertible when d >= n.
#pragma once
#include "sdegen/problems/problem.hpp"
#include "sdegen/random/stream.hpp"

namespace sdegen {

class NoiseFloor {
 public:
  explicit NoiseFloor(double variance) : variance_(variance) {}
  bool active() const { return variance_ > 0; }
  // v += sqrt(lambda) N(0, I), drawn from `stream`.
  void add_to(Vector& v, Stream& stream);

 private:
  double variance_;
  Vector draw_;
};

}  // namespace sdegen
