// Where each per-replicate bound ingredient sits in the flat vectors that are accumulated:
// the trajectory vector (per step terms, plug-in sums, flatness) and the terminal vector.
#pragma once
#include <string>
#include <vector>

#include "sdegen/bounds/bounds_config.hpp"
#include "sdegen/config/grid.hpp"
#include "sdegen/problems/problem.hpp"

namespace sdegen {

struct BoundLayout {
  BoundsConfig config;
  int steps = 0, dim = 0;
  int logdet_every = 1;
  int thinned = 0;                       // steps whose log det C_t is computed: t = 1, 1 + k, ...
  std::vector<int> thinned_weight;       // steps each of them stands for (k, the last may be fewer)
  std::vector<double> perturbations;     // wang_mao_2022: perturbation std per coordinate, sigma sqrt(T)
  int bounded_loss = -1;                 // the evaluation loss the bounds apply to (finite R)
  double r = 0;                          // its subgaussian constant
  bool logdet_defined = false;           // C_t (+ noise floor) positive definite in principle
  std::string logdet_reason;
  int negrea_m = 0;
  double terminal_eta = 0;               // the learning rate of the last step

  // Trajectory vector: [a_zero(T), a_pop(T), logdet(K), align(K), plugin_zero, plugin_pop,
  // flatness(P)]; step t = 1..T.
  int a_zero(int t) const { return t - 1; }
  int a_pop(int t) const { return steps + t - 1; }
  int logdet(int j) const { return 2 * steps + j; }
  int align(int j) const { return 2 * steps + thinned + j; }
  int plugin_zero() const { return 2 * steps + 2 * thinned; }
  int plugin_pop() const { return plugin_zero() + 1; }
  int flatness(int j) const { return plugin_zero() + 2 + j; }
  int trajectory_size() const { return config.trajectory ? flatness(static_cast<int>(perturbations.size())) : 0; }

  // Terminal vector: [w*(d), Lambda_S(d x d, column-major), ||w* - W_0||^2, negrea term
  // sqrt(2 R^2 KL / (n - m)), its KL, replace-one (training loss, bounded loss), the scaled
  // Mahalanobis distance of W_T from N(w*, Lambda_S) (about 1 at stationarity), and for the
  // stationary check the d x d difference (covariance of the extra iterates about w*) - Lambda_S].
  int w_star() const { return 0; }
  int lambda() const { return dim; }
  int dist_init_sq() const { return dim + dim * dim; }
  int negrea() const { return dist_init_sq() + 1; }
  int negrea_kl() const { return dist_init_sq() + 2; }
  int replace_one_train() const { return dist_init_sq() + 3; }
  int replace_one_bounded() const { return dist_init_sq() + 4; }
  int mahalanobis() const { return dist_init_sq() + 5; }  // (W_T - w*)^T Lambda_S^-1 (W_T - w*) / d
  int stationary_difference() const { return dist_init_sq() + 6; }
  int terminal_size() const { return config.terminal ? stationary_difference() + dim * dim : 0; }
};

BoundLayout make_bound_layout(const BoundsConfig& config, const Problem& problem, const CellParams& cell);

}  // namespace sdegen
