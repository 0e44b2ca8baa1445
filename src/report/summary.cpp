// Builds the per-cell summaries and prints them as an aligned text table; one row per cell,
// the swept options first, then the estimates as "mean ± stderr".
#include "sdegen/report/summary.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>

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

std::vector<CellSummary> summarize(const ExperimentSetup& setup, const ExperimentResult& result) {
  std::vector<CellSummary> summaries(setup.grid.cells.size());
  for (int c : setup.active) {
    summaries[c] = summarize_cell(setup.layouts[c], *setup.problems[c], result.cells[c]);
    if (setup.bounds.any())
      summaries[c].bounds = compute_bounds(setup.grid.cells[c], *setup.problems[c], setup.layouts[c],
                                           setup.bound_layouts[c], result.cells[c], result.groups[c]);
  }
  return summaries;
}

std::vector<double> sgd_sde_z_scores(const Grid& grid, const std::vector<CellSummary>& summaries) {
  std::map<std::string, std::map<std::string, int>> by_key;
  for (const auto& cell : grid.cells)
    by_key[cell.settings_key_without("train.algorithm")][cell.algorithm] = cell.index;
  std::vector<double> z(grid.cells.size(), NAN);
  for (const auto& [key, algorithms] : by_key) {
    auto sgd = algorithms.find("sgd"), sde = algorithms.find("sde");
    if (sgd == algorithms.end() || sde == algorithms.end()) continue;
    if (summaries[sgd->second].losses.empty() || summaries[sde->second].losses.empty()) continue;  // other part
    const Estimate& a = summaries[sgd->second].losses[0].gen;
    const Estimate& b = summaries[sde->second].losses[0].gen;
    z[sgd->second] = z[sde->second] = (a.mean - b.mean) / std::hypot(a.stderr_, b.stderr_);
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
    for (const auto& b : s.bounds.bounds) {
      if (!b.defined) {
        if (b.reason.rfind("not computed", 0) != 0)
          notes.push_back("cell " + std::to_string(cell.index) + " " + b.name + ": undefined, " + b.reason);
        continue;
      }
      std::vector<std::string> row = row_start();
      row.push_back(b.name);
      row.push_back(b.valid ? "yes" : "estimate");
      row.push_back(plus_minus(b.value, b.stderr_));
      row.push_back(gen.loss + " " + plus_minus(gen.gen));
      row.push_back(format_number("%.3g", b.value / gen.gen.mean));
      row.push_back(format_number("%.4g", b.mi));
      rows.push_back(row);
    }
    if (s.bounds.replace_one_bounded.defined) {
      std::vector<std::string> row = row_start();
      row.insert(row.end(), {"gen_replace_one", "estimate of gen",
                             plus_minus(s.bounds.replace_one_bounded.mean, s.bounds.replace_one_bounded.stderr_),
                             gen.loss + " " + plus_minus(gen.gen),
                             format_number("%.3g", s.bounds.replace_one_bounded.mean / gen.gen.mean), "-"});
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
    if (s.bounds.terminal_mahalanobis.defined && s.bounds.terminal_mahalanobis.mean > 3)
      out << "cell " << cell.index << ": W_T is far from N(w*_S, Lambda_S) (Mahalanobis^2 / d = "
          << format_number("%.3g", s.bounds.terminal_mahalanobis.mean)
          << "; about 1 at stationarity): train longer before reading the terminal bounds\n";
    if (s.bounds.stationary_relerr.defined)
      out << "cell " << cell.index << ": stationary covariance vs Lyapunov solution, ||E[cov - Lambda_S]|| / ||E Lambda_S|| = "
          << plus_minus(s.bounds.stationary_relerr.mean, s.bounds.stationary_relerr.stderr_) << "\n";
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
    for (std::size_t k = 0; k < bound_names().size(); ++k)
      add(bound_names()[k], [k](const CellSummary& s) {
        if (s.bounds.bounds.size() <= k || !s.bounds.bounds[k].defined) return std::pair<double, double>(NAN, NAN);
        return std::pair<double, double>(s.bounds.bounds[k].value, s.bounds.bounds[k].stderr_);
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
