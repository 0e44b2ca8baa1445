// Builds the cells of an experiment from the config: problem from the registry, per-step layout,
// bound estimators (whose constructors reject bound options that do not fit the cell).
#include "sdegen/experiment/experiment_setup.hpp"

#include <algorithm>

#include "sdegen/problems/problem_registry.hpp"
#include "sdegen/problems/sample_population.hpp"

namespace sdegen {

ExperimentSetup make_setup(const RunConfig& config) {
  ExperimentSetup setup;
  setup.grid = build_grid(config);
  setup.seed = static_cast<std::uint64_t>(config.integer("mc.seed"));
  setup.replicates = static_cast<int>(config.integer("mc.replicates"));
  setup.block = static_cast<int>(config.integer("mc.block"));
  setup.first_replicate = static_cast<int>(config.integer("mc.first_replicate"));
  setup.bounds = BoundsConfig::from(config);
  for (const auto& cell : setup.grid.cells) {
    CellSetup c;
    c.cell = cell;
    const ProblemEntry& entry = find_problem(cell.problem);
    c.problem = entry.make(cell);
    c.population = choose_population(cell.population, c.problem->closed_form_population() != nullptr,
                                     entry.capabilities.finite_population, cell.problem);
    c.layout = make_layout(*c.problem, cell);
    c.estimators = make_estimators(make_bound_context(cell, *c.problem, setup.bounds, c.population));
    setup.cells.push_back(std::move(c));
    if (cell.index % config.cells_parts == config.cells_part) setup.active.push_back(cell.index);
  }
  return setup;
}

bool ExperimentSetup::is_active(int cell) const { return std::binary_search(active.begin(), active.end(), cell); }

}  // namespace sdegen
