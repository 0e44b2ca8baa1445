// The `report` subcommand: option parsing (identical on every rank), then rank 0 reads the file
// and formats the report; a file error is broadcast so that every rank exits with code 2.
#include "sdegen/report/report_command.hpp"

#include <mpi.h>

#include <iostream>
#include <sstream>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/io/results_reader.hpp"
#include "sdegen/report/results_report.hpp"

namespace sdegen {

const char* const kReportUsage =
    "Usage: sdegen report FILE [--format text|csv|markdown|json]\n"
    "\n"
    "Prints the per-cell summary of a results file written by `sdegen run`.\n"
    "\n"
    "Options:\n"
    "  --format FORMAT  text (default): aligned table of gen and bounds with log-log slopes against n\n"
    "                   csv: every /summary column, one row per cell (NaN as an empty field)\n"
    "                   markdown: the text report as GitHub tables\n"
    "                   json: provenance, every cell's columns and the slopes (NaN as null)\n"
    "  -h, --help       show this help\n";

namespace {

struct ReportArgs {
  bool help = false;
  std::string file;
  ReportFormat format = ReportFormat::text;
};

ReportArgs parse(const std::vector<std::string>& args) {
  ReportArgs out;
  bool have_file = false;
  for (std::size_t k = 0; k < args.size(); ++k) {
    const std::string& a = args[k];
    if (a == "-h" || a == "--help") {
      out.help = true;
    } else if (a == "--format") {
      if (k + 1 == args.size()) throw UsageError("option '--format' needs a value (text, csv, markdown or json)");
      out.format = parse_report_format(args[++k]);
    } else if (a.rfind("--format=", 0) == 0) {
      out.format = parse_report_format(a.substr(9));
    } else if (a.size() > 1 && a[0] == '-') {
      throw UsageError("unknown option '" + a + "' for report (see sdegen report --help)");
    } else if (have_file) {
      throw UsageError("report takes one results file, not '" + out.file + "' and '" + a + "'");
    } else {
      out.file = a;
      have_file = true;
    }
  }
  if (!out.help && !have_file) throw UsageError("report needs a results FILE (see sdegen report --help)");
  return out;
}

}  // namespace

int report_command(const std::vector<std::string>& args) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const ReportArgs parsed = parse(args);
  if (parsed.help) {
    if (rank == 0) std::cout << kReportUsage;
    return 0;
  }
  std::string error, report;
  if (rank == 0) {
    try {
      std::ostringstream out;
      write_report(out, read_results_file(parsed.file), parsed.format);
      report = out.str();
    } catch (const UsageError& e) {
      error = e.what();
    }
  }
  int length = static_cast<int>(error.size());
  MPI_Bcast(&length, 1, MPI_INT, 0, MPI_COMM_WORLD);
  error.resize(static_cast<std::size_t>(length));
  MPI_Bcast(error.data(), length, MPI_CHAR, 0, MPI_COMM_WORLD);
  if (!error.empty()) throw UsageError(error);
  if (rank == 0) std::cout << report << std::flush;
  return 0;
}

}  // namespace sdegen
