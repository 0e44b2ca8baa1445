// Clean-up of temporaries that runs of the same output left behind when they died: the results
// temporary <output>.tmp<pid> and checkpoint part temporaries <checkpoint>/rank-K.h5.tmp<pid>.
#pragma once
#include <ctime>
#include <string>
#include <vector>

#include "sdegen/io/output_paths.hpp"

namespace sdegen {

// Removes the temporaries of `paths` that are older than `locked_at` (when this process took the
// output lock, so no live run of this output can still be writing them) and whose pid is not a
// live process on this host. Call only while holding the lock. Returns the removed paths.
std::vector<std::string> remove_stale_temporaries(const OutputPaths& paths, const std::timespec& locked_at);

}  // namespace sdegen
