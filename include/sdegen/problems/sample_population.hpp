// Population quantities as averages over a sample: a held-out sample drawn independently of the
// training set (estimates), or the whole of a finite population (exact). Any problem can use it.
#pragma once
#include "sdegen/problems/problem.hpp"

namespace sdegen {

class SamplePopulation : public Population {
 public:
  // `sample` must outlive the object. source: held_out or finite.
  SamplePopulation(const Problem& problem, const Dataset& sample, PopulationSource source);
  PopulationSource source() const override { return source_; }
  long long sample_size() const override { return sample_.size(); }
  void population_risks(const Vector& w, Eigen::Ref<Vector> out) const override;
  Vector population_gradient(const Vector& w) const override;
  Matrix population_gradient_covariance(const Vector& w) const override;
  Matrix population_hessian(const Vector& w) const override;

 private:
  const Problem& problem_;
  const Dataset& sample_;
  PopulationSource source_;
};

// Which population a cell uses: the problem's closed form, a held-out sample, or the finite
// population. Throws UsageError naming 'problem.population' when the choice is impossible.
PopulationSource choose_population(const std::string& option, bool closed_form_available, bool finite_population,
                                   const std::string& problem);

}  // namespace sdegen
