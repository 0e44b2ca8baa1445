// Catch2 main for tests that run under mpiexec: initialises MPI, silences ranks > 0 and fails
// when any rank failed. SDEGEN_TEST_ALL_RANKS=1 shows every rank's output.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <mpi.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char* argv[]) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank != 0 && !std::getenv("SDEGEN_TEST_ALL_RANKS")) std::freopen("/dev/null", "w", stdout);
  Catch::Session session;
  int rc = session.applyCommandLine(argc, argv);
  if (rc == 0) rc = session.run();
  int worst = 0;
  MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  MPI_Finalize();
  return worst;
}
