// The [bounds] section of a config as typed settings; the values were range-checked by the
// option table, cross-option checks happen where a cell is known (the estimators).
#include "sdegen/bounds/bounds_config.hpp"

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
  b.max_dense_dim = static_cast<int>(config.integer("bounds.max_dense_dim"));
  return b;
}

}  // namespace sdegen
