// A training dynamics: one step at a time on a fixed training set, with the replicate's
// training streams. sgd, sde and gd implement it; dynamics_registry.hpp builds them by name.
#pragma once
#include "sdegen/problems/example_gradients.hpp"
#include "sdegen/problems/problem.hpp"
#include "sdegen/random/stream.hpp"

namespace sdegen {

struct TrainingStreams {
  Stream batches;  // minibatch indices
  Stream noise;    // Gaussian noise (the SDE's, and the noise floor's)
};

class Dynamics {
 public:
  virtual ~Dynamics() = default;
  // Step t (1-based): W_t from W_{t-1}, in place. `at_start`, when given, are the per-example
  // gradients at W_{t-1}, already computed for the bounds: reused, not redone. Given as scaled rows
  // of X (margin models), the step computes exactly what it computes without them.
  virtual void step(int t, Vector& w, const ExampleGradients* at_start = nullptr) = 0;
};

// Runs steps first..last from w (in place) without measuring anything: the coupled and extra
// runs of the terminal-state analysis. Returns false, and stops, when w stops being finite.
bool train_steps(Dynamics& dynamics, int first, int last, Vector& w);

}  // namespace sdegen
