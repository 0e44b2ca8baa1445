// From the data.* options to a table: the format by the file's extension, the pipeline settings,
// and the reader's and the pipeline's messages prefixed with the options they concern.
#include "sdegen/data/data_source.hpp"

#include <cerrno>
#include <cstdlib>
#include <sstream>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/data/csv_table.hpp"
#include "sdegen/data/fashion_mnist.hpp"
#include "sdegen/io/hdf5_table.hpp"

namespace sdegen {

namespace {

bool ends_with(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

enum class FileFormat { csv, hdf5 };

FileFormat table_format(const std::string& file) {
  if (ends_with(file, ".csv")) return FileFormat::csv;
  if (ends_with(file, ".h5") || ends_with(file, ".hdf5")) return FileFormat::hdf5;
  throw UsageError("option 'data.file' = '" + file + "': the table's format is not known by its name (.csv for CSV, "
                   ".h5 or .hdf5 for HDF5)");
}

Scaling parse_scaling(const std::string& name) {
  if (name == "unit") return Scaling::unit;
  if (name == "standardize") return Scaling::standardize;
  return Scaling::none;
}

}  // namespace

std::string DataSourceSpec::key() const {
  std::ostringstream out;
  out << source << "|" << file << "|" << labels << "|" << label_kind_name(label_kind) << "|classes";
  for (auto c : pipeline.classes) out << " " << c;
  out << "|pool " << pipeline.pool << "|" << scaling_name(pipeline.scaling) << "|projection "
      << pipeline.projection_dim << " seed " << pipeline.projection_seed;
  return out.str();
}

std::vector<std::int64_t> parse_class_list(const std::string& text) {
  std::string spaced = text;
  for (char& c : spaced)
    if (c == ',') c = ' ';
  std::istringstream in(spaced);
  std::vector<std::int64_t> codes;
  for (std::string token; in >> token;) {
    errno = 0;
    char* end = nullptr;
    const long long code = std::strtoll(token.c_str(), &end, 10);
    if (*end != '\0' || errno == ERANGE)
      throw UsageError("option 'data.classes': '" + token + "' is not an integer class code");
    codes.push_back(code);
  }
  return codes;
}

DataSourceSpec data_source_spec(const CellParams& cell, LabelKind labels) {
  DataSourceSpec spec;
  spec.source = cell.source;
  spec.file = cell.data_file;
  spec.labels = cell.labels;
  spec.label_kind = cell.source == "fashion-mnist" ? LabelKind::class_code : labels;
  spec.pipeline.classes = parse_class_list(cell.classes_text);
  spec.pipeline.pool = cell.pool;
  spec.pipeline.scaling = parse_scaling(cell.scaling);
  spec.pipeline.projection_dim = cell.projection;
  spec.pipeline.projection_seed = static_cast<std::uint64_t>(cell.projection_seed);
  return spec;
}

Table load_data_source(const DataSourceSpec& spec) {
  Table table;
  if (spec.source == "fashion-mnist") {
    table = read_fashion_mnist(spec.file.empty() ? kFashionMnistDirectory : spec.file);
  } else {
    if (spec.file.empty())
      throw UsageError("option 'data.source' = table needs option 'data.file' (a .csv, .h5 or .hdf5 file)");
    if (table_format(spec.file) == FileFormat::csv) {
      table = read_csv_table(spec.file, {spec.labels.empty() ? "y" : spec.labels, spec.label_kind});
    } else {
      Hdf5TableOptions options;
      if (!spec.labels.empty()) options.labels = spec.labels;
      options.label_kind = spec.label_kind;
      table = read_hdf5_table(spec.file, options);
    }
  }
  const std::string where = spec.source == "fashion-mnist" ? std::string("Fashion-MNIST") : "'" + spec.file + "'";
  if (!spec.pipeline.classes.empty() && table.info().label_kind != LabelKind::class_code)
    throw UsageError("option 'data.classes' selects classes, but the labels of " + where +
                     " are read as real targets (the problem regresses on them)");
  if (spec.pipeline.pool > 1 && table.info().feature_shape.size() != 2)
    throw UsageError("option 'data.pool' = " + std::to_string(spec.pipeline.pool) + ": pooling needs images; " + where +
                     " holds a table of features");
  try {
    return apply_pipeline(table, spec.pipeline);
  } catch (const UsageError& e) {
    // The pipeline speaks of classes, pooling and projections: say which options set them.
    throw UsageError("the feature pipeline (options data.classes, data.pool, data.scaling, data.projection) on " +
                     where + ": " + e.what());
  }
}

}  // namespace sdegen
