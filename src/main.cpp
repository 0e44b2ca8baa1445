// sdegen's command line: subcommand dispatch, MPI start-up and the error policy
// (usage errors: one message, exit 2 on every rank; anything else: MPI_Abort, never a hang).
#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/merge_command.hpp"
#include "sdegen/report/report_command.hpp"
#include "sdegen/run_command.hpp"
#include "sdegen/version.hpp"

namespace {

const char* kUsage =
    "Usage: sdegen COMMAND [options]\n"
    "\n"
    "Monte Carlo estimates of the generalization error of SGD and of its SDE surrogate.\n"
    "\n"
    "Commands:\n"
    "  run [CONFIG.ini] [options]   run an experiment and write an HDF5 results file\n"
    "                               (no arguments: the built-in default experiment)\n"
    "  merge -o ALL.h5 PART.h5 ...  combine results files of disjoint cells or replicate ranges\n"
    "  report FILE [--format F]     print a results file's summary and slopes against n\n"
    "                               (F: text, csv, markdown or json)\n"
    "\n"
    "Options:\n"
    "  -h, --help      show this help (sdegen COMMAND --help: the command's options)\n"
    "  --version       show the version\n"
    "\n"
    "Run under MPI to spread replicates over ranks: mpirun -np 2 sdegen run\n";

int dispatch(const std::vector<std::string>& args, int rank) {
  if (args.empty()) {
    if (rank == 0) std::cerr << kUsage;
    return sdegen::kExitUsage;
  }
  const std::string& command = args.front();
  if (command == "-h" || command == "--help") {
    if (rank == 0) std::cout << kUsage;
    return 0;
  }
  if (command == "--version") {
    if (rank == 0) std::cout << "sdegen " << sdegen::kVersion << "\n";
    return 0;
  }
  const bool known = command == "run" || command == "merge" || command == "report";
  if (known && std::find(args.begin() + 1, args.end(), "--version") != args.end()) {  // in every command
    if (rank == 0) std::cout << "sdegen " << sdegen::kVersion << "\n";
    return 0;
  }
  if (command == "run") return sdegen::run_command({args.begin() + 1, args.end()});
  if (command == "merge") return sdegen::merge_command({args.begin() + 1, args.end()});
  if (command == "report") return sdegen::report_command({args.begin() + 1, args.end()});
  throw sdegen::UsageError("unknown command '" + command + "' (see sdegen --help)");
}

}  // namespace

int main(int argc, char* argv[]) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  int code = 0;
  try {
    code = dispatch(std::vector<std::string>(argv + 1, argv + argc), rank);
  } catch (const sdegen::UsageError& e) {
    if (rank == 0) std::cerr << "sdegen: error: " << e.what() << "\n";
    code = sdegen::kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "sdegen: fatal error on rank " << rank << ": " << e.what() << std::endl;
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  MPI_Finalize();
  return code;
}
