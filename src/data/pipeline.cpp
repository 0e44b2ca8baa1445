// The pipeline's fixed order of steps, and the checksums that identify the final table; options
// are checked before any step runs.
#include "sdegen/data/pipeline.hpp"

#include "sdegen/config/usage_error.hpp"
#include "sdegen/io/checksum.hpp"

namespace sdegen {

Table with_checksums(const Table& table) {
  TableInfo info = table.info();
  const auto bytes = [](Eigen::Index count) { return static_cast<std::size_t>(count) * sizeof(double); };
  info.provenance.features_crc32 = crc32_bytes(table.features().data(), bytes(table.features().size()));
  info.provenance.labels_crc32 = crc32_bytes(table.labels().data(), bytes(table.labels().size()));
  return table.with_info(std::move(info));
}

Table apply_pipeline(const Table& table, const PipelineConfig& config) {
  if (config.pool < 1) throw UsageError("the pooling factor must be at least 1, not " + std::to_string(config.pool));
  if (config.projection_dim < 0)
    throw UsageError("the projection dimension must be 0 (none) or positive, not " + std::to_string(config.projection_dim));
  Table current = table;
  if (table.info().label_kind == LabelKind::class_code)
    current = select_classes(current, config.classes);
  else if (!config.classes.empty())
    throw UsageError("a class subset needs class labels; this table's labels are " +
                     std::string(label_kind_name(table.info().label_kind)));
  if (config.pool > 1) current = pool_images(current, config.pool);
  current = scale_features(current, config.scaling);
  if (config.projection_dim > 0) current = project_features(current, config.projection_dim, config.projection_seed);
  return with_checksums(current);
}

}  // namespace sdegen
