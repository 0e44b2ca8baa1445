// The MPI context the experiment runs in: communicator, rank and size. The one type through
// which the rest of sdegen sees MPI; statistics code never includes mpi.h.
#pragma once
#include <mpi.h>

namespace sdegen {

struct Communicator {
  MPI_Comm comm = MPI_COMM_WORLD;
  int rank = 0;
  int size = 1;
  static Communicator world();
  bool is_root() const { return rank == 0; }
};

}  // namespace sdegen
