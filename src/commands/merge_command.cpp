// The merge subcommand. Parts must come from the same experiment: their configs may differ only
// in [output] and in the replicate range ([mc] first_replicate, replicates). Cells found in one
// part are copied exactly; cells found in several are Chan-merged in replicate order.
#include "sdegen/commands/merge_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>

#include "sdegen/config/option_table.hpp"
#include "sdegen/config/usage_error.hpp"
#include "sdegen/io/output_claim.hpp"
#include "sdegen/io/results_file.hpp"
#include "sdegen/io/table_records.hpp"
#include "sdegen/io/stored_run.hpp"
#include "sdegen/commands/merge_versions.hpp"
#include "sdegen/mpi/communicator.hpp"
#include "sdegen/report/summary.hpp"

namespace po = boost::program_options;

namespace sdegen {

namespace {

bool varies_between_parts(const std::string& option) {
  return option.rfind("output.", 0) == 0 || option == "mc.replicates" || option == "mc.first_replicate";
}

// The first option (other than the ones parts may differ in) whose values differ, or "".
std::string first_difference(const RunConfig& a, const RunConfig& b) {
  for (const auto& spec : run_options())
    if (!varies_between_parts(spec.name) && a.tokens(spec.name) != b.tokens(spec.name)) return spec.name;
  return "";
}

struct Range {
  std::int64_t first, last;  // replicates [first, last)
  std::size_t part;
};

}  // namespace

int merge_command(const std::vector<std::string>& args) {
  po::options_description options("Usage: sdegen merge -o ALL.h5 [--overwrite] PART.h5 ...\n\n"
                                  "Combines results files of disjoint cells (parts of a sweep run with --cells i/N),\n"
                                  "or of the same cells over disjoint, contiguous replicate ranges, into one results file.\n\n"
                                  "Options");
  options.add_options()("help,h", "show this help")("output,o", po::value<std::string>()->value_name("FILE"),
                                                    "the merged results file")(
      "overwrite", po::bool_switch(), "replace an existing output file")(
      "parts", po::value<std::vector<std::string>>()->value_name("PART.h5"), "results files to merge");
  po::positional_options_description positional;
  positional.add("parts", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string("merge: ") + e.what());
  }
  const int rank = launcher_rank();
  if (vm.count("help")) {
    if (rank == 0) std::cout << options;
    return 0;
  }
  if (!vm.count("output")) throw UsageError("merge: option '-o' (the merged file) is required");
  if (!vm.count("parts")) throw UsageError("merge: no input files");
  if (rank != 0) return 0;
  const std::string output = vm["output"].as<std::string>();
  const auto paths = vm["parts"].as<std::vector<std::string>>();
  for (const auto& p : paths)
    if (p == output) throw UsageError("merge: the output '" + output + "' is also an input");
  OutputClaim claim;
  claim.overwrite = vm["overwrite"].as<bool>();
  claim.with_checkpoint = false;
  claim.option = "-o";
  claim.overwrite_option = "--overwrite";
  const OutputPaths output_files = output_paths(output, getpid());
  const OutputLock lock = claim_output(output_files, claim);

  std::vector<StoredRun> parts;
  for (const auto& p : paths) parts.push_back(read_stored_run(p));
  check_same_sdegen_version(parts);
  for (std::size_t k = 1; k < parts.size(); ++k) {
    const std::string option = first_difference(parts[0].config, parts[k].config);
    if (!option.empty())
      throw UsageError("merge: '" + parts[k].path + "' is from another experiment than '" + parts[0].path +
                       "' (option '" + option + "' differs)");
  }

