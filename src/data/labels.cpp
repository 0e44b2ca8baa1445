// Label kinds checked value by value, and the distinct class codes of a column of labels (the
// codes become the classes a pipeline can select).
#include "sdegen/data/labels.hpp"

#include <cmath>
#include <cstdio>
#include <set>
#include <stdexcept>

namespace sdegen {

std::string label_problem(double value, LabelKind expected) {
  if (std::isnan(value)) return "the label is NaN";
  if (std::isinf(value)) return "the label is infinite";
  if (expected == LabelKind::real) return "";
  if (expected != LabelKind::class_code) throw std::invalid_argument("label_problem: a reader expects real labels or class codes");
  if (value != std::floor(value) || std::abs(value) > 0x1p53) {
    char text[64];
    std::snprintf(text, sizeof text, "%.17g", value);
    return std::string("the label ") + text + " is not an integer class code";
  }
  return "";
}

void set_class_codes(const Eigen::VectorXd& labels, TableInfo& info) {
  const std::set<double> distinct(labels.data(), labels.data() + labels.size());
  info.label_kind = LabelKind::class_code;
  info.class_codes.clear();
  info.class_names.clear();
  for (double code : distinct) {
    info.class_codes.push_back(static_cast<std::int64_t>(code));
    info.class_names.push_back(std::to_string(info.class_codes.back()));
  }
}

}  // namespace sdegen
