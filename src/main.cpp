// sdegen's command line: subcommand dispatch and the error policy (usage errors: one message,
// exit 2 on every rank; anything else: abort the whole MPI job, never a hang). Only `run` starts MPI.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "sdegen/build_info.hpp"
#include "sdegen/commands/merge_command.hpp"
#include "sdegen/commands/report_command.hpp"
#include "sdegen/commands/run_command.hpp"
#include "sdegen/config/usage_error.hpp"
#include "sdegen/mpi/communicator.hpp"
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

bool asks_version(const std::vector<std::string>& args) {
  if (args.empty()) return false;
  const std::string& command = args.front();
  if (command == "--version") return true;
  const bool known = command == "run" || command == "merge" || command == "report";
  return known && std::find(args.begin() + 1, args.end(), "--version") != args.end();  // in every command
}

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
  if (asks_version(args)) {
    if (rank == 0) std::cout << sdegen::version_text();
    return 0;
  }
  if (command == "run") return sdegen::run_command({args.begin() + 1, args.end()});
  if (command == "merge") return sdegen::merge_command({args.begin() + 1, args.end()});
  if (command == "report") return sdegen::report_command({args.begin() + 1, args.end()});
  throw sdegen::UsageError("unknown command '" + command + "' (see sdegen --help)");
}

}  // namespace

int main(int argc, char* argv[]) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  // Only a run needs MPI; report, merge, help and --version work without it (some sites refuse
  // MPI programs outside their launcher).
  std::unique_ptr<sdegen::MpiSession> mpi;
  if (!args.empty() && args.front() == "run" && !asks_version(args)) mpi = std::make_unique<sdegen::MpiSession>(&argc, &argv);
  const int rank = mpi ? sdegen::Communicator::world().rank() : sdegen::launcher_rank();
  int code = 0;
  try {
    code = dispatch(args, rank);
  } catch (const sdegen::UsageError& e) {
    if (rank == 0) std::cerr << "sdegen: error: " << e.what() << "\n";
    code = sdegen::kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "sdegen: fatal error on rank " << rank << ": " << e.what() << std::endl;
    sdegen::MpiSession::abort(1);
  }
  return code;
}
