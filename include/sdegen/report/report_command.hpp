// `sdegen report FILE [--format text|csv|markdown|json]`: prints a results file's /summary
// with the log-log slopes against n. Rank 0 reads and prints; the other ranks print nothing.
#pragma once
#include <string>
#include <vector>

namespace sdegen {

// Collective over MPI_COMM_WORLD (works as a single process without mpirun). Returns the exit
// code; throws UsageError on every rank alike for bad options or an unusable file.
int report_command(const std::vector<std::string>& args);

extern const char* const kReportUsage;

}  // namespace sdegen
