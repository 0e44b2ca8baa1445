// The `run` subcommand. Bad input is found before any work, identically on every rank, or on
// rank 0 and broadcast, so that every rank leaves with the same exit code and none hangs.
#include "sdegen/commands/run_command.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

#include "sdegen/build_info.hpp"
#include "sdegen/config/option_rules.hpp"
#include "sdegen/config/usage_error.hpp"
#include "sdegen/experiment/checkpoint.hpp"
#include "sdegen/experiment/experiment.hpp"
#include "sdegen/experiment/run_size.hpp"
#include "sdegen/io/output_claim.hpp"
#include "sdegen/io/results_file.hpp"
#include "sdegen/io/results_reader.hpp"
#include "sdegen/report/results_report.hpp"
#include "sdegen/report/summary.hpp"
#include "sdegen/version.hpp"

namespace sdegen {

namespace {

// Rank 0 claims the output (names, lock, existing file and checkpoint); the verdict reaches every
// rank. Only rank 0 holds the lock.
OutputLock claim_output_on_root(const Communicator& comm, const OutputPaths& paths, const OutputClaim& claim) {
  OutputLock lock;
  comm.root_decides([&] { lock = claim_output(paths, claim); });
  return lock;
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  const Communicator comm = Communicator::world();
  RunRecord record;
  record.started = utc_now();
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> words = {"sdegen", "run"};
  words.insert(words.end(), args.begin(), args.end());
  record.command_line = quoted_command_line(words);
  record.mpi_ranks = comm.size();
  const RunCommandLine parsed = parse_run_command_line(args);
  if (parsed.action == RunAction::help) {
    if (comm.is_root()) std::cout << parsed.help_text;
    return 0;
  }
  if (parsed.action == RunAction::version) {
    if (comm.is_root()) std::cout << version_text();
    return 0;
  }
  const RunConfig& config = parsed.config;
  const ExperimentSetup setup = make_setup(config);
  check_run_size(setup);
  if (comm.is_root())
    for (const auto& warning : no_effect_warnings(config, setup.grid)) std::cerr << "sdegen: warning: " << warning << "\n";
  const std::string path = config.single("output.file");
  const OutputPaths paths = output_paths(path, getpid());  // rank 0's pid names the temporary it writes
  const std::string& temporary = paths.temporary;
  OutputClaim claim;
  claim.overwrite = config.boolean("output.overwrite");
  claim.resume = config.resume;
  claim.ranks = comm.size();
  const OutputLock lock = claim_output_on_root(comm, paths, claim);

  if (comm.is_root() && !config.quiet)
    std::cerr << "sdegen " << kVersion << ": " << setup.grid.cells.size() << " cells x " << setup.replicates
              << " replicates on " << comm.size() << " rank(s)\n";
  CheckpointSettings checkpoint;
  checkpoint.directory = paths.checkpoint_directory;
  checkpoint.every_seconds = config.real("output.checkpoint_every");
  checkpoint.run_key = checkpoint_run_key(config);
  checkpoint.resume = config.resume;
  install_stop_signals();
  const ExperimentResult result = run_experiment(setup, comm, !config.quiet, &checkpoint);
  if (result.interrupted) {
    if (comm.is_root())
      std::cerr << "sdegen: stopped by a signal; checkpoint in '" << checkpoint.directory
                << "'; run again with the same options and --resume to continue\n";
    return kExitCheckpointed;
  }

  if (comm.is_root()) {
    const std::vector<CellSummary> summaries = summarize(setup, result);
    try {
      record.finished = utc_now();
      record.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      write_results_file(temporary, config, setup, result, summaries, record);
      if (std::rename(temporary.c_str(), path.c_str()) != 0)
        throw std::runtime_error("cannot rename '" + temporary + "' to '" + path + "': " + std::strerror(errno));
    } catch (...) {
      std::remove(temporary.c_str());
      throw;
    }
    remove_checkpoint(checkpoint.directory);
    if (!config.quiet) {
      // The file, read back, through the same report as `sdegen report FILE`.
      write_report(std::cout, read_results_file(path), ReportFormat::text);
      std::cout << std::flush;
      std::cerr << "results: " << path << "\n";
    }
  }
  comm.barrier();
  return 0;
}

}  // namespace sdegen
