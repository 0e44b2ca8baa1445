// Feature scaling over the whole population: by the format's declared value range, by each
// feature's range, or to mean 0 and variance 1. Constancy is tested on the range (max == min),
// which is exact, not on a computed variance.
#include <cstdio>

#include "sdegen/data/feature_steps.hpp"

namespace sdegen {

const char* scaling_name(Scaling scaling) {
  switch (scaling) {
    case Scaling::none: return "none";
    case Scaling::unit: return "unit";
    case Scaling::standardize: return "standardize";
  }
  return "?";
}

namespace {
std::string number(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", x);
  return text;
}
}  // namespace

Table scale_features(const Table& table, Scaling scaling) {
  TableInfo info = table.info();
  const auto X = table.features();
  const std::string rows = std::to_string(table.rows()) + " rows";
  if (scaling == Scaling::none) {
    info.provenance.pipeline.push_back("scaling none");
    return table.with_info(std::move(info));
  }
  if (scaling == Scaling::unit && info.value_range) {
    const auto [low, high] = *info.value_range;
    info.provenance.pipeline.push_back("scaling unit: (x - " + number(low) + ") / " + number(high - low) +
                                       " (the format's value range [" + number(low) + ", " + number(high) + "])");
    info.value_range = std::make_pair(0.0, 1.0);
    RowMatrix scaled = (X.array() - low) / (high - low);
    return Table(std::move(scaled), table.labels(), std::move(info));
  }

  const Eigen::RowVectorXd low = X.colwise().minCoeff(), high = X.colwise().maxCoeff();
  const Eigen::Array<bool, 1, Eigen::Dynamic> constant = (high.array() == low.array());
  const std::string constants = std::to_string(constant.count()) + " constant features set to 0";
  Eigen::RowVectorXd shift, scale;
  if (scaling == Scaling::unit) {
    shift = low;
    scale = (high - low).array();
    info.value_range = std::make_pair(0.0, 1.0);
    info.provenance.pipeline.push_back("scaling unit: each feature (x - min) / (max - min) over the " + rows + "; " + constants);
  } else {
    shift = X.colwise().mean();
    scale = ((X.rowwise() - shift).array().square().colwise().sum() / static_cast<double>(table.rows())).sqrt();
    info.value_range.reset();
    info.provenance.pipeline.push_back("scaling standardize: each feature (x - mean) / sd over the " + rows +
                                       " (sd with 1/N); " + constants);
  }
  // A constant feature gets its value as shift and scale 1, hence exactly 0.
  shift = constant.select(low, shift);
  scale = constant.select(Eigen::RowVectorXd::Ones(scale.size()), scale);
  RowMatrix scaled = (X.rowwise() - shift).array().rowwise() / scale.array();
  return Table(std::move(scaled), table.labels(), std::move(info));
}

}  // namespace sdegen