  // Which part holds which cell, over which replicates.
  std::map<int, std::vector<Range>> ranges;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const std::int64_t first = parts[k].config.integer("mc.first_replicate");
    const std::int64_t last = first + parts[k].config.integer("mc.replicates");
    for (int c : parts[k].cells) ranges[c].push_back({first, last, k});
  }
  std::int64_t first_all = -1, count_all = -1;
  for (auto& [cell, list] : ranges) {
    std::sort(list.begin(), list.end(), [](const Range& a, const Range& b) { return a.first < b.first; });
    std::int64_t count = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i > 0 && list[i].first < list[i - 1].last)
        throw UsageError("merge: cell " + std::to_string(cell) + " is in '" + parts[list[i - 1].part].path +
                         "' and '" + parts[list[i].part].path + "' with overlapping replicate ranges");
      // A file records one range [first_replicate, first_replicate + replicates): a gap cannot be written down.
      if (i > 0 && list[i].first > list[i - 1].last)
        throw UsageError("merge: replicates " + std::to_string(list[i - 1].last) + " to " +
                         std::to_string(list[i].first - 1) + " of cell " + std::to_string(cell) +
                         " are in no part: '" + parts[list[i - 1].part].path + "' ends before them and '" +
                         parts[list[i].part].path + "' starts after them (merge only contiguous replicate ranges)");
      count += list[i].last - list[i].first;
    }
    if (count_all >= 0 && (count != count_all || list.front().first != first_all))
      throw UsageError("merge: the parts cover different replicate ranges for different cells");
    count_all = count;
    first_all = list.front().first;
  }

  if (count_all > find_option("mc.replicates").max_value)
    throw UsageError("merge: the parts hold " + std::to_string(count_all) + " replicates per cell, more than the " +
                     option_range_text(find_option("mc.replicates")) + " of option 'mc.replicates' a results file records");
  RunConfig config = parts[0].config;
  config.values["output.file"] = {output};
  config.values["mc.first_replicate"] = {std::to_string(first_all)};
  config.values["mc.replicates"] = {std::to_string(count_all)};
  ExperimentSetup setup = make_setup(config);
  for (const auto& part : parts)  // the parts trained on the tables that are read now
    if (const std::string difference = recorded_tables_difference(part.path, setup); !difference.empty())
      throw UsageError("merge: '" + part.path + "' trained on another table than the one read now: " + difference);
  setup.active.clear();
  ExperimentResult result;
  std::int64_t ranks = 1;
  for (const auto& part : parts) ranks = std::max(ranks, part.mpi_ranks);
  for (const auto& cell_setup : setup.cells) {
    const CellParams& cell = cell_setup.cell;
    result.cells.emplace_back(cell_setup.empty_statistics(), setup.bounds.jackknife_groups);
    auto found = ranges.find(cell.index);
    if (found == ranges.end()) continue;
    setup.active.push_back(cell.index);
    CellResult& merged = result.cells[cell.index];
    for (const Range& range : found->second) {
      const StoredRun& part = parts[range.part];
      const auto unpack = [&](const std::vector<double>& packed) {
        return CellStatistics::unpack(packed, cell_setup.layout, cell_setup.shapes());
      };
      std::vector<CellStatistics> groups;
      for (const auto& g : part.groups.at(cell.index)) groups.push_back(unpack(g));
      if (groups.size() != merged.groups.size())
        throw UsageError("merge: '" + part.path + "' has another number of jackknife groups");
      merged.add_part(unpack(part.state.at(cell.index)), groups);
    }
  }
  if (setup.active.empty()) throw UsageError("merge: the inputs hold no cells");

  const std::vector<CellSummary> summaries = summarize(setup, result);
  const std::string& temporary = output_files.temporary;
  try {
    RunRecord record;
    std::vector<std::string> words = {"sdegen", "merge"};
    words.insert(words.end(), args.begin(), args.end());
    record.command_line = quoted_command_line(words);
    record.started = record.finished = utc_now();
    record.mpi_ranks = static_cast<int>(ranks);
    write_results_file(temporary, config, setup, result, summaries, record);
    if (std::rename(temporary.c_str(), output.c_str()) != 0)
      throw UsageError("merge: cannot write '" + output + "': " + std::strerror(errno));
  } catch (...) {
    std::remove(temporary.c_str());
    throw;
  }
  std::cerr << "merged " << parts.size() << " file(s): " << setup.active.size() << " of " << setup.grid.cells.size()
            << " cells, " << count_all << " replicates each -> " << output << "\n";
  return 0;
}

}  // namespace sdegen
