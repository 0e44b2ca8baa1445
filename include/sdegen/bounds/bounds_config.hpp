// Which bounds a run computes and with what settings: the [bounds] section of the config.
// Shared by all cells (not swept).
#pragma once
#include "sdegen/config/config.hpp"

namespace sdegen {

struct BoundsConfig {
  bool trajectory = false;
  bool terminal = false;
  int logdet_every = 1;
  int flatness_samples = 4;
  int negrea_m = 0;  // 0: n - 1
  int stationary_steps = 0;
  int jackknife_groups = 20;
  double newton_tol = 1e-9;
  bool supersample = false;
  int supersample_levels = 32;  // B: quantisation levels of a continuous bounded loss
  int supersample_masks = 0;    // K: masks per supersample of the nested design (0: none)
  // Largest d for which d x d matrices are formed (the terminal analysis, traj_align's C_mu).
  int max_dense_dim = 256;

  bool any() const { return trajectory || terminal || supersample; }
  bool nested() const { return supersample && supersample_masks > 0; }
  // Throws UsageError when the nested design's supersamples would straddle replicate blocks or
  // parts (mc.block, mc.first_replicate and mc.replicates must be multiples of K).
  static BoundsConfig from(const RunConfig& config);
};

}  // namespace sdegen
