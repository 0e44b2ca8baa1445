// Loads the distinct tables of a grid in the order their first cells appear, so that every rank
// makes the same collective calls in the same order.
#include "sdegen/experiment/data_tables.hpp"

#include "sdegen/mpi/node_shared_table.hpp"
#include "sdegen/problems/problem_registry.hpp"

namespace sdegen {

std::string DataTables::identity() const {
  std::string out;
  for (const Table& table : tables)
    for (const auto& [key, value] : provenance_record(table))
      if (key == "shape" || key == "labels" || key == "pipeline" || key == "features_crc32" || key == "labels_crc32")
        out += key + " = " + value + "\n";
  return out;
}

DataTables load_data_tables(const Grid& grid) {
  DataTables out;
  for (const CellParams& cell : grid.cells) {
    if (!cell.on_table()) {
      out.cell_table.push_back(-1);
      continue;
    }
    const DataSourceSpec spec = data_source_spec(cell, find_problem(cell.problem).table_labels(cell));
    int found = -1;
    for (std::size_t k = 0; k < out.specs.size(); ++k)
      if (out.specs[k].key() == spec.key()) found = static_cast<int>(k);
    if (found < 0) {
      out.tables.push_back(load_once_per_node([&] { return load_data_source(spec); }));
      out.specs.push_back(spec);
      found = static_cast<int>(out.specs.size()) - 1;
    }
    out.cell_table.push_back(found);
  }
  return out;
}

}  // namespace sdegen
