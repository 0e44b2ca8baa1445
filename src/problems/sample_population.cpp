// Sample averages of the problem's own whole-set kernels, block by block: a large sample (or a
// table) never holds all its per-example gradients, or a copy of all its rows, at once.
#include "sdegen/problems/sample_population.hpp"

#include "sdegen/config/usage_error.hpp"
#include "sdegen/linalg/symmetric_gram.hpp"

namespace sdegen {

SamplePopulation::SamplePopulation(const Problem& problem, const Dataset& sample, PopulationSource source)
    : problem_(problem), sample_(&sample), source_(source) {}

SamplePopulation::SamplePopulation(const TableProblem& problem, Eigen::Index block_rows)
    : problem_(problem), table_(&problem), source_(PopulationSource::finite), block_rows_(block_rows) {}

long long SamplePopulation::sample_size() const {
  return table_ ? static_cast<long long>(table_->table().rows()) : sample_->size();
}

template <class Visit>
void SamplePopulation::for_each_block(Visit&& visit) const {
  if (table_) return table_->for_each_block(block_rows_, visit);
  const Eigen::Index n = sample_size();
  if (n <= block_rows_) return visit(*sample_, n);
  Dataset block;
  for (Eigen::Index first = 0; first < n; first += block_rows_) {
    const Eigen::Index rows = std::min(block_rows_, n - first);
    block.X = sample_->X.middleRows(first, rows);
    if (sample_->y.size() > 0) block.y = sample_->y.segment(first, rows);
    visit(block, rows);
  }
}

void SamplePopulation::population_risks(const Vector& w, Eigen::Ref<Vector> out) const {
  const double n = static_cast<double>(sample_size());
  Vector part(out.size());
  out.setZero();
  for_each_block([&](const Dataset& block, Eigen::Index rows) {
    problem_.empirical_risks(block, w, part);
    out += (static_cast<double>(rows) / n) * part;
  });
}

Vector SamplePopulation::population_gradient(const Vector& w) const {
  const double n = static_cast<double>(sample_size());
  Matrix weights, part(w.size(), 1);
  Vector sum = Vector::Zero(w.size());
  GradientScratch scratch;
  for_each_block([&](const Dataset& block, Eigen::Index rows) {
    weights.setConstant(rows, 1, 1.0 / n);  // the block's share of the mean, in one weighted sum
    problem_.weighted_gradient_sums(block, w, weights, part, scratch);
    sum += part.col(0);
  });
  return sum;
}

Matrix SamplePopulation::population_gradient_covariance(const Vector& w) const {
  const Eigen::Index d = w.size();
  const double n = static_cast<double>(sample_size());
  Matrix second = Matrix::Zero(d, d), grads;
  Vector sum = Vector::Zero(d);
  for_each_block([&](const Dataset& block, Eigen::Index) {
    problem_.example_gradients(block, w, grads);
    add_symmetric_gram(grads, 1.0, second);
    sum += grads.colwise().sum().transpose();
  });
  const Vector mean = sum / n;
  Matrix out = second.selfadjointView<Eigen::Lower>();
  out /= n;
  out -= mean * mean.transpose();
  return out;
}

Matrix SamplePopulation::population_hessian(const Vector& w) const {
  const double n = static_cast<double>(sample_size());
  Matrix out = Matrix::Zero(w.size(), w.size());
  for_each_block([&](const Dataset& block, Eigen::Index rows) {
    out += (static_cast<double>(rows) / n) * problem_.empirical_hessian(block, w);
  });
  return out;
}

PopulationSource choose_population(const std::string& option, bool closed_form_available, bool finite_population,
                                   const std::string& problem) {
  if (option == "closed_form") {
    if (!closed_form_available)
      throw UsageError("option 'problem.population' = closed_form: problem '" + problem +
                       "' has no closed-form population quantities (use held_out or auto)");
    return PopulationSource::closed_form;
  }
  if (option == "held_out") return PopulationSource::held_out;
  if (finite_population) return PopulationSource::finite;
  return closed_form_available ? PopulationSource::closed_form : PopulationSource::held_out;
}

}  // namespace sdegen
