// Which table a cell trains on: the data.* options as one description (source, file, labels,
// feature pipeline), and the loader that reads and transforms it with errors naming the options.
#pragma once
#include <string>

#include "sdegen/config/grid.hpp"
#include "sdegen/data/pipeline.hpp"

namespace sdegen {

struct DataSourceSpec {
  std::string source;      // fashion-mnist or table
  std::string file;        // table: the CSV or HDF5 file; fashion-mnist: its directory ("" for Debian's)
  std::string labels;      // table: label column (CSV) or dataset (HDF5); "" for the format's convention
  LabelKind label_kind = LabelKind::real;  // table: how its labels are read (real or class_code)
  PipelineConfig pipeline;

  // One line that names everything above: two cells with equal keys train on the same table.
  std::string key() const;
};

// The codes of option data.classes: integers separated by blanks or commas; "" for every class.
// Throws UsageError naming the option.
std::vector<std::int64_t> parse_class_list(const std::string& text);

// The table of a cell (data.source fashion-mnist or table); labels: how the model reads a
// table's labels (real targets or class codes; Fashion-MNIST's are always class codes).
DataSourceSpec data_source_spec(const CellParams& cell, LabelKind labels);

// Reads the source and applies the pipeline. Every error is a UsageError that names the option
// (data.file, data.labels, data.classes, data.pool, ...) and the file.
Table load_data_source(const DataSourceSpec& spec);

}  // namespace sdegen
