// The self-describing results file: provenance at the root, one group per cell with raw
// accumulator state and derived mean/stderr per logged step, and the flat /summary table.
#pragma once
#include <string>
#include <vector>

#include "sdegen/config/config.hpp"
#include "sdegen/experiment/experiment.hpp"
#include "sdegen/report/summary.hpp"

namespace sdegen {

inline constexpr const char* kResultsFormat = "sdegen-results";
// 2: streams keyed by option meaning, surrogate gaps with paired errors, population sources.
// 3: term_xr from moments in one pass (log det Lambda_S in the terminal record, co-moments of w*_S).
inline constexpr std::int64_t kResultsFormatVersion = 3;

// How the file came about, for its root attributes (the build is added by the writer).
struct RunRecord {
  std::string command_line;     // as typed, arguments quoted where needed
  std::string started, finished;  // UTC, ISO 8601
  double wall_seconds = 0;
  int mpi_ranks = 1;
};

std::string utc_now();  // UTC, ISO 8601
std::string quoted_command_line(const std::vector<std::string>& words);

// Writes the complete file at `path` (the caller writes to a temporary name and renames).
void write_results_file(const std::string& path, const RunConfig& config, const ExperimentSetup& setup,
                        const ExperimentResult& result, const std::vector<CellSummary>& summaries,
                        const RunRecord& record);

}  // namespace sdegen
