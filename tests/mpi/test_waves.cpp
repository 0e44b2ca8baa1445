// Waves only bound memory: whatever the wave size (one block per rank, a few, all) the merged
// statistics are bit-identical, at any rank count, and equal a serial fold of the blocks.
#include <catch2/catch.hpp>

#include "sdegen/config/config.hpp"
#include "sdegen/experiment/experiment.hpp"
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

}  // namespace

TEST_CASE("waves of any size give bit-identical results, equal to a serial fold of the blocks") {
  const Communicator comm = Communicator::world();
  const ExperimentSetup setup = make_setup(
      parse_run_command_line({"--problem.name", "linreg logistic", "--data.n", "15 31", "--problem.dim", "3",
                              "--train.algorithm", "sgd sde", "--train.steps", "20", "--train.log_every", "7",
                              "--mc.replicates", "45", "--mc.block", "4", "--bounds.trajectory", "--bounds.terminal",
                              "--bounds.jackknife_groups", "3"})
          .config);
  RunControl control;
  const std::vector<double> reference = packed_results(comm, setup, run_experiment(setup, comm, control));
  REQUIRE(!reference.empty());
  for (std::int64_t per_wave : {1, 2, 5, 12, 1000}) {
    control.wave_items = per_wave * comm.size();
    INFO("blocks per wave " << control.wave_items << " on " << comm.size() << " rank(s)");
    const std::vector<double> got = packed_results(comm, setup, run_experiment(setup, comm, control));
    CHECK(got == reference);
  }
  // The serial fold, in block order, with the groups as block index mod G.
  std::vector<double> serial;
  for (int c : setup.active) {
    const CellSetup& cell = setup.cells[c];
    CellResult result(cell.empty_statistics(), 3);
    ReplicateTrace trace;
    for (int block = 0; block * 4 < 45; ++block) {
      CellStatistics stats = cell.empty_statistics();
      for (int r = block * 4; r < std::min(block * 4 + 4, 45); ++r) {
        run_replicate(cell, setup.seed, static_cast<std::uint64_t>(r), trace);
        stats.add(trace);
      }
      result.add_block(block, stats);
    }
    result.total.pack(serial);
    for (const auto& g : result.groups) g.pack(serial);
  }
  CHECK(serial == reference);
}
