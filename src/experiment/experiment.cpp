// The experiment driver. Block b of cell c holds replicates [b B, (b+1) B); its statistics are
// accumulated replicate by replicate, and rank 0 merges blocks 0, 1, 2, ... in that order, so
// the floating-point result is the same for any rank count and any assignment of blocks.
#include "sdegen/experiment/experiment.hpp"

#include <algorithm>

#include "sdegen/mpi/gather_blocks.hpp"
#include "sdegen/mpi/work_plan.hpp"
#include "sdegen/problems/make_problem.hpp"
#include "sdegen/report/progress.hpp"

namespace sdegen {

ExperimentSetup make_setup(const RunConfig& config) {
  ExperimentSetup setup;
  setup.grid = build_grid(config);
  setup.seed = static_cast<std::uint64_t>(config.integer("mc.seed"));
  setup.replicates = static_cast<int>(config.integer("mc.replicates"));
  setup.block = static_cast<int>(config.integer("mc.block"));
  for (const auto& cell : setup.grid.cells) {
    setup.problems.push_back(make_problem(cell));
    setup.layouts.push_back(make_layout(*setup.problems.back(), cell));
  }
  return setup;
}

double replicate_cost(const CellParams& cell) {
  const double n = cell.n, d = cell.dim, b = cell.batch;
  double per_step = 4 * b * d;
  if (cell.algorithm == "gd") per_step = 4 * n * d;
  if (cell.algorithm == "sde") per_step = cell.substeps * (6 * n * d + 40 * n);
  const double per_log = 10 * n * d + n * d * d + d * d * d;
  return cell.steps * per_step + cell.logged_steps().size() * per_log + 40 * n * d;
}

std::vector<CellStatistics> run_experiment(const ExperimentSetup& setup, const Communicator& comm,
                                           bool show_progress) {
  struct Item {
    int cell, first, last;  // replicates [first, last)
  };
  std::vector<Item> items;
  std::vector<double> costs;
  for (const auto& cell : setup.grid.cells)
    for (int first = 0; first < setup.replicates; first += setup.block) {
      const int last = std::min(first + setup.block, setup.replicates);
      items.push_back({cell.index, first, last});
      costs.push_back((last - first) * replicate_cost(cell));
    }
  const std::vector<int> owner = assign_work(costs, comm.size);

  double my_cost = 0;
  for (std::size_t i = 0; i < items.size(); ++i)
    if (owner[i] == comm.rank) my_cost += costs[i];
  Progress progress(my_cost, show_progress && comm.is_root());

  std::vector<std::pair<int, std::vector<double>>> mine;
  ReplicateTrace trace;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (owner[i] != comm.rank) continue;
    const Item& item = items[i];
    const CellParams& cell = setup.grid.cells[item.cell];
    const QuantityLayout& layout = setup.layouts[item.cell];
    CellStatistics block(layout);
    for (int r = item.first; r < item.last; ++r) {
      run_replicate(*setup.problems[item.cell], cell, layout, setup.seed, static_cast<std::uint64_t>(r), trace);
      block.add(trace);
    }
    std::vector<double> packed;
    block.pack(packed);
    mine.emplace_back(static_cast<int>(i), std::move(packed));
    progress.advance(costs[i], item.last - item.first);
  }
  progress.finish();

  const auto gathered = gather_items(comm, mine, static_cast<int>(items.size()));
  std::vector<CellStatistics> cells;
  if (!comm.is_root()) return cells;
  for (const auto& layout : setup.layouts) cells.emplace_back(layout);
  for (std::size_t i = 0; i < items.size(); ++i)
    cells[items[i].cell].merge(CellStatistics::unpack(gathered[i], setup.layouts[items[i].cell]));
  return cells;
}

}  // namespace sdegen
