// Builds the cells of an experiment from the config: problem from the registry, per-step layout,
// bound estimators (whose constructors reject bound options that do not fit the cell).
#include "sdegen/experiment/experiment_setup.hpp"

#include <algorithm>
#include <sstream>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/problems/problem_registry.hpp"
#include "sdegen/problems/sample_population.hpp"

namespace sdegen {

namespace {

// What only the loaded table can tell: whether its labels suit the model, and the size limit of
// a training set, n x (the table's columns) <= 1e8 numbers.
void check_cell_on_table(const CellParams& cell, const Table& table) {
  const std::string where = " (cell " + std::to_string(cell.index) + ")";
  const std::string problem = find_problem(cell.problem).check_table(cell, table);
  if (!problem.empty()) throw UsageError(problem + where);
  const double numbers = double(cell.n) * double(table.cols());
  if (numbers > 1e8) {
    std::ostringstream msg;
    msg << "options 'data.n' x the table's " << table.cols() << " columns give " << numbers
        << " numbers per training set, more than the 1e8 sdegen supports" << where;
    throw UsageError(msg.str());
  }
}

}  // namespace

ExperimentSetup make_setup(const RunConfig& config) {
  ExperimentSetup setup;
  setup.grid = build_grid(config);
  setup.seed = static_cast<std::uint64_t>(config.integer("mc.seed"));
  setup.replicates = static_cast<int>(config.integer("mc.replicates"));
  setup.block = static_cast<int>(config.integer("mc.block"));
  setup.first_replicate = static_cast<int>(config.integer("mc.first_replicate"));
  setup.bounds = BoundsConfig::from(config);
  setup.tables = load_data_tables(setup.grid);
  for (auto& cell : setup.grid.cells) {
    CellSetup c;
    const Table* table = setup.tables.of_cell(cell.index);
    if (table) check_cell_on_table(cell, *table);
    c.problem = make_problem(cell, table);
    cell.params = c.problem->dim();  // the grid's copy too: the work plan's cost model reads it
    c.cell = cell;
    c.table = setup.tables.cell_table[cell.index];
    c.population = choose_population(cell.population, c.problem->closed_form_population() != nullptr, table != nullptr,
                                     table ? cell.problem + "' on data.source '" + cell.source : cell.problem);
    if (c.population == PopulationSource::finite)
      c.finite = std::make_unique<SamplePopulation>(static_cast<const TableProblem&>(*c.problem));
    c.layout = make_layout(*c.problem, cell);
    c.estimators = make_estimators(make_bound_context(cell, *c.problem, setup.bounds, c.population));
    setup.cells.push_back(std::move(c));
    if (cell.index % config.cells_parts == config.cells_part) setup.active.push_back(cell.index);
  }
  return setup;
}

bool ExperimentSetup::is_active(int cell) const { return std::binary_search(active.begin(), active.end(), cell); }

}  // namespace sdegen
