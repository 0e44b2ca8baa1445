// The experiment driver. Block b of cell c holds replicates [b B, (b+1) B); its statistics are
// accumulated replicate by replicate, and rank 0 merges blocks 0, 1, 2, ... in that order, so
// the floating-point result is the same for any rank count and any assignment of blocks.
#include "sdegen/experiment/experiment.hpp"

#include <algorithm>
#include <cmath>

#include "sdegen/bounds/gaussian_kl.hpp"
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
  setup.bounds = BoundsConfig::from(config);
  for (const auto& cell : setup.grid.cells) {
    setup.problems.push_back(make_problem(cell));
    setup.layouts.push_back(make_layout(*setup.problems.back(), cell));
    setup.bound_layouts.push_back(make_bound_layout(setup.bounds, *setup.problems.back(), cell));
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

namespace {
// What the second pass needs of a replicate's terminal analysis: kept, so nothing is retrained.
struct KeptTerminal {
  Vector w_star;
  Matrix lambda;
};
}  // namespace

ExperimentResult run_experiment(const ExperimentSetup& setup, const Communicator& comm, bool show_progress) {
  struct Item {
    int cell, block, first, last;  // replicates [first, last)
  };
  std::vector<Item> items;
  std::vector<double> costs;
  for (const auto& cell : setup.grid.cells)
    for (int first = 0, block = 0; first < setup.replicates; first += setup.block, ++block) {
      const int last = std::min(first + setup.block, setup.replicates);
      items.push_back({cell.index, block, first, last});
      double cost = (last - first) * replicate_cost(cell);
      if (setup.bounds.trajectory) cost *= 3;
      if (setup.bounds.terminal) cost *= 3;
      costs.push_back(cost);
    }
  const std::vector<int> owner = assign_work(costs, comm.size);

  double my_cost = 0;
  for (std::size_t i = 0; i < items.size(); ++i)
    if (owner[i] == comm.rank) my_cost += costs[i];
  Progress progress(my_cost, show_progress && comm.is_root());

  auto fresh = [&](int cell) { return CellStatistics(setup.layouts[cell], setup.bound_layouts[cell]); };
  std::vector<std::pair<int, std::vector<double>>> mine;
  std::vector<std::vector<KeptTerminal>> kept(items.size());
  ReplicateTrace trace;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (owner[i] != comm.rank) continue;
    const Item& item = items[i];
    const CellParams& cell = setup.grid.cells[item.cell];
    CellStatistics block = fresh(item.cell);
    for (int r = item.first; r < item.last; ++r) {
      run_replicate(*setup.problems[item.cell], cell, setup.layouts[item.cell], setup.bound_layouts[item.cell],
                    setup.seed, static_cast<std::uint64_t>(r), trace);
      block.add(trace);
      if (setup.bounds.terminal && !trace.diverged && trace.terminal.failure == TerminalFailure::none)
        kept[i].push_back({trace.terminal.w_star, trace.terminal.lambda});
    }
    std::vector<double> packed;
    block.pack(packed);
    mine.emplace_back(static_cast<int>(i), std::move(packed));
    progress.advance(costs[i], item.last - item.first);
  }
  progress.finish();

  ExperimentResult result;
  const int groups = setup.bounds.jackknife_groups;
  const auto gathered = gather_items(comm, mine, static_cast<int>(items.size()));
  if (comm.is_root()) {
    for (const auto& cell : setup.grid.cells) {
      result.cells.push_back(fresh(cell.index));
      result.groups.emplace_back(static_cast<std::size_t>(groups), fresh(cell.index));
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Item& item = items[i];
      const CellStatistics block =
          CellStatistics::unpack(gathered[i], setup.layouts[item.cell], setup.bound_layouts[item.cell]);
      result.cells[item.cell].merge(block);
      result.groups[item.cell][item.block % groups].merge(block);
    }
  }
  if (!setup.bounds.terminal) return result;

  // Second pass (term_xr): w_bar and Lambda_bar of every cell from rank 0, then each rank's kept
  // terminal states against them, gathered and merged in block order like the first pass.
  std::vector<double> centre;
  for (const auto& cell : setup.grid.cells) {
    const int d = setup.bound_layouts[cell.index].dim;
    if (comm.is_root()) {
      const MomentAccumulator& terminal = result.cells[cell.index].terminal;
      for (int k = 0; k < d + d * d; ++k) centre.push_back(terminal.count() > 0 ? terminal.mean()[k] : NAN);
    } else {
      centre.resize(centre.size() + static_cast<std::size_t>(d + d * d));
    }
  }
  MPI_Bcast(centre.data(), static_cast<int>(centre.size()), MPI_DOUBLE, 0, comm.comm);
  std::vector<std::size_t> offset;
  std::size_t position = 0;
  for (const auto& cell : setup.grid.cells) {
    offset.push_back(position);
    const int d = setup.bound_layouts[cell.index].dim;
    position += static_cast<std::size_t>(d + d * d);
  }
  mine.clear();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (owner[i] != comm.rank) continue;
    const int c = items[i].cell, d = setup.bound_layouts[c].dim;
    const Vector w_bar = Eigen::Map<const Vector>(centre.data() + offset[c], d);
    const Matrix lambda_bar = Eigen::Map<const Matrix>(centre.data() + offset[c] + d, d, d);
    MomentAccumulator block(1);
    for (const KeptTerminal& state : kept[i]) {
      Vector twice_kl(1);
      twice_kl[0] = twice_gaussian_kl(state.w_star, state.lambda, w_bar, lambda_bar);
      if (std::isfinite(twice_kl[0])) block.add(twice_kl);
    }
    std::vector<double> packed;
    block.pack(packed);
    mine.emplace_back(static_cast<int>(i), std::move(packed));
  }
  const auto second = gather_items(comm, mine, static_cast<int>(items.size()));
  if (comm.is_root())
    for (std::size_t i = 0; i < items.size(); ++i) {
      const MomentAccumulator block = MomentAccumulator::unpack(second[i].data(), 1);
      result.cells[items[i].cell].terminal_xr.merge(block);
      result.groups[items[i].cell][items[i].block % groups].terminal_xr.merge(block);
    }
  return result;
}

}  // namespace sdegen
