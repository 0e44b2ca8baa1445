// The memory model follows what the engine holds: per rank a replicate's working set, the block
// being accumulated and its share of the current wave; on rank 0 also the wave it gathers and every
// active cell's merged statistics (total and jackknife groups), which the file is written from.
#include "sdegen/experiment/run_estimate.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/experiment/replicate.hpp"
#include "sdegen/experiment/waves.hpp"
#include "sdegen/experiment/work_plan.hpp"

namespace sdegen {

namespace {

constexpr double kDouble = 8;
constexpr double kProcessBytes = 32.0 * 1024 * 1024;  // an idle rank: program, MPI, HDF5 (measured ~27 MB)
constexpr double kObjectBytes = 1600;                 // an HDF5 group or dataset with its attributes (measured)

// One replicate's largest simultaneous buffers (doubles): the training set and its transposed
// copy, per-example gradients, a held-out sample; log det C needs d x d (n x n by the Gram path);
// the terminal analysis factorises and solves with several d x d matrices at once and trains on
// two modified copies of the training set; the stationary check keeps its iterates; the
// supersample bounds draw n test points (and the nested design 2n more), and a block's nested
// replicates keep their deferred records until it ends. No d x d matrix beyond bounds.max_dense_dim.
double working_doubles(const ExperimentSetup& setup, const CellSetup& cell) {
  const CellParams& c = cell.cell;
  Stream probe(setup.seed, 0, 0, Purpose::data);
  const double in = static_cast<double>(cell.problem->sample(probe, 2).X.cols());
  const double n = c.n, p = cell.problem->dim();
  const bool dense = p <= setup.bounds.max_dense_dim;
  double doubles = 3 * n * (in + 8) + 4 * n * p + 8 * p;
  if (cell.population == PopulationSource::held_out) doubles += double(c.holdout) * (in + 1 + p);
  const double logdet_side = c.noise_floor > 0 && n < p ? n : p;
  if (cell.layout.logdet_defined || setup.bounds.trajectory) doubles += 2 * logdet_side * logdet_side;
  if (setup.bounds.trajectory) doubles += 2 * n * p + (dense ? 2 * p * p : 0.0);
  if (setup.bounds.terminal && dense)
    doubles += 16 * p * p + 3 * n * (in + 8) + 2 * double(setup.bounds.stationary_steps) * p;
  for (const auto& estimator : cell.estimators) {
    if (!estimator->enabled()) continue;
    if (estimator->needs_test_points()) doubles += 3 * n * (in + 8);
    if (estimator->deferred_size() > 0) doubles += double(setup.block) * (estimator->deferred_size() + 4);
  }
  return doubles;
}

// A cell's share of the results file: its state and group states (with their integer counts),
// the per-step datasets, and each estimator's raw accumulators.
double output_bytes_of(const ExperimentSetup& setup, const CellSetup& cell, std::size_t state) {
  const double logged = static_cast<double>(cell.layout.steps.size());
  const double width = cell.layout.width() + 1;  // and log det C
  double doubles = double(setup.bounds.jackknife_groups + 1) * double(state) + 3 * logged * width + logged;
  double objects = 2 * width + 4;
  for (const auto& estimator : cell.estimators) {
    if (estimator->record_size() == 0 && estimator->count_size() == 0) continue;  // off: nothing written
    doubles += 2.0 * estimator->record_size() + estimator->comoment_size() * (1.0 + estimator->comoment_size()) +
               estimator->count_size();
    objects += 4 + 2 * estimator->bound_names().size();
    if (estimator->family() == "trajectory" || estimator->family() == "supersample")
      doubles += logged * double(estimator->bound_names().size());  // running bounds
  }
  return kDouble * doubles + kObjectBytes * objects;
}

// The most loaded rank's cost: waves balanced one by one as the run does (an approximation from
// the total for very many blocks).
double busiest_cost(const WorkPlan& plan, std::int64_t per_wave, int ranks) {
  if (plan.size() > 200000) {
    double largest = 0;
    for (std::int64_t id = 0; id < plan.size(); id += plan.blocks_per_cell()) largest = std::max(largest, plan.cost(id));
    return plan.total_cost() / ranks + largest;
  }
  double busiest = 0;
  for (std::int64_t begin = 0; begin < plan.size(); begin += per_wave) {
    const Wave wave = plan_wave(plan, begin, std::min(begin + per_wave, plan.size()), {}, ranks);
    std::vector<double> load(static_cast<std::size_t>(ranks), 0.0);
    for (std::size_t k = 0; k < wave.computed.size(); ++k) load[static_cast<std::size_t>(wave.owner[k])] += plan.cost(wave.computed[k]);
    busiest += *std::max_element(load.begin(), load.end());
  }
  return busiest;
}

}  // namespace

std::string duration_text(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[48];
  if (s >= 86400)
    std::snprintf(buf, sizeof buf, "%ld d %ld:%02ld:%02ld", s / 86400, (s / 3600) % 24, (s / 60) % 60, s % 60);
  else if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

std::string byte_size(double bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(unit == 0 || bytes >= 100 ? 0 : 1);
  out << bytes << " " << units[unit];
  return out.str();
}

RunEstimate estimate_run(const ExperimentSetup& setup, int ranks) {
  RunEstimate e;
  e.ranks = ranks;
  const WorkPlan plan(setup);
  const std::vector<std::size_t>& states = plan.state_doubles_by_cell();  // a block's, without counts
  const std::vector<std::size_t>& counts = plan.count_doubles_by_cell();  // its integer counts
  const std::size_t largest = plan.largest_state();
  const int groups_per_cell = setup.bounds.jackknife_groups;
  e.items = plan.size();
  e.largest_state = largest;
  const std::int64_t per_wave = wave_items(plan, groups_per_cell, ranks);
  e.wave_items = std::min(per_wave, e.items);
  e.waves = per_wave > 0 ? (e.items + per_wave - 1) / per_wave : 0;
  e.replicates = plan.total_replicates();
  const double groups = groups_per_cell + 1;
  double compute = 0;  // the largest replicate working set with its block (and the block's packing)
  e.output_bytes = 16 * 1024;  // root attributes (config, provenance) and /summary's fixed part
  for (std::size_t k = 0; k < setup.active.size(); ++k) {
    const CellSetup& cell = setup.cells[static_cast<std::size_t>(setup.active[k])];
    const double merged_state = double(states[k] + counts[k]);  // merged states hold every count
    CellEstimate c;
    c.cell = setup.active[k];
    c.state_doubles = states[k];
    c.working_bytes = kDouble * working_doubles(setup, cell);
    c.statistics_bytes = kDouble * groups * merged_state;
    c.output_bytes = output_bytes_of(setup, cell, states[k] + counts[k]) + 1024;  // and its /summary row
    c.replicate_cost = plan.cost_per_replicate(k);
    compute = std::max(compute, c.working_bytes + 2.5 * kDouble * merged_state);
    e.working_bytes = std::max(e.working_bytes, c.working_bytes);
    e.statistics_bytes += c.statistics_bytes;
    e.output_bytes += c.output_bytes;
    e.cells.push_back(c);
  }
  const double state_bytes = kDouble * double(largest + 2);
  const double table_bytes = kDouble * double(plan.largest_counts());
  // A rank's blocks of a wave, packed as they are sent, and the count tables of its carriers.
  const double carriers = double(wave_carriers(plan, e.wave_items, groups_per_cell, ranks));
  const double held = double((e.wave_items + ranks - 1) / ranks) * state_bytes + carriers * table_bytes;
  const double received = double(e.wave_items) * state_bytes + double(ranks) * carriers * table_bytes;
  e.wave_bytes = held + received;
  e.checkpoint_bytes = e.statistics_bytes + received;
  e.output_bytes *= 1.05;  // HDF5's own bookkeeping, which the model leaves out (measured within 5%)
  // Files are built in memory and written in one go: a checkpoint part while computing (rank 0's
  // holds the merged statistics), the results file at the end (after the summaries, whose
  // leave-one-out recomputations hold about one cell's groups again).
  double largest_merged = 0;
  for (std::size_t k = 0; k < states.size(); ++k)
    largest_merged = std::max(largest_merged, kDouble * double(states[k] + counts[k]));
  e.other_bytes = kProcessBytes + compute + 2 * held;
  const double computing = kProcessBytes + e.statistics_bytes + compute + held + received + e.checkpoint_bytes;
  const double writing = kProcessBytes + e.statistics_bytes + e.output_bytes + (groups + 1) * largest_merged;
  e.root_bytes = std::max(computing, writing);
  e.total_cost = plan.total_cost();
  e.busiest_cost = busiest_cost(plan, per_wave, ranks);
  return e;
}

void check_run_fits(const RunEstimate& e, const MemoryLimit& memory, double free_disk,
                    const std::string& output_directory) {
  if (e.root_bytes > memory.bytes) {
    std::ostringstream msg;
    msg << "the run needs about " << byte_size(e.root_bytes) << " of memory on rank 0, more than the "
        << byte_size(memory.bytes) << " a rank may use (" << memory.origin << "): " << byte_size(e.statistics_bytes)
        << " for the statistics of " << e.cells.size() << " cell(s) x (1 + 'bounds.jackknife_groups') groups, "
        << byte_size(e.working_bytes) << " for one replicate (training set of 'data.n' x 'problem.dim'"
        << ", d x d matrices of the bounds), " << byte_size(e.wave_bytes) << " for a wave of blocks. "
        << "Run fewer cells at once (--cells i/N), log fewer steps ('train.log_every'), use fewer "
        << "'bounds.jackknife_groups', a smaller 'problem.dim' or 'bounds.max_dense_dim' (no d x d matrix "
        << "beyond it); or set option 'output.max_memory' (GiB) "
        << "if more memory is available";
    throw UsageError(msg.str());
  }
  if (free_disk >= 0 && e.output_bytes > free_disk)
    throw UsageError("the results file would take about " + byte_size(e.output_bytes) + ", more than the " +
                     byte_size(free_disk) + " free on the file system of '" + output_directory +
                     "' (option 'output.file'): write it elsewhere, or run fewer cells at once (--cells i/N)");
  // What rank 0 gathers per wave goes through MPI's int counts: one block per rank must fit.
  if (double(e.ranks) * double(e.largest_state + 2) > 2147483647.0)
    throw UsageError("a block's statistics are too large to gather from " + std::to_string(e.ranks) +
                     " ranks in one MPI message: log fewer steps ('train.log_every') or use fewer ranks");
}

std::string checkpoint_space_warning(const RunEstimate& e, double free_disk, const std::string& output_directory) {
  if (free_disk < 0 || e.output_bytes + e.checkpoint_bytes <= free_disk) return "";
  return "the results file (about " + byte_size(e.output_bytes) + ") and a checkpoint (up to " +
         byte_size(e.checkpoint_bytes) + ") exceed the " + byte_size(free_disk) + " free on the file system of '" +
         output_directory + "': checkpoints may fail (the run then goes on without them)";
}

double measure_flop_rate(const ExperimentSetup& setup, double seconds, std::string& timed) {
  if (setup.active.empty()) return 0;
  const WorkPlan plan(setup);
  using Clock = std::chrono::steady_clock;
  ReplicateTrace trace;
  const auto replicate = [&](std::size_t position, int count) {
    const CellSetup& cell = setup.cells[static_cast<std::size_t>(setup.active[position])];
    run_replicate(cell, setup.seed, static_cast<std::uint64_t>(setup.first_replicate + count), trace);
  };
  // One replicate untimed first: one-time work (a table's column copy for the population passes,
  // first-touch pages, cold caches) would otherwise count as the cost of every replicate.
  replicate(0, 0);
  // Then replicates of every cell in turn, so that the rate holds for the sweep's mix of cells:
  // the model's relative costs are rough across problems (population passes over a table, say).
  const auto start = Clock::now();
  double cost = 0, elapsed = 0;
  std::size_t replicates = 0;
  const std::size_t cells = setup.active.size();
  do {
    replicate(replicates % cells, static_cast<int>(replicates / cells));
    cost += plan.cost_per_replicate(replicates % cells);
    ++replicates;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds || (replicates < cells && elapsed < 4 * seconds));
  std::ostringstream out;
  out.precision(3);
  out << replicates << " replicate(s) of " << std::min(replicates, cells) << " of the " << cells << " cell(s) in "
      << elapsed << " s";
  timed = out.str();
  return cost / std::max(elapsed, 1e-9);
}

}  // namespace sdegen
