// The fixed Gaussian projection: a matrix drawn once from a recorded seed, so the same seed
// gives the same features on every rank and in every run.
#include <cmath>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/data/feature_steps.hpp"
#include "sdegen/random/stream.hpp"

namespace sdegen {

RowMatrix projection_matrix(Eigen::Index input_dim, int k, std::uint64_t seed) {
  RowMatrix projection(input_dim, k);
  Stream stream(seed, 0, 0, Purpose::projection);
  stream.fill_normal(projection);  // row-major storage order: row by row
  projection /= std::sqrt(static_cast<double>(k));
  return projection;
}

Table project_features(const Table& table, int k, std::uint64_t seed) {
  if (k < 1) throw UsageError("the projection dimension must be at least 1, not " + std::to_string(k));
  TableInfo info = table.info();
  const std::string d = std::to_string(table.cols()), ks = std::to_string(k);
  info.provenance.pipeline.push_back("gaussian projection " + d + " -> " + ks + ": features X P, P " + d + " x " + ks +
                                     " with entries N(0, 1/" + ks + ") drawn row by row from seed " + std::to_string(seed) +
                                     " (Philox stream, purpose projection)");
  info.feature_shape = {k};
  info.feature_names.clear();
  info.value_range.reset();
  RowMatrix projected = table.features() * projection_matrix(table.cols(), k, seed);
  return Table(std::move(projected), table.labels(), std::move(info));
}

}  // namespace sdegen
