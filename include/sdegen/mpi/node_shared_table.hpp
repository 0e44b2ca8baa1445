// One copy of a table per node: the node's first rank loads it into memory that all of the node's
// ranks map (an MPI shared-memory window); every rank agrees on success before anyone uses it.
#pragma once
#include <functional>

#include "sdegen/data/table.hpp"

namespace sdegen {

struct NodeSharing {
  // Split each node's ranks into groups of at most this many, one copy per group (0: one copy per
  // node). Lets one machine act as several nodes, for tests.
  int max_ranks_per_copy = 0;
};

// Collective over every rank of the job. On each node, the node's lowest rank calls `load` (and
// sets the checksums if `load` did not); the others wait without spinning, then map the same
// memory. If `load` throws on any node, every rank of every node throws the same error: a
// UsageError with the same message when it was a UsageError (exit code 2 in the program), a
// std::runtime_error with the same message otherwise; nobody hangs and nobody sees a partial
// table. Nodes that loaded different tables (different shape or checksums) are a UsageError on
// every rank. Without MPI initialised (serial programs and tests) it returns `load()` with
// checksums.
//
// The shared memory is released when the last copy of the table is destroyed, which is collective
// over the node's ranks: every rank must drop its copies before MPI_Finalize, at the same point of
// the program (a table destroyed while an exception unwinds is left to the end of the job).
Table load_once_per_node(const std::function<Table()>& load, const NodeSharing& sharing = {});

}  // namespace sdegen
