// Reader of a user's table from HDF5: a 2-D numeric dataset of features (one example per row) and
// a 1-D dataset of labels with one entry per row, read with the HDF5 C API.
#pragma once
#include <string>

#include "sdegen/data/table.hpp"

namespace sdegen {

struct Hdf5TableOptions {
  std::string features = "features";  // path of the rows x cols dataset (any integer or float type)
  std::string labels = "labels";      // path of the rows-long dataset
  LabelKind label_kind = LabelKind::real;  // real (a target) or class_code (integer classes)
};

// Convention: features and labels are numeric datasets, read as doubles; an optional string
// attribute `feature_names` on the features dataset (one name per column, distinct) names the
// features. Positions in messages are 0-based, as h5py and numpy index them. Errors
// (UsageError): not an HDF5 file, a missing dataset, a dataset that is not numeric or has the
// wrong rank, no rows or no columns, labels not one per row, NaN or infinity (row and column),
// a label not of the expected kind (row), names that do not match the columns or repeat.
Table read_hdf5_table(const std::string& path, const Hdf5TableOptions& options = {});

}  // namespace sdegen
