// `sdegen report`'s output: a results file's /summary as an aligned text table, CSV, a GitHub
// Markdown table or JSON, with the log-log slopes against n of gen and of every bound.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

#include "sdegen/io/results_reader.hpp"
#include "sdegen/report/loglog_slope.hpp"

namespace sdegen {

enum class ReportFormat { text, csv, markdown, json };

ReportFormat parse_report_format(const std::string& name);  // throws UsageError

// The log-log slope of one quantity over a group of cells that differ only in n.
struct ReportSlope {
  std::vector<std::size_t> rows;  // the /summary rows of the group
  std::string quantity;           // the /summary column fitted, e.g. "gen_sq_clip_mean", "bound_term_xr"
  std::string label;              // for people, e.g. "gen (sq_clip)", "term_xr"
  SlopeFit fit;
};

// Every fit that succeeded (at least two distinct n with a positive finite value), groups in
// order of their first row; empty when data.n is not among the swept options.
std::vector<ReportSlope> report_slopes(const ResultsFile& results);

// text and markdown: a per-cell summary, a bounds table (one row per cell and defined bound),
// the reasons of undefined bounds, warnings and slopes; `wide` adds a table with every bound as a
// column. csv and json: every /summary column.
void write_report(std::ostream& out, const ResultsFile& results, ReportFormat format, bool wide = false);

}  // namespace sdegen
