// The experiment driver. Block b of cell c holds replicates [b B, (b+1) B); its statistics are
// accumulated replicate by replicate, and rank 0 merges blocks 0, 1, 2, ... in that order, so
// the floating-point result is the same for any rank count and any assignment of blocks.
#include "sdegen/experiment/experiment.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <chrono>
#include <sstream>

#include "sdegen/bounds/gaussian_kl.hpp"
#include "sdegen/config/usage_error.hpp"
#include "sdegen/experiment/checkpoint.hpp"
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
  setup.first_replicate = static_cast<int>(config.integer("mc.first_replicate"));
  setup.bounds = BoundsConfig::from(config);
  for (const auto& cell : setup.grid.cells) {
    setup.problems.push_back(make_problem(cell));
    setup.layouts.push_back(make_layout(*setup.problems.back(), cell));
    setup.bound_layouts.push_back(make_bound_layout(setup.bounds, *setup.problems.back(), cell));
    if (cell.index % config.cells_parts == config.cells_part) setup.active.push_back(cell.index);
  }
  return setup;
}

bool ExperimentSetup::is_active(int cell) const {
  return std::binary_search(active.begin(), active.end(), cell);
}

double replicate_cost(const CellParams& cell) {
  const double n = cell.n, d = cell.dim, b = cell.batch;
  double per_step = 4 * b * d;
  if (cell.algorithm == "gd") per_step = 4 * n * d;
  if (cell.algorithm == "sde") per_step = cell.substeps * (6 * n * d + 40 * n);
  const double per_log = 10 * n * d + n * d * d + d * d * d;
  return cell.steps * per_step + cell.logged_steps().size() * per_log + 40 * n * d;
}

std::string checkpoint_run_key(const RunConfig& config) {
  std::istringstream text(config.effective_text());
  std::string key, line, section;
  for (; std::getline(text, line);) {
    if (!line.empty() && line.front() == '[') section = line;
    if (section != "[output]") key += line + "\n";
  }
  return key + "cells = " + std::to_string(config.cells_part) + "/" + std::to_string(config.cells_parts) + "\n";
}

namespace {
// What the second pass needs of a replicate's terminal analysis: kept, so nothing is retrained.
struct KeptTerminal {
  Vector w_star;
  Matrix lambda;
};

std::vector<double> flatten(const std::vector<KeptTerminal>& kept) {
  std::vector<double> out;
  for (const auto& k : kept) {
    out.insert(out.end(), k.w_star.data(), k.w_star.data() + k.w_star.size());
    out.insert(out.end(), k.lambda.data(), k.lambda.data() + k.lambda.size());
  }
  return out;
}

std::vector<KeptTerminal> unflatten(const std::vector<double>& flat, int d) {
  std::vector<KeptTerminal> out;
  for (std::size_t pos = 0; pos + static_cast<std::size_t>(d + d * d) <= flat.size(); pos += d + d * d)
    out.push_back({Eigen::Map<const Vector>(flat.data() + pos, d), Eigen::Map<const Matrix>(flat.data() + pos + d, d, d)});
  return out;
}
}  // namespace

