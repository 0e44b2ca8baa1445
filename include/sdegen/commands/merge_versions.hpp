// The version rule of `sdegen merge`: every part, and the merging program, must be the same sdegen
// version, because the merged file names one version for its raw state and its derived figures.
#pragma once
#include <vector>

#include "sdegen/io/stored_run.hpp"

namespace sdegen {

// Throws UsageError naming both versions and both files (or this program) on a mismatch.
void check_same_sdegen_version(const std::vector<StoredRun>& parts);

}  // namespace sdegen
