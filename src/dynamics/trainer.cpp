// Step functions. sgd: W -= eta grad L_B; gd: W -= eta G; sde: k substeps of ds = eta / k of
// dW = -G ds + (eta C)^{1/2} dB, i.e. W -= (eta/k) G + (eta/sqrt k) xi with xi ~ N(0, C).
#include "sdegen/dynamics/trainer.hpp"

#include <cmath>
#include <stdexcept>

namespace sdegen {

Algorithm parse_algorithm(const std::string& name) {
  if (name == "sgd") return Algorithm::sgd;
  if (name == "sde") return Algorithm::sde;
  if (name == "gd") return Algorithm::gd;
  throw std::logic_error("unknown algorithm '" + name + "'");
}

Trainer::Trainer(const Problem& problem, const Dataset& data, const CellParams& cell, Stream batches,
                 Stream noise)
    : problem_(problem),
      data_(data),
      algorithm_(parse_algorithm(cell.algorithm)),
      schedule_(cell),
      substeps_(cell.substeps),
      kappa_(minibatch_kappa(cell.n, cell.batch)),
      sampler_(cell.n, cell.batch, cell.sampling == "shuffle"),
      batch_stream_(batches),
      noise_stream_(noise) {}

void Trainer::step(int t, Vector& w) {
  const double eta = schedule_.at(t);
  switch (algorithm_) {
    case Algorithm::sgd:
      problem_.batch_gradient(data_, sampler_.next(batch_stream_), w, gradient_, scratch_);
      w -= eta * gradient_;
      return;
    case Algorithm::gd:
      if (mean_weights_.rows() != data_.size()) mean_weights_ = Matrix::Constant(data_.size(), 1, 1.0 / data_.size());
      problem_.weighted_gradient_sums(data_, w, mean_weights_, sde_work_.sums, scratch_);
      w -= eta * sde_work_.sums.col(0);
      return;
    case Algorithm::sde: {
      const double ds = eta / substeps_, noise_scale = eta / std::sqrt(double(substeps_));
      for (int k = 0; k < substeps_; ++k) {
        gradient_and_noise(problem_, data_, w, kappa_, noise_stream_, gradient_, noise_, sde_work_);
        w -= ds * gradient_ + noise_scale * noise_;
      }
      return;
    }
  }
}

}  // namespace sdegen
