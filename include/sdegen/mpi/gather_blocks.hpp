// Moves packed per-item results (flat double buffers) from every rank to rank 0, indexed by
// item id, so that rank 0 can merge them in item order whatever rank computed them.
#pragma once
#include <utility>
#include <vector>

#include "sdegen/mpi/communicator.hpp"

namespace sdegen {

// mine: (item id, buffer) pairs computed on this rank. On rank 0 returns one buffer per item
// (item_count of them); elsewhere an empty vector. Collective over comm.
std::vector<std::vector<double>> gather_items(const Communicator& comm,
                                              const std::vector<std::pair<int, std::vector<double>>>& mine,
                                              int item_count);

}  // namespace sdegen