ExperimentResult run_experiment(const ExperimentSetup& setup, const Communicator& comm, bool show_progress,
                                const CheckpointSettings* checkpoint) {
  struct Item {
    int cell, block, first, last;  // replicates [first, last)
  };
  std::vector<Item> items;
  std::vector<double> costs;
  // Blocks start at multiples of mc.block counted from replicate 0, so that a part over a
  // replicate range groups its replicates as the whole study would.
  const int begin = setup.first_replicate, end = setup.first_replicate + setup.replicates;
  for (int c : setup.active) {
    const CellParams& cell = setup.grid.cells[c];
    for (int first = begin; first < end; first = (first / setup.block + 1) * setup.block) {
      const int last = std::min((first / setup.block + 1) * setup.block, end);
      const int block = first / setup.block;
      items.push_back({cell.index, block, first, last});
      double cost = (last - first) * replicate_cost(cell);
      if (setup.bounds.trajectory) cost *= 3;
      if (setup.bounds.terminal) cost *= 3;
      costs.push_back(cost);
    }
  }
  std::vector<int> owner = assign_work(costs, comm.size);

  // Resuming: rank 0 reads every finished block back and adopts it as its own, so the blocks
  // flow through the gather, the second pass and later checkpoints exactly as if just computed.
  std::vector<std::pair<int, std::vector<double>>> mine;
  std::vector<std::vector<KeptTerminal>> kept(items.size());
  if (checkpoint && checkpoint->resume) {
    std::vector<int> finished;
    std::string error;
    Checkpoint restored;
    if (comm.is_root()) {
      try {
        restored = read_checkpoint(checkpoint->directory, checkpoint->run_key, static_cast<int>(items.size()));
      } catch (const UsageError& e) {
        error = e.what();
      }
      for (const auto& [id, item] : restored.items) finished.push_back(id);
    }
    int length = static_cast<int>(error.size());
    MPI_Bcast(&length, 1, MPI_INT, 0, comm.comm);
    error.resize(static_cast<std::size_t>(length));
    MPI_Bcast(error.data(), length, MPI_CHAR, 0, comm.comm);
    if (!error.empty()) throw UsageError(error);
    int count = static_cast<int>(finished.size());
    MPI_Bcast(&count, 1, MPI_INT, 0, comm.comm);
    finished.resize(static_cast<std::size_t>(count));
    MPI_Bcast(finished.data(), count, MPI_INT, 0, comm.comm);
    for (int id : finished) owner[id] = -1;  // nobody recomputes it
    for (auto& [id, item] : restored.items) {
      mine.emplace_back(id, std::move(item.state));
      kept[id] = unflatten(item.kept, setup.bound_layouts[items[id].cell].dim);
    }
  }
  using Clock = std::chrono::steady_clock;
  auto last_checkpoint = Clock::now();
  auto save = [&]() {
    Checkpoint part;
    part.run_key = checkpoint->run_key;
    part.item_count = static_cast<int>(items.size());
    for (const auto& [id, state] : mine) part.items[id] = {state, flatten(kept[id])};
    write_checkpoint_part(checkpoint->directory, comm.rank, part);
    last_checkpoint = Clock::now();
  };

  double my_cost = 0;
  for (std::size_t i = 0; i < items.size(); ++i)
    if (owner[i] == comm.rank) my_cost += costs[i];
  Progress progress(my_cost, static_cast<int>(setup.active.size()), show_progress && comm.is_root());
  std::map<int, int> open_blocks;  // per cell, this rank's blocks not yet finished
  for (std::size_t i = 0; i < items.size(); ++i) open_blocks[items[i].cell] += owner[i] == comm.rank;
  int cells_done = 0;
  for (const auto& [cell, open] : open_blocks) cells_done += open == 0;

  auto fresh = [&](int cell) { return CellStatistics(setup.layouts[cell], setup.bound_layouts[cell]); };
  ReplicateTrace trace;
  bool interrupted = false;
  for (std::size_t i = 0; i < items.size() && !interrupted; ++i) {
    if (owner[i] != comm.rank) continue;
    const Item& item = items[i];
    const CellParams& cell = setup.grid.cells[item.cell];
    CellStatistics block = fresh(item.cell);
    for (int r = item.first; r < item.last; ++r) {
      if (checkpoint && stop_requested()) {  // the unfinished block is dropped, not saved
        interrupted = true;
        kept[i].clear();
        break;
      }
      run_replicate(*setup.problems[item.cell], cell, setup.layouts[item.cell], setup.bound_layouts[item.cell],
                    setup.seed, static_cast<std::uint64_t>(r), trace);
      block.add(trace);
      if (setup.bounds.terminal && !trace.diverged && trace.terminal.failure == TerminalFailure::none)
        kept[i].push_back({trace.terminal.w_star, trace.terminal.lambda});
    }
    if (interrupted) break;
    std::vector<double> packed;
    block.pack(packed);
    mine.emplace_back(static_cast<int>(i), std::move(packed));
    cells_done += --open_blocks[item.cell] == 0;
    progress.advance(costs[i], item.last - item.first, cells_done);
    if (checkpoint && checkpoint->every_seconds > 0 &&
        std::chrono::duration<double>(Clock::now() - last_checkpoint).count() >= checkpoint->every_seconds)
      save();
  }
  if (checkpoint) {  // one collective decision, so that no rank waits in the gather for a stopped one
    int stop = interrupted || stop_requested(), any = 0;
    MPI_Allreduce(&stop, &any, 1, MPI_INT, MPI_MAX, comm.comm);
    if (any) {
      save();
      ExperimentResult stopped;
      stopped.interrupted = true;
      return stopped;
    }
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
    const bool restored_here = owner[i] == -1 && comm.is_root();
    if (owner[i] != comm.rank && !restored_here) continue;
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
