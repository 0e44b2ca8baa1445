// The steps of the feature pipeline, each a function from a table to a new table that records
// the step, with every parameter, in its provenance. apply_pipeline (pipeline.hpp) composes them.
#pragma once
#include <cstdint>
#include <vector>

#include "sdegen/data/table.hpp"

namespace sdegen {

// Keeps the rows of the listed class codes (in their original order) and encodes the labels:
// with two classes, the first listed is -1 and the second +1 (binary); otherwise the k-th listed
// is k (multiclass, 0..K-1). `codes` empty: every class code of the table, increasing. Needs
// class-code labels, at least two distinct listed classes, each of them present.
Table select_classes(const Table& table, const std::vector<std::int64_t>& codes);

// Average pooling of images (feature shape {h, w}) over `factor` x `factor` blocks: shape
// {h / factor, w / factor}; factor must divide h and w. Factor 1 returns the table unchanged.
Table pool_images(const Table& table, int factor);

enum class Scaling {
  none,         // the values as read
  unit,         // to [0, 1]: by the format's value range (8-bit images: x / 255) when it declares
                // one, else by each feature's minimum and maximum over the rows
  standardize,  // each feature to mean 0 and variance 1 over the rows (variance with 1/N)
};
const char* scaling_name(Scaling scaling);
// Features that are constant over the rows become 0 under unit (per feature) and standardize.
Table scale_features(const Table& table, Scaling scaling);

// The fixed random projection P (input_dim x k): entries i.i.d. N(0, 1/k), drawn in row-major
// order from Stream(seed, 0, 0, Purpose::projection). E[P P^T] = I, so E|x^T P|^2 = |x|^2.
RowMatrix projection_matrix(Eigen::Index input_dim, int k, std::uint64_t seed);
// Features X P with P = projection_matrix(cols, k, seed).
Table project_features(const Table& table, int k, std::uint64_t seed);

}  // namespace sdegen
