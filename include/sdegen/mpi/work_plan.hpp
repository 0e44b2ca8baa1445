// Static assignment of work items (blocks of replicates) to ranks. Results never depend on it:
// it only balances the load, greedily by estimated cost (largest first, least-loaded rank).
#pragma once
#include <vector>

namespace sdegen {

// owner[i] = rank that computes item i. Deterministic for given costs and rank count.
std::vector<int> assign_work(const std::vector<double>& costs, int ranks);

}  // namespace sdegen
