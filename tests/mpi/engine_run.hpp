// Runs an experiment on every rank of the MPI test job and gives every rank rank 0's merged
// statistics, so that all ranks check the same numbers (MPI tests of the bound estimators).
#pragma once
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sdegen/bounds/bound_values.hpp"
#include "sdegen/config/config.hpp"
#include "sdegen/experiment/experiment.hpp"
#include "sdegen/mpi/communicator.hpp"
#include "sdegen/report/summary.hpp"

namespace engine_test {

struct Run {
  sdegen::ExperimentSetup setup;
  std::vector<sdegen::CellResult> cells;

  sdegen::CellBounds bounds(int cell) const { return sdegen::compute_cell_bounds(setup.cells[cell], cells[cell]); }
  const sdegen::CellStatistics& stats(int cell) const { return cells[cell].total; }
};

inline sdegen::CellStatistics broadcast(const sdegen::Communicator& comm, const sdegen::CellStatistics& stats,
                                        const sdegen::CellSetup& cell) {
  std::vector<double> packed;
  if (comm.is_root()) stats.pack(packed);
  comm.broadcast(packed);
  return comm.is_root() ? stats : sdegen::CellStatistics::unpack(packed, cell.layout, cell.shapes());
}

inline Run run(std::vector<std::string> args) {
  Run r;
  r.setup = sdegen::make_setup(sdegen::parse_run_command_line(args).config);
  const sdegen::Communicator comm = sdegen::Communicator::world();
  const sdegen::ExperimentResult result = sdegen::run_experiment(r.setup, comm);
  const int groups = r.setup.bounds.jackknife_groups;
  for (std::size_t c = 0; c < r.setup.cells.size(); ++c) {
    const sdegen::CellSetup& cell = r.setup.cells[c];
    sdegen::CellResult merged(cell.empty_statistics(), groups);
    merged.total = broadcast(comm, comm.is_root() ? result.cells[c].total : sdegen::CellStatistics(), cell);
    for (int g = 0; g < groups; ++g)
      merged.groups[g] = broadcast(comm, comm.is_root() ? result.cells[c].groups[g] : sdegen::CellStatistics(), cell);
    r.cells.push_back(merged);
  }
  return r;
}

// The bound or reference figure of that name in a cell's bounds; the test fails without it.
inline const sdegen::BoundValue& bound(const sdegen::CellBounds& bounds, const std::string& name) {
  const sdegen::BoundValue* b = bounds.find(name);
  REQUIRE(b != nullptr);
  return *b;
}

inline const sdegen::ReferenceValue& reference(const sdegen::CellBounds& bounds, const std::string& name) {
  for (const auto& family : bounds.estimators)
    for (const auto& r : family.references)
      if (r.name == name) return r;
  FAIL("no reference figure " << name);
  throw;
}

}  // namespace engine_test
