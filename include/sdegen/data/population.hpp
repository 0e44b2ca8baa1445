// The finite-population model over a table: a training set is n rows drawn i.i.d. uniformly with
// replacement, and population averages are exact averages over all rows, taken block by block.
#pragma once
#include <Eigen/Core>
#include <algorithm>

#include "sdegen/data/table.hpp"
#include "sdegen/problems/problem.hpp"
#include "sdegen/random/stream.hpp"

namespace sdegen {

// n row indices, each uniform on 0..rows-1 and independent of the others (with replacement).
Eigen::VectorXi draw_row_indices(Eigen::Index rows, int n, Stream& stream);

// The training set of the given rows: X (rows.size() x cols) and y.
Dataset gather_rows(const Table& table, const Eigen::VectorXi& rows);

// Calls visit(X, y, first_row) for consecutive blocks of at most block_rows rows, in order; X and
// y view the table's memory (one contiguous block each). Population averages are sums over the
// blocks divided by table.rows(), so memory traffic is one pass and temporaries are block-sized.
template <class Visit>
void for_each_row_block(const Table& table, Eigen::Index block_rows, Visit&& visit) {
  const auto X = table.features();
  const auto y = table.labels();
  for (Eigen::Index first = 0; first < table.rows(); first += block_rows) {
    const Eigen::Index count = std::min(block_rows, table.rows() - first);
    visit(Eigen::Map<const RowMatrix>(X.data() + first * table.cols(), count, table.cols()),
          Eigen::Map<const Eigen::VectorXd>(y.data() + first, count), first);
  }
}

// The exact mean and covariance (with 1/N: the population's) of the feature vector under the
// uniform distribution over the rows.
struct FeatureMoments {
  Eigen::VectorXd mean;
  Eigen::MatrixXd covariance;
};
FeatureMoments feature_moments(const Table& table, Eigen::Index block_rows = 4096);

}  // namespace sdegen
