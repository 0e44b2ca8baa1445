// The supersample estimator's engine side: integer counts in the cell statistics, the nested
// design's draws, and reports from fabricated statistics against the library's own estimates on
// the same tables (T3 Bernoulli mock, T2 memoriser), plus relation checks that can fail.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "sdegen/bounds/supersample/conditional_bounds.hpp"
#include "sdegen/bounds/supersample/plain_estimates.hpp"
#include "sdegen/bounds/supersample_estimator.hpp"
#include "sdegen/config/config.hpp"
#include "sdegen/config/usage_error.hpp"
#include "sdegen/experiment/experiment_setup.hpp"
#include "supersample_test_support.hpp"

using namespace sdegen;

namespace {

ExperimentSetup setup_of(std::vector<std::string> args) { return make_setup(parse_run_command_line(args).config); }

const SupersampleEstimator& supersample_estimator(const CellSetup& cell) {
  for (const auto& e : cell.estimators)
    if (e->family() == "supersample") return dynamic_cast<const SupersampleEstimator&>(*e);
  FAIL("no supersample estimator");
  throw;
}

// The cell total and its leave-one-group-out statistics, from one statistics object per group.
struct Grouped {
  EstimatorStatistics total;
  std::vector<EstimatorStatistics> leave_one_out;
};
Grouped grouped(const std::vector<EstimatorStatistics>& groups) {
  Grouped out{EstimatorStatistics(groups.front().shape()), {}};
  for (const auto& g : groups) out.total.merge(g);
  for (std::size_t skip = 0; skip < groups.size(); ++skip) {
    EstimatorStatistics rest(groups.front().shape());
    for (std::size_t g = 0; g < groups.size(); ++g)
      if (g != skip) rest.merge(groups[g]);
    out.leave_one_out.push_back(rest);
  }
  return out;
}

const BoundValue& bound(const EstimatorReport& report, const std::string& name) {
  for (const auto& b : report.bounds)
    if (b.name == name) return b;
  FAIL("no bound " << name);
  throw;
}

const ReferenceValue& reference(const EstimatorReport& report, const std::string& name) {
  for (const auto& r : report.references)
    if (r.name == name) return r;
  FAIL("no reference " << name);
  throw;
}

supersample::PairCounts table_of(const EstimatorStatistics& s, const SupersampleLayout& layout, int row) {
  supersample::PairCounts out(layout.levels + 1, layout.levels + 1);
  for (int a = 0; a <= layout.levels; ++a)
    for (int b = 0; b <= layout.levels; ++b) out(a, b) = s.counts[static_cast<std::size_t>(layout.count(row, a, b))];
  return out;
}

}  // namespace

TEST_CASE("integer counts: added by tally, merged by addition, moved to a carrier, packed exactly", "[supersample]") {
  QuantityLayout layout;
  layout.steps = {0, 1};
  layout.columns = {{"q", "", ""}};
  const std::vector<EstimatorStatistics::Shape> shapes{{2, 1, 0, 0, 5}, {1, 0, 0, 0, 0}};
  CellStatistics a(layout, shapes), b(layout, shapes);
  ReplicateTrace trace;
  trace.values = Eigen::VectorXd::Zero(2);
  trace.estimators.resize(2);
  trace.estimators[0].values = Eigen::VectorXd::Ones(2);
  trace.estimators[0].tallies = {0, 4, 4};
  trace.estimators[1].values = Eigen::VectorXd::Ones(1);
  a.add(trace);
  trace.estimators[0].tallies = {2};
  b.add(trace);
  trace.estimators[0].failure = 0;  // a failed record adds no counts
  trace.estimators[0].tallies = {1};
  b.add(trace);
  CHECK(a.estimators[0].counts == std::vector<std::int64_t>{1, 0, 0, 0, 2});
  CHECK(b.estimators[0].counts == std::vector<std::int64_t>{0, 0, 1, 0, 0});
  CHECK(b.estimators[0].failures[0] == 1);

  std::vector<double> with, without, always;
  a.pack(with, CountPacking::when_present);
  CellStatistics empty(layout, shapes);
  empty.pack(without, CountPacking::when_present);
  CHECK(with.size() == without.size() + 5);  // the presence flag, then the 5 counts
  empty.pack(always);  // files and broadcasts: one size for every state of a shape
  CHECK(always.size() == with.size());
  const CellStatistics back = CellStatistics::unpack(with, layout, shapes);
  CHECK(back.estimators[0].counts == a.estimators[0].counts);
  CHECK(CellStatistics::unpack(without, layout, shapes).estimators[0].counts == std::vector<std::int64_t>(5, 0));
  std::vector<double> bad = with;
  bad[without.size() - 1] = 2;  // the flag
  CHECK_THROWS(CellStatistics::unpack(bad, layout, shapes));

  CellStatistics merged = a;
  merged.merge(b);
  CHECK(merged.estimators[0].counts == std::vector<std::int64_t>{1, 0, 1, 0, 2});
  b.move_counts_to(a);
  CHECK(a.estimators[0].counts == merged.estimators[0].counts);
  CHECK_FALSE(b.has_counts());
  CHECK(b.estimators[0].moments.count() == 1);  // only the counts moved

  a.estimators[0].pending.push_back(Eigen::VectorXd::Zero(1));
  std::vector<double> out;
  CHECK_THROWS_AS(a.pack(out), std::logic_error);
  CHECK_THROWS_AS(a.merge(b), std::logic_error);
}

