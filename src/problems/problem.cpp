// Problem members shared by every problem: the default initialisation, the full gradient as a
// weighted gradient sum, the empirical gradient covariance, the population source names, and the
// transposed training set of the gradient scratch.
#include "sdegen/problems/problem.hpp"

#include <stdexcept>

namespace sdegen {

void Problem::initial_weights(Stream& stream, double scale, Vector& w) const {
  w.resize(dim());
  stream.fill_normal(w);
  w *= scale;
}

bool Problem::example_gradient_scales(const Dataset&, const Vector&, Vector&, GradientScratch&) const { return false; }

std::string population_source_name(PopulationSource source) {
  switch (source) {
    case PopulationSource::closed_form: return "closed form";
    case PopulationSource::held_out: return "held-out sample";
    case PopulationSource::finite: return "exact over a finite population";
  }
  return "unknown";
}

void Problem::example_predictions(const Dataset&, const Vector&, Eigen::ArrayXi&) const {
  throw std::logic_error(name() + ": predictions are not classes (prediction_symbols() is 0)");
}

Vector Problem::full_gradient(const Dataset& data, const Vector& w) const {
  const Matrix weights = Matrix::Constant(data.size(), 1, 1.0 / data.size());
  Matrix out(dim(), 1);
  GradientScratch scratch;
  weighted_gradient_sums(data, w, weights, out, scratch);
  return out.col(0);
}

const Matrix& GradientScratch::examples_as_columns(const Dataset& data) {
  const Eigen::Index d = data.X.cols(), padded = (d + 7) / 8 * 8;
  if (columns_of_ != &data || columns_.cols() != data.X.rows() || columns_.rows() != padded) {
    columns_.setZero(padded, data.X.rows());
    columns_.topRows(d) = data.X.transpose();
    columns_of_ = &data;
  }
  return columns_;
}

Matrix empirical_gradient_covariance(const Matrix& example_gradients) {
  const Vector mean = example_gradients.colwise().mean();
  const Matrix centred = example_gradients.rowwise() - mean.transpose();
  return centred.transpose() * centred / static_cast<double>(example_gradients.rows());
}

}  // namespace sdegen
