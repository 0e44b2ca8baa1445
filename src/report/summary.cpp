// Builds the per-cell summaries and prints them as an aligned text table; one row per cell,
// the swept options first, then the estimates as "mean ± stderr".
#include "sdegen/report/summary.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>

#include "sdegen/dynamics/dynamics_registry.hpp"
#include "sdegen/report/loglog_slope.hpp"
#include "sdegen/report/text_table.hpp"

namespace sdegen {

CellSummary summarize_cell(const QuantityLayout& layout, const Problem& problem, const CellStatistics& stats) {
  CellSummary s;
  s.replicates = stats.values.count();
  s.diverged = stats.diverged;
  const int last = static_cast<int>(layout.steps.size()) - 1;
  const Eigen::VectorXd se = stats.values.standard_error();
  auto estimate = [&](int column) {
    const int k = layout.flat(last, column);
    return Estimate{s.replicates > 0 ? stats.values.mean()[k] : NAN, se[k]};
  };
  for (int l = 0; l < layout.loss_count; ++l) {
    const auto& loss = problem.losses()[l];
    s.losses.push_back({loss.name, loss.subgaussian_r, estimate(layout.train(l)), estimate(layout.test(l)),
                        estimate(layout.gen(l))});
  }
  return s;
}

CellBounds compute_cell_bounds(const CellSetup& setup, const CellResult& result) {
  CellBounds out;
  if (!setup.estimators.empty()) {
    const BoundContext& context = setup.estimators.front()->context();
    if (context.bounded_loss >= 0) {
      out.loss = setup.problem->losses()[context.bounded_loss].name;
      out.r = context.r;
    }
  }
  out.jackknife_groups = result.non_empty_groups();
  for (std::size_t e = 0; e < setup.estimators.size(); ++e)
    out.estimators.push_back(
        setup.estimators[e]->report(result.total.estimators[e], result.leave_one_out(e), setup.layout.steps));
  return out;
}

std::vector<CellSummary> summarize(const ExperimentSetup& setup, const ExperimentResult& result) {
  std::vector<CellSummary> summaries(setup.grid.cells.size());
  for (int c : setup.active) {
    summaries[c] = summarize_cell(setup.cells[c].layout, *setup.cells[c].problem, result.cells[c].total);
    if (setup.bounds.any()) summaries[c].bounds = compute_cell_bounds(setup.cells[c], result.cells[c]);
  }
  return summaries;
}

std::vector<double> sgd_sde_z_scores(const Grid& grid, const std::vector<CellSummary>& summaries) {
  std::map<std::string, std::map<std::string, int>> by_key;
  for (const auto& cell : grid.cells)
    by_key[cell.settings_key_without("train.algorithm")][cell.algorithm] = cell.index;
  std::vector<double> z(grid.cells.size(), NAN);
  for (const auto& [key, algorithms] : by_key)
    for (const auto& [name, surrogate_cell] : algorithms) {
      // A dynamics and the one it is a surrogate of (sde of sgd): original minus surrogate.
      const std::string& original = find_dynamics(name).surrogate_of;
      auto found = algorithms.find(original);
      if (original.empty() || found == algorithms.end()) continue;
      if (summaries[found->second].losses.empty() || summaries[surrogate_cell].losses.empty()) continue;  // other part
      const Estimate& a = summaries[found->second].losses[0].gen;
      const Estimate& b = summaries[surrogate_cell].losses[0].gen;
      z[found->second] = z[surrogate_cell] = (a.mean - b.mean) / std::hypot(a.stderr_, b.stderr_);
    }
  return z;
}

namespace {
std::string plus_minus(const Estimate& e) { return sdegen::plus_minus(e.mean, e.stderr_); }

std::vector<std::string> axis_values(const ExperimentSetup& setup, const CellParams& cell) {
  std::vector<std::string> row;
  for (const auto& axis : setup.grid.axes)
    for (const auto& [name, value] : cell.settings)
      if (name == axis) row.push_back(value);
  return row;
}
}  // namespace

const ReferenceValue* reference(const CellSummary& summary, const std::string& name) {
  for (const auto& family : summary.bounds.estimators)
    for (const auto& r : family.references)
      if (r.name == name) return &r;
  return nullptr;
}

const LossSummary& bounded_loss_summary(const CellSummary& summary) {
  for (const auto& loss : summary.losses)
    if (loss.loss == summary.bounds.loss) return loss;
  return summary.losses.front();
}

void print_bounds_table(std::ostream& out, const ExperimentSetup& setup, const std::vector<CellSummary>& summaries) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"cell"};
  for (const auto& axis : setup.grid.axes) header.push_back(axis.substr(axis.find('.') + 1));
  header.insert(header.end(), {"bound", "guaranteed", "value", "gen", "bound/gen", "I (nats)"});
  rows.push_back(header);
  std::vector<std::string> notes;
  for (int c : setup.active) {
    const CellParams& cell = setup.grid.cells[c];
    const CellSummary& s = summaries[cell.index];
    const LossSummary& gen = bounded_loss_summary(s);
    auto row_start = [&]() {
      std::vector<std::string> row = {std::to_string(cell.index)};
      for (const auto& v : axis_values(setup, cell)) row.push_back(v);
      return row;
    };
    for (const auto& family : s.bounds.estimators)
    for (const auto& b : family.bounds) {
      if (!b.defined) {
        if (b.reason.rfind("not computed", 0) != 0)
          notes.push_back("cell " + std::to_string(cell.index) + " " + b.name + ": undefined, " + b.reason);
        continue;
      }
      if (!b.note.empty()) notes.push_back("cell " + std::to_string(cell.index) + " " + b.name + ": " + b.note);
      std::vector<std::string> row = row_start();
      row.push_back(b.name);
      row.push_back(b.valid ? "yes" : "estimate");
      row.push_back(plus_minus(b.value, b.stderr_));
      row.push_back(gen.loss + " " + plus_minus(gen.gen));
      row.push_back(format_number("%.3g", b.value / gen.gen.mean));
      row.push_back(format_number("%.4g", b.mi));
      rows.push_back(row);
    }
    if (const ReferenceValue* replace = reference(s, "gen_replace_one"); replace && replace->defined) {
      std::vector<std::string> row = row_start();
      row.insert(row.end(), {"gen_replace_one", "estimate of gen", plus_minus(replace->mean, replace->stderr_),
                             gen.loss + " " + plus_minus(gen.gen), format_number("%.3g", replace->mean / gen.gen.mean), "-"});
      rows.push_back(row);
    }
  }
  if (rows.size() == 1 && notes.empty()) return;
  out << "\nBounds on gen of the bounded loss (R-subgaussian; jackknife standard errors):\n";
  print_aligned(out, rows);
  for (const auto& note : notes) out << note << "\n";
  for (int c : setup.active) {
    const CellParams& cell = setup.grid.cells[c];
    const CellSummary& s = summaries[cell.index];
    const ReferenceValue* mahalanobis = reference(s, "terminal_mahalanobis");
    if (mahalanobis && mahalanobis->defined && mahalanobis->mean > 3)
      out << "cell " << cell.index << ": W_T is far from N(w*_S, Lambda_S) (Mahalanobis^2 / d = "
          << format_number("%.3g", mahalanobis->mean)
          << "; about 1 at stationarity): train longer before reading the terminal bounds\n";
    const ReferenceValue* stationary = reference(s, "stationary_relerr");
    const ReferenceValue* floor = reference(s, "stationary_relerr_floor");
    if (stationary && stationary->defined)
      out << "cell " << cell.index << ": stationary covariance vs Lyapunov solution, ||E[cov - Lambda_S]|| / ||E Lambda_S|| = "
          << plus_minus(stationary->mean, stationary->stderr_)
          << (floor && floor->defined ? " (Monte Carlo floor " + format_number("%.3g", floor->mean) + ")" : "") << "\n";
  }
}

