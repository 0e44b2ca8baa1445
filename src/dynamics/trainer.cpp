// Step functions. sgd: W -= eta grad L_B; gd: W -= eta G; sde: k substeps of ds = eta / k of
// dW = -G ds + (eta C)^{1/2} dB, i.e. W -= (eta/k) G + (eta/sqrt k) xi with xi ~ N(0, C).
// A noise floor lambda adds N(0, lambda I) to the gradient (to xi for sde) of every step.
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
      noise_stream_(noise),
      noise_floor_(cell.noise_floor) {}

void Trainer::step(int t, Vector& w, const Matrix* example_gradients) {
  const double eta = schedule_.at(t);
  switch (algorithm_) {
    case Algorithm::sgd: {
      const Eigen::VectorXi& rows = sampler_.next(batch_stream_);
      if (example_gradients)
        gradient_ = (*example_gradients)(rows, Eigen::all).colwise().mean().transpose();
      else
        problem_.batch_gradient(data_, rows, w, gradient_, scratch_);
      break;
    }
    case Algorithm::gd:
      if (example_gradients) {
        gradient_ = example_gradients->colwise().mean().transpose();
      } else {
        if (mean_weights_.rows() != data_.size()) mean_weights_ = Matrix::Constant(data_.size(), 1, 1.0 / data_.size());
        problem_.weighted_gradient_sums(data_, w, mean_weights_, sde_work_.sums, scratch_);
        gradient_ = sde_work_.sums.col(0);
      }
      break;
    case Algorithm::sde: {
      const double ds = eta / substeps_, noise_scale = eta / std::sqrt(double(substeps_));
      for (int k = 0; k < substeps_; ++k) {
        if (k == 0 && example_gradients)
          noise_from_example_gradients(*example_gradients, kappa_, noise_stream_, gradient_, noise_, sde_work_);
        else
          gradient_and_noise(problem_, data_, w, kappa_, noise_stream_, gradient_, noise_, sde_work_);
        if (noise_floor_ > 0) add_floor_noise(noise_);
        w -= ds * gradient_ + noise_scale * noise_;
      }
      return;
    }
  }
  if (noise_floor_ > 0) {
    noise_.setZero(w.size());
    add_floor_noise(noise_);
    gradient_ += noise_;
  }
  w -= eta * gradient_;
}

bool train_steps(Trainer& trainer, int first, int last, Vector& w) {
  for (int t = first; t <= last; ++t) {
    trainer.step(t, w);
    if (!w.allFinite()) return false;
  }
  return true;
}

void Trainer::add_floor_noise(Vector& noise) {
  floor_noise_.resize(noise.size());
  noise_stream_.fill_normal(floor_noise_);
  noise += std::sqrt(noise_floor_) * floor_noise_;
}

}  // namespace sdegen
