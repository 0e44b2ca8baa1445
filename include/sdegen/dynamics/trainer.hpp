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
  // Step t (1-based): W_t from W_{t-1}, in place. `example_gradients`, when given, are the
  // per-example gradients at W_{t-1} (n x d), already computed for the bounds: reused, not redone.
  void step(int t, Vector& w, const Matrix* example_gradients = nullptr);

 private:
  void add_floor_noise(Vector& noise);  // noise += sqrt(lambda) N(0, I)
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
  double noise_floor_;   // lambda
  Vector floor_noise_;
  GradientScratch scratch_;
  SdeWorkspace sde_work_;
};

// Runs steps first..last from w (in place) without measuring anything: the coupled and extra
// runs of the terminal-state analysis. Returns false, and stops, when w stops being finite.
bool train_steps(Trainer& trainer, int first, int last, Vector& w);

}  // namespace sdegen
