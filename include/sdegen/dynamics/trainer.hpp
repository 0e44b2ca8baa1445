// The dynamics of one replicate: sgd, sde (Euler-Maruyama with optional substeps) or gd,
// one step at a time on a fixed training set, with the replicate's random streams.
#pragma once
#include "sdegen/config/grid.hpp"
#include "sdegen/dynamics/batch_sampler.hpp"
#include "sdegen/dynamics/lr_schedule.hpp"
#include "sdegen/dynamics/sde_noise.hpp"
#include "sdegen/problems/problem.hpp"

namespace sdegen {

enum class Algorithm { sgd, sde, gd };
Algorithm parse_algorithm(const std::string& name);

class Trainer {
 public:
  Trainer(const Problem& problem, const Dataset& data, const CellParams& cell, Stream batches,
          Stream noise);
  // Step t (1-based): W_t from W_{t-1}, in place.
  void step(int t, Vector& w);

 private:
  const Problem& problem_;
  const Dataset& data_;
  Algorithm algorithm_;
  LearningRateSchedule schedule_;
  int substeps_;
  double kappa_;
  BatchSampler sampler_;
  Stream batch_stream_, noise_stream_;
  Vector gradient_, noise_;
  Matrix mean_weights_;  // gd: the full gradient as a weighted sum with weights 1/n
  GradientScratch scratch_;
  SdeWorkspace sde_work_;
};

}  // namespace sdegen
