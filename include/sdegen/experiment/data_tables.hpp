// The tables a run's cells train on: each distinct one read and transformed once, and shared by
// the MPI ranks of a node; cells with the same data options share one table.
#pragma once
#include <string>
#include <vector>

#include "sdegen/config/grid.hpp"
#include "sdegen/data/data_source.hpp"

namespace sdegen {

struct DataTables {
  std::vector<DataSourceSpec> specs;  // one per distinct table, in the order of the first cell using it
  std::vector<Table> tables;          // parallel to specs
  std::vector<int> cell_table;        // per grid cell: its table, or -1 for synthetic data

  const Table* of_cell(int cell) const { return cell_table[cell] < 0 ? nullptr : &tables[cell_table[cell]]; }
  // Identifies the tables' numbers (shape and checksums), for checkpoints: "" without tables.
  std::string identity() const;
};

// Collective over every rank when MPI runs (load_once_per_node): every rank calls it with the same
// grid. Errors are UsageErrors on every rank.
DataTables load_data_tables(const Grid& grid);

}  // namespace sdegen
