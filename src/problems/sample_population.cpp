// Sample averages of the problem's own whole-set kernels. The covariance is accumulated over
// blocks of rows, so a large sample never holds all its per-example gradients at once.
#include "sdegen/problems/sample_population.hpp"

#include "sdegen/config/usage_error.hpp"

namespace sdegen {

SamplePopulation::SamplePopulation(const Problem& problem, const Dataset& sample, PopulationSource source)
    : problem_(problem), sample_(sample), source_(source) {}

void SamplePopulation::population_risks(const Vector& w, Eigen::Ref<Vector> out) const {
  problem_.empirical_risks(sample_, w, out);
}

Vector SamplePopulation::population_gradient(const Vector& w) const { return problem_.full_gradient(sample_, w); }

Matrix SamplePopulation::population_gradient_covariance(const Vector& w) const {
  constexpr Eigen::Index kBlock = 4096;
  const Eigen::Index n = sample_.size(), d = w.size();
  Matrix second = Matrix::Zero(d, d), grads;
  Vector sum = Vector::Zero(d);
  Dataset block;
  for (Eigen::Index first = 0; first < n; first += kBlock) {
    const Eigen::Index rows = std::min(kBlock, n - first);
    const Dataset* part = &sample_;
    if (rows < n) {
      block.X = sample_.X.middleRows(first, rows);
      if (sample_.y.size() > 0) block.y = sample_.y.segment(first, rows);
      part = &block;
    }
    problem_.example_gradients(*part, w, grads);
    second.selfadjointView<Eigen::Lower>().rankUpdate(grads.transpose());
    sum += grads.colwise().sum().transpose();
  }
  const Vector mean = sum / static_cast<double>(n);
  Matrix out = second.selfadjointView<Eigen::Lower>();
  out /= static_cast<double>(n);
  out -= mean * mean.transpose();
  return out;
}

Matrix SamplePopulation::population_hessian(const Vector& w) const { return problem_.empirical_hessian(sample_, w); }

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
