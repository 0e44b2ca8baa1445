// Builds the per-cell summaries the results file stores: risks and gen at the final step, every
// estimator's report, and the paired gaps between a dynamics and its surrogate.
#include "sdegen/report/summary.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>

#include "sdegen/dynamics/dynamics_registry.hpp"
#include "sdegen/report/loglog_slope.hpp"
#include "sdegen/stats/jackknife.hpp"
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

namespace {

// Group g's (count, mean) of one accumulated entry.
struct GroupMean {
  double count, mean;
};
std::vector<GroupMean> group_means(const CellResult& result, int entry) {
  std::vector<GroupMean> out;
  for (const auto& g : result.groups)
    out.push_back({static_cast<double>(g.values.count()), g.values.count() > 0 ? g.values.mean()[entry] : 0.0});
  return out;
}

// gen_a - gen_b with the delete-a-group jackknife over the groups both cells share.
Estimate paired_difference(const std::vector<GroupMean>& a, const std::vector<GroupMean>& b) {
  double na = 0, sa = 0, nb = 0, sb = 0;
  for (std::size_t g = 0; g < a.size(); ++g) {
    na += a[g].count, sa += a[g].count * a[g].mean;
    nb += b[g].count, sb += b[g].count * b[g].mean;
  }
  std::vector<double> leave_one_out;
  for (std::size_t g = 0; g < a.size(); ++g)
    if (a[g].count > 0 && b[g].count > 0 && na > a[g].count && nb > b[g].count)
      leave_one_out.push_back((sa - a[g].count * a[g].mean) / (na - a[g].count) -
                              (sb - b[g].count * b[g].mean) / (nb - b[g].count));
  return {sa / na - sb / nb, jackknife_error(leave_one_out)};
}

void pair_with_surrogates(const ExperimentSetup& setup, const ExperimentResult& result,
                          std::vector<CellSummary>& summaries) {
  std::map<std::string, std::map<std::string, int>> by_key;
  for (int c : setup.active) {
    const CellParams& cell = setup.grid.cells[c];
    by_key[cell.settings_key_without("train.algorithm")][cell.algorithm] = c;
  }
  for (const auto& [key, algorithms] : by_key)
    for (const auto& [name, surrogate] : algorithms) {
      const std::string& original_name = find_dynamics(name).surrogate_of;
      auto found = algorithms.find(original_name);
      if (original_name.empty() || found == algorithms.end()) continue;
      const int original = found->second;
      const QuantityLayout& layout = setup.cells[original].layout;
      const int last = static_cast<int>(layout.steps.size()) - 1;
      SurrogateGap gap;
      gap.defined = true;
      for (int l = 0; l < layout.loss_count; ++l) {
        const int entry = layout.flat(last, layout.gen(l));
        gap.gap.push_back(paired_difference(group_means(result.cells[original], entry),
                                            group_means(result.cells[surrogate], entry)));
        gap.unpaired_stderr.push_back(
            std::hypot(summaries[original].losses[l].gen.stderr_, summaries[surrogate].losses[l].gen.stderr_));
      }
      gap.partner = name;
      summaries[original].surrogate = gap;
      gap.partner = original_name;
      summaries[surrogate].surrogate = gap;
    }
}

}  // namespace

std::vector<CellSummary> summarize(const ExperimentSetup& setup, const ExperimentResult& result) {
  std::vector<CellSummary> summaries(setup.grid.cells.size());
  for (int c : setup.active) {
    summaries[c] = summarize_cell(setup.cells[c].layout, *setup.cells[c].problem, result.cells[c].total);
    if (setup.bounds.any()) summaries[c].bounds = compute_cell_bounds(setup.cells[c], result.cells[c]);
  }
  pair_with_surrogates(setup, result, summaries);
  return summaries;
}

std::vector<double> sgd_sde_z_scores(const Grid& grid, const std::vector<CellSummary>& summaries) {
  std::vector<double> z(grid.cells.size(), NAN);
  for (std::size_t c = 0; c < summaries.size(); ++c)
    if (summaries[c].surrogate.defined) {
      const Estimate& gap = summaries[c].surrogate.gap[0];
      z[c] = gap.mean / gap.stderr_;
    }
  return z;
}

}  // namespace sdegen
