// `sdegen run`: parse, check the output path, run the experiment across ranks, then on rank 0
// write the results file (temporary name, then rename) and print the summary table.
#pragma once
#include <string>
#include <vector>

namespace sdegen {

// Collective over every rank of the MPI job (the caller started MPI). Returns the exit code; throws UsageError on bad input
// (on every rank alike) and other exceptions on failures.
int run_command(const std::vector<std::string>& args);

}  // namespace sdegen
