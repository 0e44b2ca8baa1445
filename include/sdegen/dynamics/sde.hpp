// The SDE surrogate of SGD, dW = -G ds + (eta C)^{1/2} dB, by Euler-Maruyama with k substeps of
// ds = eta / k: W -= (eta/k) G + (eta/sqrt k) xi, xi ~ N(0, C), C = kappa Sigma_S (+ lambda I).
#pragma once
#include "sdegen/config/grid.hpp"
#include "sdegen/dynamics/dynamics.hpp"
#include "sdegen/dynamics/lr_schedule.hpp"
#include "sdegen/dynamics/noise_floor.hpp"
#include "sdegen/dynamics/sde_noise.hpp"

namespace sdegen {

class Sde : public Dynamics {
 public:
  Sde(const Problem& problem, const Dataset& data, const CellParams& cell, TrainingStreams streams);
  void step(int t, Vector& w, const ExampleGradients* at_start) override;

 private:
  const Problem& problem_;
  const Dataset& data_;
  LearningRateSchedule schedule_;
  int substeps_;
  double kappa_;
  TrainingStreams streams_;
  NoiseFloor floor_;
  Vector gradient_, noise_;
  SdeWorkspace work_;
};

}  // namespace sdegen
