// MPI start-up and shut-down, the job-wide abort, and what can be learnt about the launcher
// and the library without starting MPI.
#include <mpi.h>

#include <cstdlib>
#include <string>

#include "sdegen/mpi/communicator.hpp"

namespace sdegen {

namespace {
bool session_active = false;
}

MpiSession::MpiSession(int* argc, char*** argv) {
  MPI_Init(argc, argv);
  session_active = true;
}

MpiSession::~MpiSession() {
  session_active = false;
  MPI_Finalize();
}

bool MpiSession::active() { return session_active; }

void MpiSession::abort(int code) {
  if (session_active) MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);
}

int launcher_rank() {
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"})
    if (const char* value = std::getenv(name)) return std::atoi(value);
  return 0;
}

std::string mpi_library_version() {
  char text[MPI_MAX_LIBRARY_VERSION_STRING];
  int length = 0;
  MPI_Get_library_version(text, &length);  // allowed before MPI_Init (MPI 3.0)
  std::string out(text, static_cast<std::size_t>(length));
  const auto end = out.find_first_of(",\n");
  return out.substr(0, end);
}

}  // namespace sdegen
