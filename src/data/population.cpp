// Sampling from a finite population and its exact feature moments (two passes: mean, then the
// centred second moment, so that large means cost no precision).
#include "sdegen/data/population.hpp"

namespace sdegen {

Eigen::VectorXi draw_row_indices(Eigen::Index rows, int n, Stream& stream) {
  Eigen::VectorXi indices(n);
  for (int i = 0; i < n; ++i) indices[i] = static_cast<int>(stream.below(static_cast<std::uint64_t>(rows)));
  return indices;
}

Dataset gather_rows(const Table& table, const Eigen::VectorXi& rows) {
  Dataset data;
  data.X = table.features()(rows, Eigen::all);
  data.y = table.labels()(rows);
  return data;
}

FeatureMoments feature_moments(const Table& table, Eigen::Index block_rows) {
  const Eigen::Index d = table.cols();
  const double N = static_cast<double>(table.rows());
  FeatureMoments m{Eigen::VectorXd::Zero(d), Eigen::MatrixXd::Zero(d, d)};
  for_each_row_block(table, block_rows, [&](const auto& X, const auto&, Eigen::Index) {
    m.mean += X.colwise().sum().transpose();
  });
  m.mean /= N;
  for_each_row_block(table, block_rows, [&](const auto& X, const auto&, Eigen::Index) {
    const RowMatrix centred = X.rowwise() - m.mean.transpose();
    m.covariance.noalias() += centred.transpose() * centred;
  });
  m.covariance /= N;
  return m;
}

}  // namespace sdegen
