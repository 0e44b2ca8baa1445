// The class subset of a table and the label encoding of the task: -1/+1 for two classes,
// 0..K-1 otherwise, in the order the classes are listed.
#include <map>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/data/feature_steps.hpp"

namespace sdegen {

Table select_classes(const Table& table, const std::vector<std::int64_t>& codes) {
  const TableInfo& source = table.info();
  if (source.label_kind != LabelKind::class_code)
    throw UsageError("a class subset needs class labels; this table's labels are " +
                     std::string(label_kind_name(source.label_kind)));
  const std::vector<std::int64_t> chosen = codes.empty() ? source.class_codes : codes;
  std::map<std::int64_t, std::string> name_of;
  for (std::size_t k = 0; k < source.class_codes.size(); ++k) name_of[source.class_codes[k]] = source.class_names[k];
  std::map<std::int64_t, int> index_of;
  for (std::int64_t code : chosen) {
    if (!name_of.count(code)) {
      std::string known;
      for (const auto& [c, name] : name_of) known += (known.empty() ? "" : ", ") + std::to_string(c);
      throw UsageError("class " + std::to_string(code) + " is not a class of the table (classes: " + known + ")");
    }
    if (!index_of.emplace(code, static_cast<int>(index_of.size())).second)
      throw UsageError("class " + std::to_string(code) + " is listed twice");
  }
  if (chosen.size() < 2)
    throw UsageError(std::string("a classification task needs at least two classes; ") +
                     (codes.empty() ? "the table has " : "the class subset lists ") + std::to_string(chosen.size()));
  const bool binary = chosen.size() == 2;

  // One pass over the labels: which rows stay, and their encoded labels.
  const auto labels = table.labels();
  std::vector<Eigen::Index> kept;
  std::vector<double> encoded;
  std::vector<Eigen::Index> per_class(chosen.size(), 0);
  for (Eigen::Index r = 0; r < table.rows(); ++r) {
    const auto it = index_of.find(static_cast<std::int64_t>(labels[r]));
    if (it == index_of.end()) continue;
    kept.push_back(r);
    encoded.push_back(binary ? 2.0 * it->second - 1.0 : it->second);
    ++per_class[it->second];
  }
  for (std::size_t k = 0; k < chosen.size(); ++k)
    if (per_class[k] == 0) throw UsageError("class " + std::to_string(chosen[k]) + " has no rows in the table");

  TableInfo info = source;
  info.label_kind = binary ? LabelKind::binary : LabelKind::multiclass;
  info.class_codes = chosen;
  info.class_names.clear();
  std::string mapping;
  for (std::size_t k = 0; k < chosen.size(); ++k) {
    info.class_names.push_back(name_of[chosen[k]]);
    mapping += (k ? ", " : "") + std::to_string(chosen[k]) + " (" + info.class_names.back() + ") -> " +
               (binary ? (k ? "+1" : "-1") : std::to_string(k)) + " [" + std::to_string(per_class[k]) + " rows]";
  }
  info.provenance.pipeline.push_back("classes " + mapping + ": " + std::to_string(kept.size()) + " of " +
                                     std::to_string(table.rows()) + " rows");
  Eigen::VectorXd new_labels = Eigen::Map<const Eigen::VectorXd>(encoded.data(), static_cast<Eigen::Index>(encoded.size()));
  if (static_cast<Eigen::Index>(kept.size()) == table.rows()) {
    // Every row stays: share the features instead of copying them, only the labels are new.
    auto both = std::make_shared<std::pair<Table, Eigen::VectorXd>>(table, std::move(new_labels));
    return Table(both, both->first.features().data(), both->second.data(), table.rows(), table.cols(), std::move(info),
                 table.shared_by());
  }
  const Eigen::Map<const Eigen::Matrix<Eigen::Index, Eigen::Dynamic, 1>> rows(kept.data(), static_cast<Eigen::Index>(kept.size()));
  RowMatrix features = table.features()(rows, Eigen::all);
  return Table(std::move(features), std::move(new_labels), std::move(info));
}

}  // namespace sdegen