TEST_CASE("the nested design: K masks share their supersample's points, S_U takes column U_i of pair i", "[supersample]") {
  const ExperimentSetup setup =
      setup_of({"--problem.name", "linreg", "--problem.dim", "2", "--data.n", "6", "--train.batch", "2", "--bounds.supersample",
                "--bounds.supersample_masks", "3", "--mc.block", "6", "--mc.replicates", "30"});
  const Problem& problem = *setup.cells[0].problem;
  const SupersampleDesign design(3);
  const StreamKeys keys = setup.cells[0].cell.keys;
  const ReplicateStreams first(1, keys, 3), second(1, keys, 5), next(1, keys, 6);
  const SupersampleDraw a = design.draw(problem, first, 6), b = design.draw(problem, second, 6), c = design.draw(problem, next, 6);
  CHECK(a.supersample == 1);
  CHECK(b.supersample == 1);
  CHECK(c.supersample == 2);
  CHECK(a.points.X == b.points.X);
  CHECK(a.points.y == b.points.y);
  CHECK(a.points.X != c.points.X);
  CHECK(a.mask.size() == 6);
  CHECK((a.mask != b.mask).any());
  const Dataset s = a.training_set();
  for (int i = 0; i < 6; ++i) {
    CHECK(s.X.row(i) == a.points.X.row(i + 6 * a.mask(i)));
    CHECK(s.y(i) == a.points.y(i + 6 * a.mask(i)));
  }
  // The estimator draws the same training set as the design.
  const SupersampleEstimator& estimator = supersample_estimator(setup.cells[0]);
  CHECK(estimator.draws_training_set());
  CHECK(estimator.training_set(first).X == s.X);
  // Supersamples must not straddle blocks or parts.
  CHECK_THROWS_AS(setup_of({"--bounds.supersample", "--bounds.supersample_masks", "3", "--mc.block", "16"}), UsageError);
  CHECK_THROWS_AS(setup_of({"--bounds.supersample", "--bounds.supersample_masks", "4", "--mc.block", "16",
                            "--mc.first_replicate", "2"}),
                  UsageError);
  CHECK_THROWS_AS(setup_of({"--bounds.supersample", "--bounds.supersample_masks", "1"}), UsageError);
}

