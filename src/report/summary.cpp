// Builds the per-cell summaries and prints them as an aligned text table; one row per cell,
// the swept options first, then the estimates as "mean ± stderr".
#include "sdegen/report/summary.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>

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

std::vector<double> sgd_sde_z_scores(const Grid& grid, const std::vector<CellSummary>& summaries) {
  std::map<std::string, std::map<std::string, int>> by_key;
  for (const auto& cell : grid.cells)
    by_key[cell.settings_key_without("train.algorithm")][cell.algorithm] = cell.index;
  std::vector<double> z(grid.cells.size(), NAN);
  for (const auto& [key, algorithms] : by_key) {
    auto sgd = algorithms.find("sgd"), sde = algorithms.find("sde");
    if (sgd == algorithms.end() || sde == algorithms.end()) continue;
    const Estimate& a = summaries[sgd->second].losses[0].gen;
    const Estimate& b = summaries[sde->second].losses[0].gen;
    z[sgd->second] = z[sde->second] = (a.mean - b.mean) / std::hypot(a.stderr_, b.stderr_);
  }
  return z;
}

namespace {
std::string format(const char* fmt, double a, double b = 0) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, a, b);
  return buf;
}
std::string plus_minus(const Estimate& e) { return format("%.4g ± %.2g", e.mean, e.stderr_); }
// Display width of UTF-8 text (the ± sign is two bytes, one column).
std::size_t columns_of(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}
}  // namespace

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
  for (const auto& cell : setup.grid.cells) {
    const CellSummary& s = summaries[cell.index];
    std::vector<std::string> row = {std::to_string(cell.index)};
    for (const auto& axis : setup.grid.axes)
      for (const auto& [name, value] : cell.settings)
        if (name == axis) row.push_back(value);
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
    if (any_z) row.push_back(std::isnan(z[cell.index]) ? "-" : format("%+.2f", z[cell.index]));
    rows.push_back(row);
  }
  std::vector<std::size_t> width(header.size(), 0);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], columns_of(row[c]));
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c)
      out << std::string(width[c] - columns_of(row[c]) + (c ? 2 : 0), ' ') << row[c];
    out << '\n';
  }
  out << "train/test/gen: " << summaries.front().losses.front().loss
      << " loss at the final step, mean ± standard error over replicates.\n";
  if (any_z)
    out << "sgd-sde: (gen_sgd - gen_sde) / combined standard error; |value| > 3 is a significant gap.\n";
}

}  // namespace sdegen
