// `sdegen report FILE [--format text|csv|markdown|json]`: prints a results file's /summary
// with the log-log slopes against n. Never starts MPI; under a launcher only rank 0 prints.
#pragma once
#include <string>
#include <vector>

namespace sdegen {

// Returns the exit code; throws UsageError for bad options or an unusable file.
int report_command(const std::vector<std::string>& args);

extern const char* const kReportUsage;

}  // namespace sdegen
