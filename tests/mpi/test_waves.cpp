// Waves only bound memory: whatever the wave size (one block per rank, a few, all) the merged
// statistics are bit-identical, at any rank count, and equal a serial fold of the blocks.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sdegen/config/config.hpp"
#include "sdegen/experiment/cell_costs.hpp"
#include "sdegen/experiment/experiment.hpp"
#include "sdegen/experiment/waves.hpp"
#include "sdegen/experiment/work_plan.hpp"
#include "sdegen/mpi/communicator.hpp"

using namespace sdegen;

namespace {

// Rank 0's packed total and group states of every cell, broadcast so that every rank compares.
std::vector<double> packed_results(const Communicator& comm, const ExperimentSetup& setup, const ExperimentResult& r) {
  std::vector<double> packed;
  if (comm.is_root())
    for (int c : setup.active) {
      r.cells[c].total.pack(packed);
      for (const auto& g : r.cells[c].groups) g.pack(packed);
    }
  comm.broadcast(packed);
  return packed;
}

// Runs `args` with waves of 1, 2, 5, 12 and 1000 blocks per rank and checks every result against
// the default waves' and against a serial fold of blocks of `block` replicates in block order
// (each block's end_block hooks run, groups are block index mod `groups`).
void check_waves(const std::vector<std::string>& args, int replicates, int block, int groups) {
  const Communicator comm = Communicator::world();
  const ExperimentSetup setup = make_setup(parse_run_command_line(args).config);
  RunControl control;
  const std::vector<double> reference = packed_results(comm, setup, run_experiment(setup, comm, control));
  REQUIRE(!reference.empty());
  for (std::int64_t per_wave : {1, 2, 5, 12, 1000}) {
    control.wave_items = per_wave * comm.size();
    INFO("blocks per wave " << control.wave_items << " on " << comm.size() << " rank(s)");
    const std::vector<double> got = packed_results(comm, setup, run_experiment(setup, comm, control));
    CHECK(got == reference);
  }
  std::vector<double> serial;
  for (int c : setup.active) {
    const CellSetup& cell = setup.cells[c];
    CellResult result(cell.empty_statistics(), groups);
    ReplicateTrace trace;
    for (int b = 0; b * block < replicates; ++b) {
      CellStatistics stats = cell.empty_statistics();
      for (int r = b * block; r < std::min(b * block + block, replicates); ++r) {
        run_replicate(cell, setup.seed, static_cast<std::uint64_t>(r), trace);
        stats.add(trace);
      }
      for (std::size_t e = 0; e < cell.estimators.size(); ++e) cell.estimators[e]->end_block(stats.estimators[e]);
      result.add_block(b, stats);
    }
    result.total.pack(serial);
    for (const auto& g : result.groups) g.pack(serial);
  }
  CHECK(serial == reference);
}

}  // namespace

TEST_CASE("waves of any size give bit-identical results, equal to a serial fold of the blocks") {
  check_waves({"--problem.name", "linreg logistic", "--data.n", "15 31", "--problem.dim", "3", "--train.algorithm",
               "sgd sde", "--train.steps", "20", "--train.log_every", "7", "--mc.replicates", "45", "--mc.block", "4",
               "--bounds.trajectory", "--bounds.terminal", "--bounds.jackknife_groups", "3"},
              45, 4, 3);
}

// The integer tables ride on one block per cell, jackknife group, rank and wave; the nested
// design's supersamples are reduced at each block's end. Neither may depend on the waves or the ranks.
TEST_CASE("waves keep the supersample tables and the nested design's block-end reduction exact") {
  check_waves({"--problem.name", "linreg logistic", "--data.n", "12", "--problem.dim", "2", "--train.batch", "3",
               "--train.steps", "12", "--train.log_every", "4", "--mc.replicates", "46", "--mc.block", "3",
               "--bounds.supersample", "--bounds.jackknife_groups", "4"},
              46, 3, 4);
  check_waves({"--problem.name", "logistic", "--data.n", "8", "--problem.dim", "2", "--train.algorithm", "sgd gd",
               "--train.batch", "2", "--train.steps", "10", "--train.log_every", "5", "--mc.replicates", "48",
               "--mc.block", "4", "--bounds.supersample", "--bounds.supersample_masks", "2",
               "--bounds.jackknife_groups", "3"},
              48, 4, 3);
}

// With enough replicates and more than one rank, blocks are balanced by costs timed on the ranks;
// the assignment changes, the results must not.
TEST_CASE("blocks balanced by timed cell costs give the results of the flop model balance") {
  const Communicator comm = Communicator::world();
  const std::vector<std::string> args = {"--problem.name", "linreg", "--data.n", "10 60", "--problem.dim", "3",
                                         "--train.algorithm", "sgd sde", "--train.steps", "10", "--train.log_every", "5",
                                         "--mc.replicates", "203", "--mc.block", "4", "--bounds.trajectory",
                                         "--bounds.jackknife_groups", "3"};
  const ExperimentSetup setup = make_setup(parse_run_command_line(args).config);
  REQUIRE(worth_measuring_cell_costs(setup, comm.size()) == (comm.size() > 1));
  const std::vector<double> seconds = measure_cell_costs(setup, comm);
  REQUIRE(seconds.size() == setup.active.size());
  for (double s : seconds) CHECK(s > 0);
  std::vector<double> root_seconds = seconds;
  comm.broadcast(root_seconds);
  CHECK(root_seconds == seconds);  // one assignment on every rank
  // The timed costs are what the plan balances by (else it keeps the model's flops).
  WorkPlan plan(setup);
  plan.use_measured_costs(seconds);
  for (std::size_t c = 0; c < seconds.size(); ++c) CHECK(plan.cost_per_replicate(c) == seconds[c]);
  WorkPlan untimed(setup);
  untimed.use_measured_costs(std::vector<double>(seconds.size(), 0.0));  // a cell not timed: the model stays
  CHECK(untimed.cost_per_replicate(0) == WorkPlan(setup).cost_per_replicate(0));

  RunControl timed, modelled;
  modelled.measure_costs = false;
  const std::vector<double> a = packed_results(comm, setup, run_experiment(setup, comm, timed));
  const std::vector<double> b = packed_results(comm, setup, run_experiment(setup, comm, modelled));
  REQUIRE(!a.empty());
  CHECK(a == b);
}