void print_slopes(std::ostream& out, const ExperimentSetup& setup, const std::vector<CellSummary>& summaries) {
  bool n_swept = false;
  for (const auto& axis : setup.grid.axes) n_swept = n_swept || axis == "data.n";
  if (!n_swept) return;
  std::map<std::string, std::vector<int>> groups;  // cells that differ only in n
  for (int c : setup.active) groups[setup.grid.cells[c].settings_key_without("data.n")].push_back(c);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header;
  for (const auto& axis : setup.grid.axes)
    if (axis != "data.n") header.push_back(axis.substr(axis.find('.') + 1));
  header.insert(header.end(), {"quantity", "slope vs n", "points"});
  rows.push_back(header);
  for (const auto& [key, cells] : groups) {
    std::vector<std::string> prefix;
    const CellParams& first = setup.grid.cells[cells.front()];
    for (const auto& axis : setup.grid.axes)
      if (axis != "data.n")
        for (const auto& [name, value] : first.settings)
          if (name == axis) prefix.push_back(value);
    auto add = [&](const std::string& label, auto value_of) {
      std::vector<double> x, y, se;
      for (int c : cells) {
        const auto [mean, error] = value_of(summaries[c]);
        x.push_back(setup.grid.cells[c].n);
        y.push_back(mean);
        se.push_back(error);
      }
      const SlopeFit fit = fit_loglog_slope(x, y, se);
      if (!fit.ok) return;
      std::vector<std::string> row = prefix;
      row.insert(row.end(), {label, format_number("%+.3f ± %.3f", fit.slope, fit.slope_stderr), std::to_string(fit.points)});
      rows.push_back(row);
    };
    const CellSummary& s0 = summaries[cells.front()];
    add("gen (" + bounded_loss_summary(s0).loss + ")", [](const CellSummary& s) {
      const LossSummary& l = bounded_loss_summary(s);
      return std::pair<double, double>(l.gen.mean, l.gen.stderr_);
    });
    for (const auto& family : s0.bounds.estimators)
      for (const auto& bound : family.bounds)
        add(bound.name, [name = bound.name](const CellSummary& s) {
          const BoundValue* b = s.bounds.find(name);
          if (!b || !b->defined) return std::pair<double, double>(NAN, NAN);
          return std::pair<double, double>(b->value, b->stderr_);
        });
  }
  if (rows.size() == 1) return;
  out << "\nLog-log slopes against n (weighted least squares; -0.5 is n^-1/2, -1 is n^-1):\n";
  print_aligned(out, rows);
}

