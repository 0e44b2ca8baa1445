// The `report` subcommand: option parsing, then the file is read and the report formatted. It
// does not start MPI, so it runs where a site allows MPI programs only under its launcher.
#include "sdegen/commands/report_command.hpp"

#include <iostream>
#include <sstream>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/io/results_reader.hpp"
#include "sdegen/mpi/communicator.hpp"
#include "sdegen/report/results_report.hpp"

namespace sdegen {

const char* const kReportUsage =
    "Usage: sdegen report FILE [--format text|csv|markdown|json] [--wide]\n"
    "\n"
    "Prints the per-cell summary of a results file written by `sdegen run` (the same report\n"
    "`sdegen run` prints when it finishes).\n"
    "\n"
    "Options:\n"
    "  --format FORMAT  text (default): gen per cell, the bounds one per row with bound/gen, the\n"
    "                   reasons of undefined bounds, warnings, and log-log slopes against n\n"
    "                   csv: every /summary column, one row per cell (NaN as an empty field)\n"
    "                   markdown: the text report as GitHub tables\n"
    "                   json: provenance, every cell's columns and the slopes (NaN as null)\n"
    "  --wide           text and markdown: also a table with every bound as a column\n"
    "  -h, --help       show this help\n";

namespace {

struct ReportArgs {
  bool help = false;
  std::string file;
  ReportFormat format = ReportFormat::text;
  bool wide = false;
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
    } else if (a == "--wide") {
      out.wide = true;
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
  const ReportArgs parsed = parse(args);
  const bool prints = launcher_rank() == 0;  // under mpirun or srun: every rank checks, rank 0 prints
  if (parsed.help) {
    if (prints) std::cout << kReportUsage;
    return 0;
  }
  std::ostringstream out;
  write_report(out, read_results_file(parsed.file), parsed.format, parsed.wide);
  if (prints) std::cout << out.str() << std::flush;
  return 0;
}

}  // namespace sdegen
