// Average pooling as one linear map: X S with S the sparse (h w) x (h w / factor^2) matrix that
// averages each block, so the work is one pass over the features.
#include <Eigen/SparseCore>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/data/feature_steps.hpp"

namespace sdegen {

Table pool_images(const Table& table, int factor) {
  const TableInfo& source = table.info();
  if (factor == 1) return table;
  if (source.feature_shape.size() != 2) throw UsageError("pooling needs images; this table's features are not an image");
  const int height = source.feature_shape[0], width = source.feature_shape[1];
  if (factor < 1 || height % factor != 0 || width % factor != 0)
    throw UsageError("pooling factor " + std::to_string(factor) + " does not divide the image size " + std::to_string(height) +
                     " x " + std::to_string(width));
  const int out_height = height / factor, out_width = width / factor;

  std::vector<Eigen::Triplet<double>> entries;
  const double weight = 1.0 / (factor * factor);
  for (int i = 0; i < height; ++i)
    for (int j = 0; j < width; ++j) entries.emplace_back(i * width + j, (i / factor) * out_width + j / factor, weight);
  Eigen::SparseMatrix<double> averaging(height * width, out_height * out_width);
  averaging.setFromTriplets(entries.begin(), entries.end());

  TableInfo info = source;
  info.feature_shape = {out_height, out_width};
  info.feature_names.clear();
  info.provenance.pipeline.push_back("average pooling " + std::to_string(factor) + " x " + std::to_string(factor) + ": " +
                                     std::to_string(height) + " x " + std::to_string(width) + " -> " +
                                     std::to_string(out_height) + " x " + std::to_string(out_width));
  RowMatrix pooled = table.features() * averaging;
  return Table(std::move(pooled), table.labels(), std::move(info));
}

}  // namespace sdegen
