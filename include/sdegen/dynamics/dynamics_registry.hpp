// Every dynamics sdegen knows, with what it offers (a Gaussian step, the minibatch noise model,
// ...): the only place that maps algorithm names to classes. Bound validity derives from these.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sdegen/config/grid.hpp"
#include "sdegen/dynamics/dynamics.hpp"

namespace sdegen {

// What a dynamics guarantees in a given cell. Everything defaults to false, so a dynamics that
// declares nothing never gets a guaranteed bound.
struct DynamicsCapabilities {
  // Given (S, W_{t-1}), W_t ~ N(W_{t-1} - eta_t G, eta_t^2 C_t) exactly, C_t = kappa Sigma_S
  // (+ lambda I): the KL chain of the trajectory bounds is exact for it.
  bool gaussian_step = false;
  // Its gradient noise has the minibatch covariance kappa Sigma_S (sgd, and the sde modelling it):
  // the trajectory bounds' C_t and the terminal-state Lyapunov law describe it.
  bool minibatch_noise = false;
  // W_t = W_{t-1} - eta_t g_t, g_t a function of (S, W_{t-1}) and fresh randomness: the
  // noisy-record argument of wang_mao_2022 holds.
  bool gradient_steps = false;
  // It has randomness of its own (batches or noise), apart from a noise floor.
  bool stochastic = false;
  // The law of W given S does not depend on the order of S's examples (uniform batches, fresh
  // permutations, full gradients): every pair of a supersample then has the same law, which the
  // supersample bounds' pooled estimates need.
  bool exchangeable = false;
  // Each step is this many Euler substeps of eta_t / k: the linearised recursion, its stationary
  // (Lyapunov) law and its edge of stability are those of the substep.
  int substeps = 1;
};

struct DynamicsEntry {
  std::string name, description;
  std::function<DynamicsCapabilities(const CellParams&)> capabilities;
  // Estimated cost of one step in flops (load balance and progress only).
  std::function<double(const CellParams&)> step_cost;
  std::function<std::unique_ptr<Dynamics>(const Problem&, const Dataset&, const CellParams&, TrainingStreams)> make;
  // The dynamics this one is a surrogate of ("" if none): cells differing only in the two are
  // compared (sgd - sde).
  std::string surrogate_of;
};

const std::vector<DynamicsEntry>& dynamics_registry();
// Adds a dynamics (for tests and extensions); register before the option table is first used,
// or the name is not among the choices of train.algorithm.
void register_dynamics(DynamicsEntry entry);
const DynamicsEntry& find_dynamics(const std::string& name);  // throws std::logic_error if unknown
std::vector<std::string> dynamics_names();

std::unique_ptr<Dynamics> make_dynamics(const Problem& problem, const Dataset& data, const CellParams& cell,
                                        TrainingStreams streams);
DynamicsCapabilities dynamics_capabilities(const CellParams& cell);

}  // namespace sdegen
