// The GD step: the full gradient as one weighted gradient sum (weights 1/n), or the mean of the
// per-example gradients when the bounds already computed them.
#include "sdegen/dynamics/gd.hpp"

namespace sdegen {

Gd::Gd(const Problem& problem, const Dataset& data, const CellParams& cell, TrainingStreams streams)
    : problem_(problem), data_(data), schedule_(cell), streams_(streams), floor_(cell.noise_floor) {}

void Gd::step(int t, Vector& w, const Matrix* example_gradients) {
  const double eta = schedule_.at(t);
  if (example_gradients) {
    gradient_ = example_gradients->colwise().mean().transpose();
  } else {
    if (mean_weights_.rows() != data_.size()) mean_weights_ = Matrix::Constant(data_.size(), 1, 1.0 / data_.size());
    problem_.weighted_gradient_sums(data_, w, mean_weights_, sums_, scratch_);
    gradient_ = sums_.col(0);
  }
  if (floor_.active()) floor_.add_to(gradient_, streams_.noise);
  w -= eta * gradient_;
}

}  // namespace sdegen
