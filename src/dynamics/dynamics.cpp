// Steps without measurement, for the coupled and extra runs of the terminal-state analysis.
// Stops at the first non-finite iterate: the caller counts that replicate as failed.
#include "sdegen/dynamics/dynamics.hpp"

namespace sdegen {

bool train_steps(Dynamics& dynamics, int first, int last, Vector& w) {
  for (int t = first; t <= last; ++t) {
    dynamics.step(t, w);
    if (!w.allFinite()) return false;
  }
  return true;
}

}  // namespace sdegen
