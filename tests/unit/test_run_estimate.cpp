// The estimates made before a run: block state sizes computed without allocating them, memory per
// rank that does not grow with the number of replicates, and refusals that name the options.
#include <catch2/catch.hpp>

#include "sdegen/config/config.hpp"
#include "sdegen/config/usage_error.hpp"
#include "sdegen/experiment/run_estimate.hpp"

using namespace sdegen;

namespace {
ExperimentSetup setup_of(std::vector<std::string> args) { return make_setup(parse_run_command_line(args).config); }

std::string refusal(const RunEstimate& estimate, const MemoryLimit& memory, double free_disk) {
  try {
    check_run_fits(estimate, memory, free_disk, "out");
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("estimate: a block state's size is known without packing it") {
  const ExperimentSetup setup =
      setup_of({"--problem.name", "gaussian-mean linreg logistic", "--problem.dim", "3", "--data.n", "20",
                "--train.algorithm", "sgd sde", "--train.steps", "30", "--train.log_every", "7", "--bounds.trajectory",
                "--bounds.terminal", "--bounds.stationary_steps", "5"});
  for (const auto& cell : setup.cells) {
    std::vector<double> packed;
    cell.empty_statistics().pack(packed);
    CHECK(CellStatistics::packed_size(cell.layout, cell.shapes()) == packed.size());
  }
  // Integer counts (supersample tables): always packed in files, only when present in blocks.
  const ExperimentSetup tables = setup_of({"--problem.name", "linreg logistic", "--data.n", "20", "--train.steps", "30",
                                           "--train.log_every", "7", "--bounds.supersample"});
  for (const auto& cell : tables.cells) {
    std::vector<double> always, without;
    cell.empty_statistics().pack(always);
    cell.empty_statistics().pack(without, CountPacking::when_present);
    CHECK(CellStatistics::packed_size(cell.layout, cell.shapes()) == always.size());
    CHECK(CellStatistics::packed_size(cell.layout, cell.shapes(), CountPacking::when_present) == without.size());
    CHECK(always.size() > without.size());
  }
  const ExperimentSetup plain = setup_of({"--data.n", "20", "--train.algorithm", "gd"});
  std::vector<double> packed;
  plain.cells[0].empty_statistics().pack(packed);
  CHECK(CellStatistics::packed_size(plain.cells[0].layout, plain.cells[0].shapes()) == packed.size());
}

TEST_CASE("estimate: memory per rank does not grow with the replicates, nor does the output") {
  const std::vector<std::string> base = {"--data.n", "50", "--train.algorithm", "sgd", "--train.steps", "100",
                                         "--train.log_every", "1"};
  auto with = [&](const char* replicates) {
    std::vector<std::string> args = base;
    args.insert(args.end(), {"--mc.replicates", replicates});
    return estimate_run(setup_of(args), 2);
  };
  const RunEstimate small = with("1000"), large = with("1000000"), huge = with("1000000000");
  CHECK(large.root_bytes < 80.0 * 1024 * 1024);  // one wave's states, not the run's
  CHECK(huge.root_bytes == large.root_bytes);
  CHECK(huge.output_bytes == small.output_bytes);
  CHECK(huge.items == 62500000);
  CHECK(huge.waves > 1000);
  CHECK(small.root_bytes < large.root_bytes);  // one wave holds all of the small run
}

TEST_CASE("estimate: the terminal analysis's d x d matrices and the jackknife groups are counted") {
  const RunEstimate d100 = estimate_run(setup_of({"--problem.dim", "100", "--data.n", "200", "--train.algorithm",
                                                  "sgd", "--bounds.terminal"}), 1);
  const RunEstimate d1000 = estimate_run(setup_of({"--problem.dim", "1000", "--data.n", "2000", "--train.algorithm",
                                                   "sgd", "--bounds.terminal", "--bounds.max_dense_dim", "1000"}), 1);
  // The terminal record holds w*, Lambda_S and the stationary difference: about 2 d^2 means and M2s.
  CHECK(d1000.statistics_bytes > 21 * 4 * 8 * 1e6);
  CHECK(d1000.output_bytes > 21 * 4 * 8 * 1e6);
  CHECK(d1000.working_bytes > 16 * 8 * 1e6);
  CHECK(d1000.statistics_bytes > 90 * d100.statistics_bytes);  // d^2
}

TEST_CASE("estimate: too little memory or disk is refused, naming the options") {
  const RunEstimate e = estimate_run(setup_of({"--problem.dim", "1000", "--data.n", "2000", "--bounds.terminal",
                                               "--bounds.max_dense_dim", "1000", "--train.batch", "10"}), 2);
  const std::string memory = refusal(e, {1e9, "option 'output.max_memory'"}, -1);
  CHECK_THAT(memory, Catch::Contains("memory") && Catch::Contains("output.max_memory") &&
                         Catch::Contains("--cells") && Catch::Contains("bounds.jackknife_groups"));
  const std::string disk = refusal(e, {1e15, "plenty"}, 1e6);
  CHECK_THAT(disk, Catch::Contains("results file") && Catch::Contains("output.file") && Catch::Contains("'out'"));
  CHECK(refusal(e, {1e15, "plenty"}, 1e15).empty());
  CHECK(refusal(e, {1e15, "plenty"}, -1).empty());  // free space unknown: not refused
}
