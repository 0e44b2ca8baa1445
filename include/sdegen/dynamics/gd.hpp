// Full-batch gradient descent: W_t = W_{t-1} - eta_t G(W_{t-1}), plus the optional noise floor
// (with it, gd is the Gaussian channel of the noisy-iterative bounds).
#pragma once
#include "sdegen/config/grid.hpp"
#include "sdegen/dynamics/dynamics.hpp"
#include "sdegen/dynamics/lr_schedule.hpp"
#include "sdegen/dynamics/noise_floor.hpp"

namespace sdegen {

class Gd : public Dynamics {
 public:
  Gd(const Problem& problem, const Dataset& data, const CellParams& cell, TrainingStreams streams);
  void step(int t, Vector& w, const ExampleGradients* at_start) override;

 private:
  const Problem& problem_;
  const Dataset& data_;
  LearningRateSchedule schedule_;
  TrainingStreams streams_;
  NoiseFloor floor_;
  Vector gradient_;
  Matrix mean_weights_, sums_;  // the full gradient as a weighted sum with weights 1/n
  GradientScratch scratch_;
};

}  // namespace sdegen
