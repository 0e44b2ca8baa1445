// Claiming an output on rank 0. Names are checked before anything is created, and the output is
// examined under the lock, so that a run finishing meanwhile is not overwritten without the switch.
#include "sdegen/io/output_claim.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/io/stale_temporaries.hpp"

namespace sdegen {

namespace {

// A run without --resume must not silently lose the work of an interrupted one.
void handle_existing_checkpoint(const OutputPaths& paths, const OutputClaim& claim) {
  std::error_code error;
  if (claim.resume || !std::filesystem::exists(paths.checkpoint_directory, error)) return;
  if (!claim.overwrite)
    throw UsageError("a checkpoint of an interrupted run of '" + paths.output + "' exists in '" +
                     paths.checkpoint_directory + "': continue it with option '--resume', or discard it with option '" +
                     claim.overwrite_option + "'");
  std::filesystem::remove_all(paths.checkpoint_directory, error);
  if (error)
    throw UsageError("cannot discard the checkpoint '" + paths.checkpoint_directory + "' (option '" +
                     claim.overwrite_option + "'): " + error.message());
  std::cerr << "sdegen: discarded the checkpoint '" << paths.checkpoint_directory << "' of an earlier run (option '"
            << claim.overwrite_option << "')\n";
}

// Creating (and removing) the temporary is the one test of writability that holds for root too.
void check_writable(const OutputPaths& paths, const std::string& option) {
  std::FILE* f = std::fopen(paths.temporary.c_str(), "w");
  if (f == nullptr)
    throw UsageError("cannot write output file '" + paths.output + "' (option '" + option + "'): " +
                     std::strerror(errno));
  std::fclose(f);
  std::remove(paths.temporary.c_str());
}

}  // namespace

OutputLock claim_output(const OutputPaths& paths, const OutputClaim& claim) {
  check_output_names(paths, claim.with_checkpoint, claim.ranks, claim.option);
  check_output_target(paths, true, claim.option, claim.overwrite_option);  // the kind, before any file is made
  OutputLock lock = OutputLock::acquire(paths.lock, paths.output, describe_this_process());
  if (!lock.warning().empty()) std::cerr << "sdegen: warning: " << lock.warning() << "\n";
  check_output_target(paths, claim.overwrite, claim.option, claim.overwrite_option);
  if (claim.with_checkpoint) handle_existing_checkpoint(paths, claim);
  if (lock.held())
    for (const auto& path : remove_stale_temporaries(paths, lock.acquired_at()))
      std::cerr << "sdegen: removed '" << path << "', left behind by a run that ended\n";
  check_writable(paths, claim.option);
  return lock;
}

}  // namespace sdegen
