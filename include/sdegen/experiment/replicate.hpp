// One replicate: draw a training set and W_0 from the replicate's streams, train, and record the
// per-step quantities at the logged steps. A non-finite value, or one beyond 1e100 in magnitude
// (its square could overflow the accumulators), marks it diverged.
#pragma once
#include <cstdint>

#include "sdegen/bounds/bound_layout.hpp"
#include "sdegen/bounds/terminal_state.hpp"
#include "sdegen/config/grid.hpp"
#include "sdegen/problems/problem.hpp"
#include "sdegen/stats/quantities.hpp"

namespace sdegen {

struct ReplicateTrace {
  Eigen::VectorXd values;  // flattened (logged step, column), see QuantityLayout::flat
  Eigen::VectorXd logdet;  // log det C(W_t) per logged step, when defined
  bool diverged = false;
  bool logdet_ok = false;  // false when undefined or numerically singular
  Eigen::VectorXd trajectory;  // see BoundLayout's trajectory vector (when asked for)
  bool trajectory_ok = false;  // every entry finite
  TerminalRecord terminal;     // when asked for
};

void run_replicate(const Problem& problem, const CellParams& cell, const QuantityLayout& layout,
                   const BoundLayout& bounds, std::uint64_t seed, std::uint64_t replicate, ReplicateTrace& trace);

}  // namespace sdegen
