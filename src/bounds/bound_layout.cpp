// Builds a cell's BoundLayout: the thinned log-det steps, the perturbation grid, the bounded loss
// and whether C_t can be positive definite at all.
#include "sdegen/bounds/bound_layout.hpp"

#include <cmath>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/dynamics/lr_schedule.hpp"

namespace sdegen {

BoundsConfig BoundsConfig::from(const RunConfig& config) {
  BoundsConfig b;
  b.trajectory = config.boolean("bounds.trajectory");
  b.terminal = config.boolean("bounds.terminal");
  b.logdet_every = static_cast<int>(config.integer("bounds.logdet_every"));
  b.flatness_samples = static_cast<int>(config.integer("bounds.flatness_samples"));
  b.negrea_m = static_cast<int>(config.integer("bounds.negrea_m"));
  b.stationary_steps = static_cast<int>(config.integer("bounds.stationary_steps"));
  b.jackknife_groups = static_cast<int>(config.integer("bounds.jackknife_groups"));
  b.newton_tol = config.real("bounds.newton_tol");
  return b;
}

BoundLayout make_bound_layout(const BoundsConfig& config, const Problem& problem, const CellParams& cell) {
  BoundLayout layout;
  layout.config = config;
  layout.steps = cell.steps;
  layout.dim = problem.dim();
  layout.logdet_every = config.logdet_every;
  for (int t = 1; t <= cell.steps; t += config.logdet_every)
    layout.thinned_weight.push_back(std::min(config.logdet_every, cell.steps - t + 1));
  layout.thinned = static_cast<int>(layout.thinned_weight.size());
  // Perturbation scales a third of a decade apart, from 1e-3 up to a perturbation whose norm
  // (about s sqrt(d)) is the signal's: far beyond, the exact flatness term tends to -gen(W_T) and
  // the bound to |gen| itself, valid but circular (docs/bounds.md).
  const double largest = std::max(cell.signal, 1e-3) / std::sqrt(double(problem.dim()));
  for (int j = 0; std::pow(10.0, -3.0 + j / 3.0) <= largest * (1 + 1e-12); ++j)
    layout.perturbations.push_back(std::pow(10.0, -3.0 + j / 3.0));
  for (int l = 0; l < static_cast<int>(problem.losses().size()); ++l)
    if (std::isfinite(problem.losses()[l].subgaussian_r)) {
      layout.bounded_loss = l;
      layout.r = problem.losses()[l].subgaussian_r;
      break;
    }
  if (cell.noise_floor > 0)
    layout.logdet_defined = true;
  else if (cell.batch == cell.n)
    layout.logdet_reason = "C_t = 0 (b = n) and no noise floor";
  else if (cell.n - 1 < problem.dim())
    layout.logdet_reason = "C_t is singular (rank <= n - 1 < d) and no noise floor";
  else
    layout.logdet_defined = true;
  layout.negrea_m = config.negrea_m > 0 ? config.negrea_m : cell.n - 1;
  if (config.terminal && (layout.negrea_m >= cell.n || layout.negrea_m < cell.batch || layout.negrea_m < 2))
    throw UsageError("option 'bounds.negrea_m' = " + std::to_string(layout.negrea_m) +
                     " must be below data.n = " + std::to_string(cell.n) + " and at least train.batch = " +
                     std::to_string(cell.batch) + " (cell " + std::to_string(cell.index) + ")");
  if (config.stationary_steps == 1)
    throw UsageError("option 'bounds.stationary_steps' must be 0 or at least 2");
  layout.terminal_eta = LearningRateSchedule(cell).at(cell.steps);
  return layout;
}

}  // namespace sdegen
