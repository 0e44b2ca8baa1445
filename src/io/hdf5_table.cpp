// HDF5 tables through the project's HDF5 reading functions (h5_read.hpp); their runtime errors become
// one UsageError naming the file and the dataset.
#include "sdegen/io/hdf5_table.hpp"

#include <cmath>
#include <set>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/data/labels.hpp"
#include "sdegen/io/h5_read.hpp"

namespace sdegen {

namespace {

// Checks that `name` is a dataset of integers or floats.
void require_numeric(hid_t file, const std::string& path, const std::string& name) {
  bool exists = false;
  try {
    exists = h5::has_link(file, name);
  } catch (const std::runtime_error&) {  // a missing group on the way
  }
  if (!exists) throw UsageError("'" + path + "': no dataset '" + name + "'");
  const hid_t id = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
  if (id < 0) throw UsageError("'" + path + "': '" + name + "' is not a dataset");
  h5::Handle set(id, H5Dclose, "open dataset " + name);
  h5::Handle type(H5Dget_type(set.id()), H5Tclose, "get the type of " + name);
  const H5T_class_t type_class = H5Tget_class(type.id());
  if (type_class != H5T_INTEGER && type_class != H5T_FLOAT)
    throw UsageError("'" + path + "': dataset '" + name + "' is not numeric (integers or floats)");
}

}  // namespace

Table read_hdf5_table(const std::string& path, const Hdf5TableOptions& options) {
  if (options.label_kind != LabelKind::real && options.label_kind != LabelKind::class_code)
    throw std::invalid_argument("read_hdf5_table: labels must be real or class codes");
  h5::silence_error_printing();
  const int hdf5 = h5::is_hdf5_file(path);
  if (hdf5 < 0) throw UsageError("'" + path + "': cannot read the file");
  if (hdf5 == 0) throw UsageError("'" + path + "': not an HDF5 file");
  const SourceFile source = checksum_file(path);

  std::vector<double> values, label_values;
  std::vector<hsize_t> dims, label_dims;
  std::vector<std::string> names;
  try {
    h5::Handle file = h5::open_file_read_only(path);
    require_numeric(file.id(), path, options.features);
    require_numeric(file.id(), path, options.labels);
    values = h5::read_real_dataset(file.id(), options.features, &dims);
    label_values = h5::read_real_dataset(file.id(), options.labels, &label_dims);
    h5::Handle set(H5Dopen2(file.id(), options.features.c_str(), H5P_DEFAULT), H5Dclose, "open " + options.features);
    if (h5::has_attribute(set.id(), "feature_names")) names = h5::read_string_list_attribute(set.id(), "feature_names");
  } catch (const UsageError&) {
    throw;
  } catch (const std::exception& e) {
    throw UsageError("'" + path + "': " + e.what());
  }

  const std::string& f = options.features;
  if (dims.size() != 2)
    throw UsageError("'" + path + "': dataset '" + f + "' has " + std::to_string(dims.size()) + " dimensions, not 2 (rows x columns)");
  if (label_dims.size() != 1)
    throw UsageError("'" + path + "': dataset '" + options.labels + "' has " + std::to_string(label_dims.size()) +
                     " dimensions, not 1 (one label per row)");
  const auto rows = static_cast<Eigen::Index>(dims[0]);
  const auto cols = static_cast<Eigen::Index>(dims[1]);
  if (rows == 0 || cols == 0)
    throw UsageError("'" + path + "': dataset '" + f + "' is empty (" + std::to_string(rows) + " x " + std::to_string(cols) + ")");
  if (static_cast<Eigen::Index>(label_dims[0]) != rows)
    throw UsageError("'" + path + "': dataset '" + options.labels + "' has " + std::to_string(label_dims[0]) +
                     " labels for the " + std::to_string(rows) + " rows of '" + f + "'");

  Eigen::Map<const RowMatrix> features(values.data(), rows, cols);
  if (!features.allFinite()) {
    for (Eigen::Index r = 0; r < rows; ++r)
      for (Eigen::Index c = 0; c < cols; ++c)
        if (!std::isfinite(features(r, c)))
          throw UsageError("'" + path + "': dataset '" + f + "', row " + std::to_string(r) + ", column " + std::to_string(c) +
                           ": the value is " + (std::isnan(features(r, c)) ? "NaN" : "infinite"));
  }
  for (Eigen::Index r = 0; r < rows; ++r) {
    const std::string problem = label_problem(label_values[r], options.label_kind);
    if (!problem.empty())
      throw UsageError("'" + path + "': dataset '" + options.labels + "', row " + std::to_string(r) + ": " + problem);
  }
  if (!names.empty()) {
    if (static_cast<Eigen::Index>(names.size()) != cols)
      throw UsageError("'" + path + "': attribute 'feature_names' of '" + f + "' has " + std::to_string(names.size()) +
                       " names for " + std::to_string(cols) + " columns");
    std::set<std::string> seen;
    for (std::size_t c = 0; c < names.size(); ++c)
      if (!seen.insert(names[c]).second)
        throw UsageError("'" + path + "': attribute 'feature_names' of '" + f + "', column " + std::to_string(c) +
                         ": the name '" + names[c] + "' repeats");
  }

  TableInfo info;
  info.feature_names = std::move(names);
  info.feature_shape = {static_cast<int>(cols)};
  Eigen::VectorXd labels = Eigen::Map<const Eigen::VectorXd>(label_values.data(), rows);
  if (options.label_kind == LabelKind::class_code) set_class_codes(labels, info);
  info.provenance.format = "hdf5 (features '" + f + "', labels '" + options.labels + "')";
  info.provenance.sources = {source};
  info.provenance.original_rows = rows;
  info.provenance.original_cols = cols;
  return Table(RowMatrix(features), std::move(labels), std::move(info));
}

}  // namespace sdegen