TEST_CASE("T3 Bernoulli mock through the report: the library's estimates on the groups' tables", "[supersample]") {
  // A 0-1 loss: c = 1. Groups' tables are recovered from the total and the leave-one-out counts.
  const ExperimentSetup setup = setup_of({"--problem.name", "logistic", "--data.n", "50", "--train.steps", "1",
                                          "--train.log_every", "1", "--bounds.supersample"});
  const CellSetup& cell = setup.cells[0];
  const SupersampleEstimator& estimator = supersample_estimator(cell);
  const SupersampleLayout& layout = estimator.layout();
  REQUIRE(layout.levels == 1);
  REQUIRE(layout.steps == 2);
  const double e = 0.1, p = 0.3;
  for (const double measured_gen : {p - e, 0.9}) {
    INFO("measured gen " << measured_gen);
    std::vector<EstimatorStatistics> groups;
    for (int g = 0; g < 10; ++g) {
      groups.emplace_back(estimator.shape());
      Stream stream(77, 0, static_cast<std::uint64_t>(g), Purpose::data);
      for (int r = 0; r < 400; ++r) {  // 400 "replicates" of 50 independent pairs each
        EstimatorRecord record;
        estimator.begin(record);
        for (int row = 0; row < layout.steps; ++row) {
          for (int i = 0; i < 50; ++i) {
            const int a = stream.uniform() < e, b = stream.uniform() < p;
            record.tallies.push_back(layout.count(row, a, b));
          }
          record.values[layout.gen_ss(row)] = p - e;
          record.values[layout.heldout(row)] = p;
          record.values[layout.gen_measured(row)] = measured_gen;
        }
        groups.back().add(record);
      }
    }
    const Grouped all = grouped(groups);
    const EstimatorReport report = estimator.report(all.total, all.leave_one_out, cell.layout.steps);
    std::vector<supersample::PairCounts> tables;
    for (const auto& g : groups) tables.push_back(table_of(g, layout, 1));
    const supersample::PlainEstimates library = supersample::plain_estimates(tables);
    const auto& info = supersample::plain_bound_info();
    const char* const exact[] = {"0.2752", "0.2648", "0.3544", "0.5093", "0.2300", "", "0.2788", "0.2066"};
    for (int k = 0; k < supersample::kPlainBoundCount; ++k) {
      INFO(info[k].name);
      const BoundValue& b = bound(report, info[k].name);
      if (k == supersample::b11_interpolating) {
        CHECK_FALSE(b.defined);
        continue;
      }
      REQUIRE(b.defined);
      CHECK(b.valid);
      CHECK(b.value == library.bounds[k].reported);
      CHECK(b.stderr_ == library.bounds[k].stderr_);
      CHECK(b.running.size() == 2);
      CHECK(b.running[1] == b.value);
      CHECK(std::abs(b.value - std::stod(exact[k])) < 4 * b.stderr_ + 2e-4);
    }
    CHECK(reference(report, "ss_mi_gap").mean == library.gap_information.reported);
    CHECK(std::abs(reference(report, "ss_mi_gap").mean - 0.06280) < 4 * reference(report, "ss_mi_gap").stderr_);
    CHECK(std::abs(reference(report, "gen_ss_quantised").mean - (p - e)) < 4 * reference(report, "gen_ss_quantised").stderr_);
    CHECK(reference(report, "gen_ss").mean == Approx(p - e));
    CHECK_FALSE(bound(report, "b7_ld_cmi").defined);  // no nested design
    CHECK(bound(report, "b1_whole_sample_cmi").value == Approx(std::sqrt(2 * std::log(2.0))));
    if (measured_gen < 0.5) {
      CHECK(report.warnings.empty());
    } else {
      // A measured gen of 0.9 is above every bound, and gen_ss (0.2) disagrees with it.
      REQUIRE_FALSE(report.warnings.empty());
      std::string all_warnings;
      for (const auto& w : report.warnings) all_warnings += w + "\n";
      CHECK(all_warnings.find("gen <= b13_exact_cgf") != std::string::npos);
      CHECK(all_warnings.find("gen_ss = gen") != std::string::npos);
    }
  }
}

