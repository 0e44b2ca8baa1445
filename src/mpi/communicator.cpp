// The world communicator as sdegen sees it. Works as a singleton without mpirun, too
// (MPI_Init then reports one rank).
#include "sdegen/mpi/communicator.hpp"

namespace sdegen {

Communicator Communicator::world() {
  Communicator c;
  MPI_Comm_rank(MPI_COMM_WORLD, &c.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &c.size);
  return c;
}

}  // namespace sdegen
