// /tables/table_K: the provenance record of a table as text attributes (format, sources with
// their sizes and CRC-32, original_shape, shape, labels, pipeline, checksums of the final numbers),
// the options that chose it, and the cells that trained on it; and the check of a file's records.
#include "sdegen/io/table_records.hpp"

#include "sdegen/io/h5_read.hpp"
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

std::string recorded_tables_difference(const std::string& path, const ExperimentSetup& setup) {
  const h5::Handle file = h5::open_file_read_only(path);
  std::string out;
  for (std::size_t k = 0; k < setup.tables.tables.size(); ++k) {
    const std::string name = table_record_name(static_cast<int>(k));
    if (!h5::has_link(file.id(), "tables") ||
        !h5::has_link(h5::Handle(H5Gopen2(file.id(), "tables", H5P_DEFAULT), H5Gclose, "open /tables").id(), name))
      continue;  // a part without cells on this table
    const h5::Handle group(H5Gopen2(file.id(), ("tables/" + name).c_str(), H5P_DEFAULT), H5Gclose, "open " + name);
    ProvenanceRecord recorded;
    for (const auto& [key, value] : provenance_record(setup.tables.tables[k]))
      if (h5::has_attribute(group.id(), key)) recorded.emplace_back(key, h5::read_string_attribute(group.id(), key));
    const std::string difference = table_record_difference(recorded, provenance_record(setup.tables.tables[k]));
    if (!difference.empty()) out += (out.empty() ? "" : "; ") + name + ": " + difference;
  }
  return out;
}

}  // namespace sdegen
