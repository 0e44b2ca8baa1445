// The SGD step. With per-example gradients at hand as a matrix (the bounds computed them) the
// minibatch gradient is their mean over the batch rows; otherwise the problem computes it from the rows.
#include "sdegen/dynamics/sgd.hpp"

namespace sdegen {

Sgd::Sgd(const Problem& problem, const Dataset& data, const CellParams& cell, TrainingStreams streams)
    : problem_(problem),
      data_(data),
      schedule_(cell),
      sampler_(cell.n, cell.batch, cell.sampling == "shuffle"),
      streams_(streams),
      floor_(cell.noise_floor) {}

void Sgd::step(int t, Vector& w, const ExampleGradients* at_start) {
  const double eta = schedule_.at(t);
  const Eigen::VectorXi& rows = sampler_.next(streams_.batches);
  if (at_start && at_start->dense())
    gradient_ = (*at_start->dense())(rows, Eigen::all).colwise().mean().transpose();
  else
    problem_.batch_gradient(data_, rows, w, gradient_, scratch_);
  if (floor_.active()) floor_.add_to(gradient_, streams_.noise);
  w -= eta * gradient_;
}

}  // namespace sdegen
