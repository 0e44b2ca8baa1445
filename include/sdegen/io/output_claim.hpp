// Everything rank 0 checks and takes before a run (or a merge) computes anything: the derived
// names, the output lock, an existing output or checkpoint, and temporaries of dead runs.
#pragma once
#include <string>

#include "sdegen/io/output_lock.hpp"
#include "sdegen/io/output_paths.hpp"

namespace sdegen {

struct OutputClaim {
  bool overwrite = false;
  bool resume = false;
  bool with_checkpoint = true;  // false for merge, which writes no checkpoint
  int ranks = 1;
  std::string option = "output.file";                // how messages name the output option
  std::string overwrite_option = "output.overwrite";  // ... and the overwrite switch
};

// Throws UsageError (exit 2) naming the file and the options; on success returns the held lock.
// Notes (a discarded checkpoint, removed temporaries, a lock that cannot be taken) go to stderr.
OutputLock claim_output(const OutputPaths& paths, const OutputClaim& claim);

}  // namespace sdegen
