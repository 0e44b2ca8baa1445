// Where the supersample estimator keeps what: the integer loss-pair table of every logged step,
// the moments of each unit (a replicate, or in the nested design a supersample), and the record a
// replicate of the nested design defers until its block ends.
#pragma once
#include <cstdint>

namespace sdegen {

struct SupersampleLayout {
  int steps = 0;               // logged steps
  int levels = 1;              // B: loss levels 0..B
  int pairs = 0;               // n
  int masks = 0;               // K, masks per supersample (0: no nested design)
  int prediction_symbols = 0;  // C, prediction symbols of a classifier (0: none, or no nested design)

  // Counts: per logged step, the (B + 1) x (B + 1) table N[a][b] of pairs with training-member
  // level a and held-out level b, row-major.
  int table_size() const { return (levels + 1) * (levels + 1); }
  std::int64_t count_size() const { return std::int64_t{steps} * table_size(); }
  std::int64_t count(int row, int training_level, int heldout_level) const {
    return std::int64_t{row} * table_size() + training_level * (levels + 1) + heldout_level;
  }

  // Moments of a unit, in the bounded loss's units: per logged step the held-out mean loss minus
  // the training loss (gen_ss), the held-out mean loss, and the measured gen of the replicate
  // (quantities), each averaged over the unit's replicates.
  int gen_ss(int row) const { return 3 * row; }
  int heldout(int row) const { return 3 * row + 1; }
  int gen_measured(int row) const { return 3 * row + 2; }
  int plain_size() const { return 3 * steps; }
  // Nested design, per supersample: the masks it got, then for each symbol kind sums over its
  // pairs of the table information (Miller-Madow), its root sqrt(2 max(I, 0)), the root's null
  // value, the Miller-Madow correction, and the number of tables (pairs with a mask).
  enum Kind { gap, pair, prediction, kinds };  // Delta_i (b7, b7'), L_i (b4), F_i (b3)
  enum Field { information, root, null_root, shift, tables, fields };
  int masks_seen() const { return plain_size(); }
  int conditional(int kind, int field) const { return plain_size() + 1 + kind * fields + field; }
  int record_size() const { return plain_size() + (masks > 0 ? 1 + kinds * fields : 0); }

  // A nested replicate's deferred record: its supersample m, its plain figures (plain_size), its
  // mask bits U (n), then its column-ordered symbols of each kind (n each; prediction only when C > 0).
  int deferred_plain() const { return 1; }
  int deferred_mask() const { return 1 + plain_size(); }
  int deferred_symbols(int kind) const { return deferred_mask() + pairs * (1 + kind); }
  int deferred_size() const { return deferred_symbols(prediction_symbols > 0 ? kinds : prediction); }
  // Symbols of each kind: loss difference 2B + 1, loss pair (B + 1)^2, prediction pair C^2.
  int symbols(int kind) const {
    return kind == gap ? 2 * levels + 1 : kind == pair ? table_size() : prediction_symbols * prediction_symbols;
  }
};

}  // namespace sdegen
