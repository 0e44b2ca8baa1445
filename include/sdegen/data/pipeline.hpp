// The feature pipeline from a table as read to the population a run uses: class subset and label
// encoding, pooling, scaling, projection, then the checksums of the final numbers.
#pragma once
#include <cstdint>
#include <vector>

#include "sdegen/data/feature_steps.hpp"
#include "sdegen/data/table.hpp"

namespace sdegen {

struct PipelineConfig {
  // Class codes to keep, in this order (class labels only); empty: every class, increasing.
  // Two classes give labels -1/+1 (the first listed is -1), more give 0..K-1.
  std::vector<std::int64_t> classes;
  int pool = 1;  // average pooling factor for images: 2 (28 x 28 -> 14 x 14), 4 (-> 7 x 7); 1: none
  // unit by default: a fixed map for images (x / 255) that keeps background pixels at exactly 0,
  // bounds every feature (so per-example gradients stay bounded) and gives an image the same
  // features in every class subset; standardize would divide nearly constant border pixels by
  // tiny standard deviations.
  Scaling scaling = Scaling::unit;
  int projection_dim = 0;  // k > 0: a fixed Gaussian projection to k features; 0: none
  std::uint64_t projection_seed = 0;
};

// Applies, in this order: select_classes (when the labels are class codes), pool_images (pool > 1),
// scale_features, project_features (projection_dim > 0); then sets the provenance's
// features_crc32 and labels_crc32. Bad settings are UsageErrors (a class subset for real
// labels, pooling of a table that is not an image, ...).
Table apply_pipeline(const Table& table, const PipelineConfig& config);

// Sets the checksums of the table's numbers in its provenance.
Table with_checksums(const Table& table);

}  // namespace sdegen
