// SGD: W_t = W_{t-1} - eta_t grad L_B(W_{t-1}) with b distinct examples drawn afresh each step
// (or epoch-wise shuffling), plus the optional noise floor.
#pragma once
#include "sdegen/config/grid.hpp"
#include "sdegen/dynamics/batch_sampler.hpp"
#include "sdegen/dynamics/dynamics.hpp"
#include "sdegen/dynamics/lr_schedule.hpp"
#include "sdegen/dynamics/noise_floor.hpp"

namespace sdegen {

class Sgd : public Dynamics {
 public:
  Sgd(const Problem& problem, const Dataset& data, const CellParams& cell, TrainingStreams streams);
  void step(int t, Vector& w, const ExampleGradients* at_start) override;

 private:
  const Problem& problem_;
  const Dataset& data_;
  LearningRateSchedule schedule_;
  BatchSampler sampler_;
  TrainingStreams streams_;
  NoiseFloor floor_;
  Vector gradient_;
  GradientScratch scratch_;
};

}  // namespace sdegen
