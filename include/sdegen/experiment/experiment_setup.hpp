// Everything fixed before an experiment runs: the grid, each cell's problem, layout and bound
// estimators, the seed and the replicate range. Built and validated once, identically on every rank.
#pragma once
#include <cstdint>
#include <vector>

#include "sdegen/bounds/bounds_config.hpp"
#include "sdegen/config/config.hpp"
#include "sdegen/config/grid.hpp"
#include "sdegen/experiment/data_tables.hpp"
#include "sdegen/experiment/replicate.hpp"

namespace sdegen {

struct ExperimentSetup {
  Grid grid;
  std::vector<CellSetup> cells;  // one per grid cell, by index
  DataTables tables;             // the tables of cells on data.source fashion-mnist or table
  BoundsConfig bounds;
  std::uint64_t seed = 0;
  int replicates = 0;  // replicates [first_replicate, first_replicate + replicates)
  int first_replicate = 0;
  int block = 0;
  std::vector<int> active;  // the cells this run computes (all, or a --cells part)
  bool is_active(int cell) const;
};

// Throws UsageError when an option does not fit a cell. Loads the cells' tables: collective over
// every rank when MPI runs.
ExperimentSetup make_setup(const RunConfig& config);

}  // namespace sdegen
