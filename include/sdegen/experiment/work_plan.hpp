// The work of a run: every active cell's replicates cut into blocks (the unit of work, of
// checkpoints and of the ordered merge), their estimated costs, and which rank computes each.
#pragma once
#include <vector>

#include "sdegen/experiment/experiment_setup.hpp"

namespace sdegen {

struct WorkItem {
  int cell, block, first, last;  // replicates [first, last)
};

struct WorkPlan {
  std::vector<WorkItem> items;  // cells in active order, blocks ascending
  std::vector<double> costs;    // estimated flops per item
  std::vector<int> owner;       // rank computing each item; -1 once restored from a checkpoint
};

WorkPlan plan_work(const ExperimentSetup& setup, int ranks);

// Estimated cost of one replicate of a cell, in flops (for load balance and progress only).
double replicate_cost(const CellParams& cell);

// owner[i] = rank that computes item i: longest processing time first onto the least-loaded
// rank. Deterministic for given costs and rank count; results never depend on it.
std::vector<int> assign_work(const std::vector<double>& costs, int ranks);

}  // namespace sdegen
