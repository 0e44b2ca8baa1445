// Population quantities as averages over a sample: a held-out sample drawn independently of the
// training set (estimates), or the whole of a finite population (exact). Any problem can use it.
#pragma once
#include "sdegen/problems/problem.hpp"
#include "sdegen/problems/table_problem.hpp"

namespace sdegen {

class SamplePopulation : public Population {
 public:
  static constexpr Eigen::Index kBlockRows = 4096;

  // `sample` must outlive the object. source: held_out or finite.
  SamplePopulation(const Problem& problem, const Dataset& sample, PopulationSource source);
  // The finite population of a table problem: exact averages over all its rows, taken over blocks
  // of block_rows consecutive rows, so that temporaries have the size of a block, not of the
  // table. `problem` must outlive the object; one object serves every replicate of a cell.
  explicit SamplePopulation(const TableProblem& problem, Eigen::Index block_rows = kBlockRows);

  PopulationSource source() const override { return source_; }
  long long sample_size() const override;
  void population_risks(const Vector& w, Eigen::Ref<Vector> out) const override;
  Vector population_gradient(const Vector& w) const override;
  Matrix population_gradient_covariance(const Vector& w) const override;
  Matrix population_hessian(const Vector& w) const override;

 private:
  // visit(block, rows) for consecutive blocks covering the sample, in order; a sample of at most
  // block_rows rows is one block, the sample itself (no copy).
  template <class Visit>
  void for_each_block(Visit&& visit) const;

  const Problem& problem_;
  const Dataset* sample_ = nullptr;     // a held-out (or given) sample
  const TableProblem* table_ = nullptr;  // or the rows of a table
  PopulationSource source_;
  Eigen::Index block_rows_ = kBlockRows;
};

// Which population a cell uses: the problem's closed form, a held-out sample, or the finite
// population. Throws UsageError naming 'problem.population' when the choice is impossible.
PopulationSource choose_population(const std::string& option, bool closed_form_available, bool finite_population,
                                   const std::string& problem);

}  // namespace sdegen
