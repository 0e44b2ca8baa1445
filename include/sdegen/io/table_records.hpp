// The provenance of the tables a run trained on, in its results file: group /tables with one
// subgroup per table (path, shape, labels, pipeline, checksums) that cells name in their `table`.
#pragma once
#include <hdf5.h>

#include <string>

#include "sdegen/experiment/experiment_setup.hpp"

namespace sdegen {

// The name cells give their table by: "table_K".
std::string table_record_name(int table);

// Writes /tables/table_K for every table some active cell uses (nothing without tables).
void write_table_records(hid_t file, const ExperimentSetup& setup);

// "" when every table recorded in the results file `path` is the table the setup loaded now
// (same shape, labels, pipeline and checksums; table_record_difference), else what differs.
std::string recorded_tables_difference(const std::string& path, const ExperimentSetup& setup);

}  // namespace sdegen
