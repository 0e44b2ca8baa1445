// The per-step quantities recorded for a cell: risks and gen for every evaluation loss, plus the
// gradient-noise statistics the bounds need. One row per logged step, one column per quantity.
#pragma once
#include <string>
#include <vector>

#include "sdegen/config/grid.hpp"
#include "sdegen/problems/problem.hpp"

namespace sdegen {

struct QuantitySpec {
  std::string name, unit, description;
};

struct QuantityLayout {
  std::vector<int> steps;             // the logged steps
  std::vector<QuantitySpec> columns;  // accumulated together; see the index functions
  int loss_count = 0;
  // log det C is accumulated apart: it is undefined (C singular) when n - 1 < d or b = n.
  bool logdet_defined = false;
  std::string logdet_reason;  // why it is undefined, empty when defined

  int train(int loss) const { return 3 * loss; }
  int test(int loss) const { return 3 * loss + 1; }
  int gen(int loss) const { return 3 * loss + 2; }
  int grad_norm_sq() const { return 3 * loss_count; }
  int noise_trace() const { return 3 * loss_count + 1; }
  int dist_init_sq() const { return 3 * loss_count + 2; }
  int width() const { return static_cast<int>(columns.size()); }
  // Position of (logged step k, column c) in the flattened accumulator vector.
  int flat(int k, int c) const { return k * width() + c; }
};

QuantityLayout make_layout(const Problem& problem, const CellParams& cell);

}  // namespace sdegen
