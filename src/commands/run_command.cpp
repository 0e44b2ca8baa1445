// The `run` subcommand. Bad input is found before any work, identically on every rank, or on
// rank 0 and broadcast, so that every rank leaves with the same exit code and none hangs. A run
// that would not fit the memory or the disk is bad input too. Computed work is never lost to a
// failed write: a checkpoint keeps it for --resume.
#include "sdegen/commands/run_command.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "sdegen/build_info.hpp"
#include "sdegen/commands/run_plan.hpp"
#include "sdegen/config/option_rules.hpp"
#include "sdegen/config/usage_error.hpp"
#include "sdegen/experiment/checkpoint.hpp"
#include "sdegen/experiment/experiment.hpp"
#include "sdegen/experiment/run_estimate.hpp"
#include "sdegen/io/h5_read.hpp"
#include "sdegen/io/output_claim.hpp"
#include "sdegen/io/results_file.hpp"
#include "sdegen/io/results_reader.hpp"
#include "sdegen/report/results_report.hpp"
#include "sdegen/report/summary.hpp"
#include "sdegen/version.hpp"

namespace sdegen {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Rank 0 claims the output (names, lock, existing file and checkpoint); the verdict reaches every
// rank. Only rank 0 holds the lock.
OutputLock claim_output_on_root(const Communicator& comm, const OutputPaths& paths, const OutputClaim& claim) {
  OutputLock lock;
  comm.root_decides([&] { lock = claim_output(paths, claim); });
  return lock;
}

std::string duration(double seconds) {
  char buf[48];
  const long s = static_cast<long>(seconds + 0.5);
  if (seconds < 60) std::snprintf(buf, sizeof buf, "%.1f s", seconds);
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

// Rank 0: writes the results file under its temporary name and renames it. On failure the
// temporary is removed and the merged results go to the checkpoint instead; returns false.
bool write_results_or_checkpoint(const RunConfig& config, const ExperimentSetup& setup, const ExperimentResult& result,
                                 RunRecord& record, const OutputPaths& paths, const CheckpointSettings& checkpoint) {
  try {
    const std::vector<CellSummary> summaries = summarize(setup, result);
    write_results_file(paths.temporary, config, setup, result, summaries, record);
    if (std::rename(paths.temporary.c_str(), paths.output.c_str()) != 0)
      throw std::runtime_error("cannot rename '" + paths.temporary + "' to '" + paths.output + "': " +
                               std::strerror(errno));
    return true;
  } catch (const std::exception& e) {
    std::remove(paths.temporary.c_str());  // frees the space the failed write took
    std::string reason = e.what();
    if (reason.rfind("HDF5: ", 0) == 0) reason = reason.substr(6);
    std::cerr << "sdegen: error: cannot write the results file '" << paths.output << "': " << reason << "\n";
  }
  try {
    checkpoint_merged_results(setup, result.cells, checkpoint);
    std::cerr << "sdegen: the results are kept in the checkpoint '" << checkpoint.directory
              << "': make room and run the same command with --resume to write the file (nothing is computed "
                 "again)\n";
  } catch (const std::exception& e) {
    std::cerr << "sdegen: error: " << e.what() << ": the results of this run are lost";
    std::error_code ignored;
    if (std::filesystem::exists(checkpoint.directory, ignored))  // parts of periodic checkpoints
      std::cerr << " (the earlier checkpoint in '" << checkpoint.directory << "' is kept: --resume continues from it)";
    std::cerr << "\n";
  }
  return false;
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  const Communicator comm = Communicator::world();
  // One line per failure instead of HDF5's error stack (set SDEGEN_HDF5_DIAGNOSTICS=1 to see it).
  if (std::getenv("SDEGEN_HDF5_DIAGNOSTICS") == nullptr) h5::silence_error_printing();
  RunRecord record;
  record.started = utc_now();
  const auto start = Clock::now();
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
  if (comm.is_root())
    for (const auto& warning : no_effect_warnings(config, setup.grid)) std::cerr << "sdegen: warning: " << warning << "\n";
  const std::string path = config.single("output.file");
  const OutputPaths paths = output_paths(path, getpid());  // rank 0's pid names the temporary it writes

  // Memory and disk, before anything is created (also for --dry-run and --list, which stop here).
  RunPlanContext plan;
  plan.config = &config;
  plan.setup = &setup;
  plan.estimate = estimate_run(setup, comm.size());
  const int ranks_on_node = comm.ranks_on_node();
  const bool planning = config.dry_run || config.list;
  comm.root_decides([&] {
    plan.memory = memory_per_rank(config.real("output.max_memory"), ranks_on_node);
    plan.output_directory = paths.directory;
    plan.free_disk = free_disk_bytes(paths.directory);
    if (planning) {
      plan.flop_rate = measure_flop_rate(setup, 1.0, plan.timed);
      print_run_plan(std::cout, plan, config.list);
      std::cout << std::flush;
    }
    check_run_fits(plan.estimate, plan.memory, plan.free_disk, paths.directory);
    const std::string warning = checkpoint_space_warning(plan.estimate, plan.free_disk, paths.directory);
    if (!warning.empty() && !planning) std::cerr << "sdegen: warning: " << warning << "\n";
  });
  if (planning) return 0;

  OutputClaim claim;
  claim.overwrite = config.boolean("output.overwrite");
  claim.resume = config.resume;
  claim.ranks = comm.size();
  const OutputLock lock = claim_output_on_root(comm, paths, claim);

  if (comm.is_root() && !config.quiet)
    std::cerr << "sdegen " << kVersion << ": " << setup.active.size() << " cells x " << setup.replicates
              << " replicates on " << comm.size() << " rank(s), about " << byte_size(plan.estimate.root_bytes)
              << " of memory on rank 0\n";
  CheckpointSettings checkpoint;
  checkpoint.directory = paths.checkpoint_directory;
  checkpoint.every_seconds = config.real("output.checkpoint_every");
  // A checkpoint belongs to the same tables (their shapes and checksums) as well as the same options.
  checkpoint.run_key = checkpoint_run_key(config) + setup.tables.identity();
  checkpoint.resume = config.resume;
  install_stop_signals(comm.is_root() && !config.quiet);
  RunControl control;
  control.progress = progress_style(config.quiet);
  control.progress_every = config.real("output.progress_every");
  control.checkpoint = &checkpoint;
  const ExperimentResult result = run_experiment(setup, comm, control);
  if (result.interrupted) {
    if (comm.is_root()) {
      if (result.checkpoint_failed)
        std::cerr << "sdegen: stopped by a signal, but the checkpoint could not be written in full (see above); "
                     "--resume continues from what '"
                  << checkpoint.directory << "' holds\n";
      else
        std::cerr << "sdegen: stopped by a signal; checkpoint in '" << checkpoint.directory
                  << "'; run again with the same options and --resume to continue\n";
    }
    return result.checkpoint_failed ? 1 : kExitCheckpointed;
  }

  bool written = true;
  double write_seconds = 0;
  if (comm.is_root()) {
    const auto write_start = Clock::now();
    record.finished = utc_now();
    record.wall_seconds = seconds_since(start);
    written = write_results_or_checkpoint(config, setup, result, record, paths, checkpoint);
    write_seconds = seconds_since(write_start);
    if (written) remove_checkpoint(checkpoint.directory);
  }
  if (comm.any(!written)) return 1;
  if (comm.is_root() && !config.quiet) {
    std::cerr << "done: " << setup.active.size() << " cells, " << result.items << " blocks ("
              << result.restored_items << " restored) in " << duration(seconds_since(start)) << ": computing "
              << duration(result.compute_seconds) << ", writing the file " << duration(write_seconds) << "\n";
    // The file, read back, through the same report as `sdegen report FILE`.
    write_report(std::cout, read_results_file(path), ReportFormat::text);
    std::cout << std::flush;
    std::cerr << "results: " << path << "\n";
  }
  return 0;
}

}  // namespace sdegen
