// The [bounds] section of a config as typed settings; the values were range-checked by the
// option table, cross-option checks happen where a cell is known (the estimators).
#include "sdegen/bounds/bounds_config.hpp"

#include "sdegen/config/usage_error.hpp"

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
  b.supersample = config.boolean("bounds.supersample");
  b.supersample_levels = static_cast<int>(config.integer("bounds.supersample_levels"));
  b.supersample_masks = static_cast<int>(config.integer("bounds.supersample_masks"));
  if (b.nested()) {
    // Replicate r is mask r mod K of supersample r / K: a supersample's K replicates must lie in
    // one block (its tables are reduced when the block ends) and in one part of a merged study.
    if (b.supersample_masks == 1)
      throw UsageError("option 'bounds.supersample_masks' must be 0 (no nested design) or at least 2");
    for (const char* option : {"mc.block", "mc.first_replicate", "mc.replicates"})
      if (config.integer(option) % b.supersample_masks != 0)
        throw UsageError("option '" + std::string(option) + "' = " + std::to_string(config.integer(option)) +
                         " must be a multiple of 'bounds.supersample_masks' = " +
                         std::to_string(b.supersample_masks) +
                         " (the masks of one supersample are computed in one replicate block)");
  }
  b.max_dense_dim = static_cast<int>(config.integer("bounds.max_dense_dim"));
  return b;
}

}  // namespace sdegen
