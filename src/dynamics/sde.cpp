// The SDE step: gradient and exact Gaussian noise from one pass over the data per substep; the
// first substep reuses the per-example gradients (or scales) the bounds already computed.
#include "sdegen/dynamics/sde.hpp"

#include <cmath>

namespace sdegen {

Sde::Sde(const Problem& problem, const Dataset& data, const CellParams& cell, TrainingStreams streams)
    : problem_(problem),
      data_(data),
      schedule_(cell),
      substeps_(cell.substeps),
      kappa_(minibatch_kappa(cell.n, cell.batch)),
      streams_(streams),
      floor_(cell.noise_floor) {}

void Sde::step(int t, Vector& w, const ExampleGradients* at_start) {
  const double eta = schedule_.at(t);
  const double ds = eta / substeps_, noise_scale = eta / std::sqrt(double(substeps_));
  for (int k = 0; k < substeps_; ++k) {
    if (k == 0 && at_start)
      noise_from_example_gradients(*at_start, kappa_, streams_.noise, gradient_, noise_, work_);
    else
      gradient_and_noise(problem_, data_, w, kappa_, streams_.noise, gradient_, noise_, work_);
    if (floor_.active()) floor_.add_to(noise_, streams_.noise);
    w -= ds * gradient_ + noise_scale * noise_;
  }
}

}  // namespace sdegen
