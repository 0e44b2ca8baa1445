// /tables/table_K: the provenance record of a table as text attributes (format, sources with
// their sizes and CRC-32, original_shape, shape, labels, pipeline, checksums of the final numbers),
// the options that chose it, and the cells that trained on it.
#include "sdegen/io/table_records.hpp"

#include "sdegen/io/h5_write.hpp"

namespace sdegen {

std::string table_record_name(int table) { return "table_" + std::to_string(table); }

void write_table_records(hid_t file, const ExperimentSetup& setup) {
  const DataTables& tables = setup.tables;
  std::vector<std::vector<std::int64_t>> cells(tables.tables.size());
  for (int c : setup.active)
    if (setup.cells[c].table >= 0) cells[setup.cells[c].table].push_back(c);
  bool any = false;
  for (const auto& list : cells) any = any || !list.empty();
  if (!any) return;
  h5::Handle group = h5::create_group(file, "tables");
  h5::write_attribute(group.id(), "description",
                      std::string("the finite populations (tables) cells trained on; a cell's attribute 'table' names "
                                  "its subgroup; CRC-32s are zlib's (Python: zlib.crc32)"));
  for (std::size_t k = 0; k < tables.tables.size(); ++k) {
    if (cells[k].empty()) continue;
    h5::Handle record = h5::create_group(group.id(), table_record_name(static_cast<int>(k)));
    const DataSourceSpec& spec = tables.specs[k];
    h5::write_attribute(record.id(), "source", spec.source);
    for (const auto& [key, value] : provenance_record(tables.tables[k])) h5::write_attribute(record.id(), key, value);
    h5::write_attribute(record.id(), "rows", static_cast<std::int64_t>(tables.tables[k].rows()));
    h5::write_attribute(record.id(), "columns", static_cast<std::int64_t>(tables.tables[k].cols()));
    h5::write_attribute(record.id(), "cells", cells[k]);
  }
}

}  // namespace sdegen
