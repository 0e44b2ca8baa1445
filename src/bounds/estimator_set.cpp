// The family list and the cell context. The bounded loss is the problem's first evaluation loss
// with a finite subgaussian constant R: every bound is about gen of that loss.
#include "sdegen/bounds/estimator_set.hpp"

#include <cmath>

#include "sdegen/bounds/supersample_estimator.hpp"
#include "sdegen/bounds/terminal_estimator.hpp"
#include "sdegen/bounds/trajectory_estimator.hpp"

namespace sdegen {

BoundContext make_bound_context(const CellParams& cell, const Problem& problem, const BoundsConfig& config,
                                PopulationSource population) {
  BoundContext context;
  context.population = population;
  context.cell = cell;
  context.problem = &problem;
  context.config = config;
  context.dynamics = dynamics_capabilities(cell);
  context.problem_capabilities = find_problem(cell.problem).capabilities;
  for (int l = 0; l < static_cast<int>(problem.losses().size()); ++l)
    if (std::isfinite(problem.losses()[l].subgaussian_r)) {
      context.bounded_loss = l;
      context.r = problem.losses()[l].subgaussian_r;
      break;
    }
  return context;
}

EstimatorSet make_estimators(const BoundContext& context) {
  EstimatorSet set;
  set.push_back(std::make_unique<TrajectoryEstimator>(context));
  set.push_back(std::make_unique<TerminalEstimator>(context));
  set.push_back(std::make_unique<SupersampleEstimator>(context));
  return set;
}

std::vector<EstimatorStatistics::Shape> estimator_shapes(const EstimatorSet& estimators) {
  std::vector<EstimatorStatistics::Shape> shapes;
  for (const auto& e : estimators) shapes.push_back(e->shape());
  return shapes;
}

}  // namespace sdegen
