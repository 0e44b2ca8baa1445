// The GD step: the full gradient as one weighted gradient sum (weights 1/n), from the per-example
// gradients when the bounds already computed them.
#include "sdegen/dynamics/gd.hpp"

namespace sdegen {

Gd::Gd(const Problem& problem, const Dataset& data, const CellParams& cell, TrainingStreams streams)
    : problem_(problem), data_(data), schedule_(cell), streams_(streams), floor_(cell.noise_floor) {}

void Gd::step(int t, Vector& w, const ExampleGradients* at_start) {
  const double eta = schedule_.at(t);
  if (at_start && at_start->known_mean()) {
    gradient_ = *at_start->known_mean();
  } else {
    if (mean_weights_.rows() != data_.size()) mean_weights_ = Matrix::Constant(data_.size(), 1, 1.0 / data_.size());
    if (at_start)
      at_start->weighted_sums(mean_weights_, sums_, scratch_.rows);
    else
      problem_.weighted_gradient_sums(data_, w, mean_weights_, sums_, scratch_);
    gradient_ = sums_.col(0);
  }
  if (floor_.active()) floor_.add_to(gradient_, streams_.noise);
  w -= eta * gradient_;
}

}  // namespace sdegen