TEST_CASE("T2 memoriser through the nested reduction: the library's conditional estimates", "[supersample]") {
  // Deferred records as the estimator writes them, for the memoriser (0-1 loss, labels
  // Bernoulli(q), the stored label predicted on a training input and 0 elsewhere).
  const int n = 10, masks = 40, groups_count = 8, per_group = 5;
  const ExperimentSetup setup = setup_of({"--problem.name", "logistic", "--data.n", std::to_string(n), "--train.steps",
                                          "1", "--bounds.supersample", "--bounds.supersample_masks",
                                          std::to_string(masks), "--mc.block", std::to_string(masks),
                                          "--mc.replicates", std::to_string(masks * 10)});
  const CellSetup& cell = setup.cells[0];
  const SupersampleEstimator& estimator = supersample_estimator(cell);
  const SupersampleLayout& layout = estimator.layout();
  REQUIRE(layout.masks == masks);
  REQUIRE(layout.prediction_symbols == 3);
  const double q = 0.5;
  std::vector<EstimatorStatistics> groups;
  std::vector<supersample::SupersampleTables> gap, pair, prediction;
  for (int g = 0; g < groups_count; ++g) {
    groups.emplace_back(estimator.shape());
    for (int j = 0; j < per_group; ++j) {
      const int m = g * per_group + j;
      Stream labels(51, 0, static_cast<std::uint64_t>(m), Purpose::data);
      const Eigen::ArrayXi y0 = Eigen::ArrayXi::NullaryExpr(n, [&] { return labels.uniform() < q ? 1 : 0; });
      const Eigen::ArrayXi y1 = Eigen::ArrayXi::NullaryExpr(n, [&] { return labels.uniform() < q ? 1 : 0; });
      gap.emplace_back(n, layout.symbols(SupersampleLayout::gap));
      pair.emplace_back(n, layout.symbols(SupersampleLayout::pair));
      prediction.emplace_back(n, layout.symbols(SupersampleLayout::prediction));
      for (int k = 0; k < masks; ++k) {
        Stream coin(52, 0, static_cast<std::uint64_t>(m * masks + k), Purpose::mask);
        const Eigen::ArrayXi u = Eigen::ArrayXi::NullaryExpr(n, [&] { return coin.uniform() < 0.5 ? 1 : 0; });
        const Eigen::ArrayXi f0 = (u == 0).select(y0, 0), f1 = (u == 1).select(y1, 0);
        const Eigen::ArrayXi l0 = (f0 != y0).cast<int>(), l1 = (f1 != y1).cast<int>();
        const Eigen::ArrayXi gap_symbols = supersample::loss_difference_symbols(l0, l1, 1);
        const Eigen::ArrayXi pair_symbols = supersample::loss_pair_symbols(l0, l1, 1);
        const Eigen::ArrayXi prediction_symbols = supersample::prediction_pair_symbols(f0, f1, 3);
        gap.back().add_mask(u, gap_symbols);
        pair.back().add_mask(u, pair_symbols);
        prediction.back().add_mask(u, prediction_symbols);
        EstimatorRecord record;
        estimator.begin(record);
        record.deferred = Eigen::VectorXd::Zero(layout.deferred_size());
        record.deferred(0) = m;
        record.deferred.segment(layout.deferred_mask(), n) = u.cast<double>().matrix();
        record.deferred.segment(layout.deferred_symbols(SupersampleLayout::gap), n) = gap_symbols.cast<double>().matrix();
        record.deferred.segment(layout.deferred_symbols(SupersampleLayout::pair), n) = pair_symbols.cast<double>().matrix();
        record.deferred.segment(layout.deferred_symbols(SupersampleLayout::prediction), n) =
            prediction_symbols.cast<double>().matrix();
        record.values.resize(0);
        groups.back().add(record);
      }
    }
    REQUIRE(groups.back().pending.size() == static_cast<std::size_t>(per_group * masks));
    estimator.end_block(groups.back());
    CHECK(groups.back().pending.empty());
    CHECK(groups.back().moments.count() == per_group);  // one record per supersample
  }
  const Grouped all = grouped(groups);
  const EstimatorReport report = estimator.report(all.total, all.leave_one_out, cell.layout.steps);
  const std::pair<const char*, const std::vector<supersample::SupersampleTables>*> kinds[] = {
      {"b7_ld_cmi", &gap}, {"b4_loss_pair_cmi", &pair}, {"b3_prediction_cmi", &prediction}};
  for (const auto& [name, tables] : kinds) {
    INFO(name);
    const supersample::ConditionalEstimates library = supersample::conditional_estimates(*tables);
    const BoundValue& b = bound(report, name);
    REQUIRE(b.defined);
    CHECK(b.value == Approx(library.root_inside.plugin).epsilon(1e-12));
    CHECK(b.mi == Approx(library.mean_information.plugin).epsilon(1e-12));
    CHECK(b.extras[1].first == "k_bias");
    CHECK(b.extras[1].second == Approx(library.root_inside_null_value).epsilon(1e-12));
    CHECK(b.extras[2].second == masks);
  }
  const supersample::ConditionalEstimates library = supersample::conditional_estimates(gap);
  const BoundValue& outside = bound(report, "b7_prime_ld_cmi");
  CHECK(outside.value == Approx(library.root_outside.plugin).epsilon(1e-12));
  // The memoriser's exact conditional values (docs/supersample.md, T2, q = 0.5) with K = 40: B7'
  // carries only an O(1/K^2) bias; the root-inside B7 is biased upward by its stated K-bias at most.
  CHECK(std::abs(outside.value - 1.0197) < 4 * outside.stderr_ + 0.01);
  CHECK(bound(report, "b7_ld_cmi").value > 0.8831 - 4 * bound(report, "b7_ld_cmi").stderr_);
  CHECK(bound(report, "b7_ld_cmi").value < 0.8831 + bound(report, "b7_ld_cmi").extras[1].second);
}
