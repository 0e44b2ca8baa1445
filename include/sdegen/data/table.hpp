// A finite population: a table of examples (features one row each, one label per row) and its
// provenance. The population distribution is the uniform distribution over the rows.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sdegen/data/provenance.hpp"

namespace sdegen {

// Row-major: a training set is a gather of rows, each one contiguous; an exact population average
// runs over blocks of consecutive rows, each one contiguous block (one pass through memory).
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// class_code: integer codes as in the source, before the pipeline encodes them;
// binary: -1 and +1; multiclass: 0 .. K-1; real: a real-valued target.
enum class LabelKind { real, class_code, binary, multiclass };
const char* label_kind_name(LabelKind kind);

// Everything about a table except its numbers.
struct TableInfo {
  LabelKind label_kind = LabelKind::real;
  // class_code: the codes present, increasing. binary and multiclass: the source code of each
  // encoded class (index k is class k; binary: index 0 is -1, index 1 is +1).
  std::vector<std::int64_t> class_codes;
  std::vector<std::string> class_names;    // parallel to class_codes
  std::vector<std::string> feature_names;  // one per column, or empty (pixels, projections)
  std::vector<int> feature_shape;          // {height, width} for images, else {cols}
  // The range the format declares for every feature value (8-bit images: 0 and 255); none when
  // the format declares none.
  std::optional<std::pair<double, double>> value_range;
  TableProvenance provenance;
};

// Immutable; copies share the numbers. The numbers live either in this process or in memory
// shared by the ranks of a node (see sdegen/mpi/node_shared_table.hpp).
class Table {
 public:
  using FeatureView = Eigen::Map<const RowMatrix>;
  using LabelView = Eigen::Map<const Eigen::VectorXd>;

  Table() = default;
  // A table owning its numbers; labels must have one entry per row of features.
  Table(RowMatrix features, Eigen::VectorXd labels, TableInfo info);
  // A view of rows x cols features and rows labels at the given addresses, kept alive by `owner`;
  // `shared_by` counts the processes that map this memory.
  Table(std::shared_ptr<const void> owner, const double* features, const double* labels, Eigen::Index rows,
        Eigen::Index cols, TableInfo info, int shared_by);

  FeatureView features() const { return FeatureView(features_, rows_, cols_); }
  LabelView labels() const { return LabelView(labels_, rows_); }
  Eigen::Index rows() const { return rows_; }
  Eigen::Index cols() const { return cols_; }
  const TableInfo& info() const { return info_; }
  int shared_by() const { return shared_by_; }  // 1: this process's own memory

  // The same numbers described by other information (the pipeline's checksum step uses it).
  Table with_info(TableInfo info) const;

 private:
  std::shared_ptr<const void> owner_;
  const double* features_ = nullptr;
  const double* labels_ = nullptr;
  Eigen::Index rows_ = 0;
  Eigen::Index cols_ = 0;
  TableInfo info_;
  int shared_by_ = 1;
};

// The record of a table: format, sources (path, bytes, crc32 of each), original_shape, shape,
// labels (kind and classes), pipeline, features_crc32, labels_crc32 ("none" before apply_pipeline).
ProvenanceRecord provenance_record(const Table& table);

}  // namespace sdegen
