// `sdegen merge`: combines results files of disjoint cells, or of the same cells over disjoint
// replicate ranges (Chan merge of the raw state), into one file as a single run would write it.
#pragma once
#include <string>
#include <vector>

namespace sdegen {

// Never starts MPI; under a launcher, ranks other than 0 return 0 at once. Throws UsageError
// for bad input.
int merge_command(const std::vector<std::string>& args);

}  // namespace sdegen
