// What a reader accepts as a label of the kind it was asked for, and the class codes of a
// table read with class labels. Shared by the CSV and HDF5 readers.
#pragma once
#include <Eigen/Core>
#include <string>

#include "sdegen/data/table.hpp"

namespace sdegen {

// "" when `value` is a label of kind `expected`, else what is wrong with it. real: any finite
// number; class_code: an integer (of magnitude at most 2^53, so that it is exact in a double).
std::string label_problem(double value, LabelKind expected);

// Sets info's label kind to class_code and its class codes (the distinct values of `labels`,
// increasing) and names (their decimal text).
void set_class_codes(const Eigen::VectorXd& labels, TableInfo& info);

}  // namespace sdegen