void print_summary_table(std::ostream& out, const ExperimentSetup& setup,
                         const std::vector<CellSummary>& summaries) {
  const auto z = sgd_sde_z_scores(setup.grid, summaries);
  bool any_z = false;
  for (double v : z) any_z = any_z || !std::isnan(v);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"cell"};
  for (const auto& axis : setup.grid.axes) header.push_back(axis.substr(axis.find('.') + 1));
  header.insert(header.end(), {"reps", "diverged", "train", "test", "gen"});
  header.push_back("gen (bounded loss)");
  if (any_z) header.push_back("sgd-sde (se)");
  rows.push_back(header);
  for (int c : setup.active) {
    const CellParams& cell = setup.grid.cells[c];
    const CellSummary& s = summaries[cell.index];
    std::vector<std::string> row = {std::to_string(cell.index)};
    for (const auto& v : axis_values(setup, cell)) row.push_back(v);
    row.push_back(std::to_string(s.replicates));
    row.push_back(std::to_string(s.diverged));
    const LossSummary& train_loss = s.losses[0];
    row.push_back(plus_minus(train_loss.train));
    row.push_back(plus_minus(train_loss.test));
    row.push_back(plus_minus(train_loss.gen));
    std::string bounded = "-";
    for (const auto& loss : s.losses)
      if (std::isfinite(loss.subgaussian_r)) {
        bounded = loss.loss + " " + plus_minus(loss.gen);
        break;
      }
    row.push_back(bounded);
    if (any_z) row.push_back(std::isnan(z[cell.index]) ? "-" : format_number("%+.2f", z[cell.index]));
    rows.push_back(row);
  }
  print_aligned(out, rows);
  out << "train/test/gen: training loss (" << summaries[setup.active.front()].losses.front().loss
      << (setup.grid.cells.size() > 1 ? ", ..." : "")
      << ") at the final step, mean ± standard error over replicates.\n";
  if (any_z)
    out << "sgd-sde: (gen_sgd - gen_sde) / combined standard error; |value| > 3 is a significant gap.\n";
}

}  // namespace sdegen
