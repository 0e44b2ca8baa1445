// The table type: owned numbers are moved into one heap block that copies share; viewed numbers
// (node-shared memory) are kept alive by their owner.
#include "sdegen/data/table.hpp"

#include <stdexcept>

namespace sdegen {

const char* label_kind_name(LabelKind kind) {
  switch (kind) {
    case LabelKind::real: return "real";
    case LabelKind::class_code: return "class code";
    case LabelKind::binary: return "binary (-1/+1)";
    case LabelKind::multiclass: return "multiclass (0..K-1)";
  }
  return "?";
}

namespace {
struct OwnedNumbers {
  RowMatrix features;
  Eigen::VectorXd labels;
};
}  // namespace

Table::Table(RowMatrix features, Eigen::VectorXd labels, TableInfo info)
    : rows_(features.rows()), cols_(features.cols()), info_(std::move(info)) {
  if (labels.size() != features.rows())
    throw std::invalid_argument("Table: " + std::to_string(labels.size()) + " labels for " +
                                std::to_string(features.rows()) + " rows");
  auto owned = std::make_shared<OwnedNumbers>(OwnedNumbers{std::move(features), std::move(labels)});
  features_ = owned->features.data();
  labels_ = owned->labels.data();
  owner_ = std::move(owned);
}

Table::Table(std::shared_ptr<const void> owner, const double* features, const double* labels, Eigen::Index rows,
             Eigen::Index cols, TableInfo info, int shared_by)
    : owner_(std::move(owner)),
      features_(features),
      labels_(labels),
      rows_(rows),
      cols_(cols),
      info_(std::move(info)),
      shared_by_(shared_by) {}

Table Table::with_info(TableInfo info) const {
  Table copy = *this;
  copy.info_ = std::move(info);
  return copy;
}

namespace {

std::string shape_text(std::int64_t rows, std::int64_t cols) { return std::to_string(rows) + " x " + std::to_string(cols); }

std::string labels_text(const TableInfo& info) {
  std::string text = label_kind_name(info.label_kind);
  if (info.label_kind == LabelKind::real) return text;
  text += ":";
  for (std::size_t k = 0; k < info.class_codes.size(); ++k) {
    const std::string encoded = info.label_kind == LabelKind::binary ? (k == 0 ? "-1" : "+1")
                                : info.label_kind == LabelKind::multiclass ? std::to_string(k)
                                                                           : std::to_string(info.class_codes[k]);
    text += " " + encoded + " = " + info.class_names[k];
    if (info.label_kind != LabelKind::class_code) text += " (code " + std::to_string(info.class_codes[k]) + ")";
    if (k + 1 < info.class_codes.size()) text += ",";
  }
  return text;
}

}  // namespace

ProvenanceRecord provenance_record(const Table& table) {
  const TableProvenance& p = table.info().provenance;
  std::string sources;
  for (const auto& s : p.sources)
    sources += (sources.empty() ? "" : "; ") + s.path + " (" + std::to_string(s.bytes) + " bytes, crc32 " +
               crc32_hex(s.crc32) + ")";
  auto optional_crc = [](const std::optional<std::uint32_t>& crc) { return crc ? crc32_hex(*crc) : std::string("none"); };
  return {{"format", p.format},
          {"sources", sources},
          {"original_shape", shape_text(p.original_rows, p.original_cols)},
          {"shape", shape_text(table.rows(), table.cols())},
          {"labels", labels_text(table.info())},
          {"pipeline", p.pipeline_text()},
          {"features_crc32", optional_crc(p.features_crc32)},
          {"labels_crc32", optional_crc(p.labels_crc32)}};
}

}  // namespace sdegen
