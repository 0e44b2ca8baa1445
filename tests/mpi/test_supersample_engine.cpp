// The supersample bounds through the distributed engine, at every rank count the job has: the
// exact cases of docs/supersample.md that sdegen can run (T1 data-independent step 0, T4
// gaussian-mean ERM, T5 interpolating logistic, T6 gd's whole-sample CMI) and the nested design
// against an independent recomputation of every training from the replicates' streams.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "engine_run.hpp"
#include "sdegen/bounds/supersample/conditional_bounds.hpp"
#include "sdegen/bounds/supersample/plain_estimates.hpp"
#include "sdegen/bounds/supersample/supersample_tables.hpp"
#include "sdegen/bounds/supersample_estimator.hpp"
#include "sdegen/dynamics/dynamics_registry.hpp"

using namespace sdegen;
using engine_test::bound;
using engine_test::reference;
using engine_test::Run;
using engine_test::run;

namespace {

const double kLn2 = std::log(2.0);

const EstimatorReport& family(const CellBounds& bounds, const std::string& name) {
  for (const auto& f : bounds.estimators)
    if (f.family == name) return f;
  FAIL("no family " << name);
  throw;
}

const SupersampleEstimator& estimator_of(const Run& r, int cell, std::size_t* index = nullptr) {
  const auto& estimators = r.setup.cells[cell].estimators;
  for (std::size_t e = 0; e < estimators.size(); ++e)
    if (estimators[e]->family() == "supersample") {
      if (index) *index = e;
      return dynamic_cast<const SupersampleEstimator&>(*estimators[e]);
    }
  FAIL("no supersample estimator");
  throw;
}

// No relation of docs/supersample.md section 5 is violated, and the file says so.
void check_relations(const CellBounds& bounds) {
  const EstimatorReport& f = family(bounds, "supersample");
  for (const auto& w : f.warnings) INFO(w);
  CHECK(f.warnings.empty());
}

// The measured gen of the bounded loss (quantities, closed-form population) at logged step k.
struct Moment {
  double mean, se;
};
Moment measured_gen(const Run& r, int cell, int k) {
  const auto& layout = r.setup.cells[cell].layout;
  const int bounded = estimator_of(r, cell).context().bounded_loss;
  const int i = layout.flat(k, layout.gen(bounded));
  return {r.stats(cell).values.mean()[i], r.stats(cell).values.standard_error()[i]};
}

// The plain estimates at logged step `row`, recomputed from the cell's raw counts.
supersample::PlainEstimates plain_at(const Run& r, int cell, int row) {
  std::size_t e = 0;
  const SupersampleLayout& layout = estimator_of(r, cell, &e).layout();
  auto table = [&](const std::vector<std::int64_t>& counts) {
    supersample::PairCounts out(layout.levels + 1, layout.levels + 1);
    for (int a = 0; a <= layout.levels; ++a)
      for (int b = 0; b <= layout.levels; ++b) out(a, b) = counts[static_cast<std::size_t>(layout.count(row, a, b))];
    return out;
  };
  std::vector<supersample::PairCounts> groups;
  for (const auto& g : r.cells[cell].groups) groups.push_back(table(g.estimators[e].counts));
  return supersample::plain_estimates(groups);
}

void check_near(const std::string& what, double value, double se, double exact, double z = 4) {
  INFO(what << ": " << value << " +- " << se << ", exact " << exact);
  CHECK(std::isfinite(se));
  CHECK(std::abs(value - exact) < z * se);
}

}  // namespace

TEST_CASE("T4 gaussian-mean ERM (gd, eta = 0.5, T = 1): the tabulated bounds, B8/gen = 2.56 at n = 10 and 100",
          "[supersample]") {
  // W_1 = mean of S; c = 4 d s^2 = 4, 32 levels. Exact values: docs/supersample.md section 8 (T4).
  const Run r = run({"--problem.name", "gaussian-mean", "--problem.dim", "1", "--problem.noise", "1", "--data.n",
                     "10 100", "--train.algorithm", "gd", "--train.lr", "0.5", "--train.steps", "1",
                     "--mc.replicates", "40000", "--mc.block", "200", "--bounds.supersample", "--mc.seed", "31"});
  struct Exact {
    double gen_continuous, gen_quantised, information, b8, b12, b13, b10, b9, b5;
  };
  const Exact table[2] = {{0.036945, 0.03710, 4.5106e-3, 0.09498, 0.04223, 0.03746, 0.06535, 0.13630, 0.08031},
                          {0.003693, 0.003708, 4.5050e-5, 0.00949, 0.00378, 0.00373, 0.00636, 0.01361, 0.00795}};
  for (int cell = 0; cell < 2; ++cell) {
    const Exact& x = table[cell];
    INFO("n = " << r.setup.grid.cells[cell].n);
    const CellBounds b = r.bounds(cell);
    const double c = 4;
    REQUIRE(estimator_of(r, cell).loss_levels().clip() == c);
    check_near("I(Delta;U)", reference(b, "ss_mi_gap").mean, reference(b, "ss_mi_gap").stderr_, x.information);
    const ReferenceValue& quantised = reference(b, "gen_ss_quantised");
    check_near("gen(l_32)", quantised.mean / c, quantised.stderr_ / c, x.gen_quantised);
    const std::pair<const char*, double> bounds[] = {{"b8_ld_mi", x.b8},       {"b12_variance", x.b12},
                                                     {"b13_exact_cgf", x.b13}, {"b10_fast_rate", x.b10},
                                                     {"b9_single_loss", x.b9}, {"b5_binary_kl", x.b5}};
    for (const auto& [name, exact] : bounds) {
      const BoundValue& v = bound(b, name);
      REQUIRE(v.defined);
      CHECK(v.valid);
      check_near(name, v.value / c, v.stderr_ / c, exact);
      CHECK(v.extras[0].second == Approx(c / 32));  // the quantisation slack in loss units
    }
    // B8 / gen of the quantised loss (delta method; the two share replicates, so this is rough).
    const BoundValue& b8 = bound(b, "b8_ld_mi");
    const double ratio = b8.value / quantised.mean;
    const double ratio_se = ratio * std::hypot(b8.stderr_ / b8.value, quantised.stderr_ / quantised.mean);
    check_near("B8 / gen", ratio, ratio_se, 2.56);
    // gen_ss (held-out minus training, unquantised) against the closed-form gen of the loss.
    const Moment gen = measured_gen(r, cell, 1);
    check_near("gen(l) measured", gen.mean / c, gen.se / c, x.gen_continuous);
    check_near("gen_ss", reference(b, "gen_ss").mean / c, reference(b, "gen_ss").stderr_ / c, x.gen_continuous);
    CHECK(std::abs(reference(b, "gen_ss_minus_gen").mean) < 4 * reference(b, "gen_ss_minus_gen").stderr_);
    // T6 by argument: gd from 0 is deterministic, so I(W; U | Z~) = n ln 2.
    const BoundValue& b1 = bound(b, "b1_whole_sample_cmi");
    CHECK(b1.value == Approx(c * std::sqrt(2 * kLn2)));
    CHECK(b1.mi == Approx(r.setup.grid.cells[cell].n * kLn2));
    CHECK(b1.extras[0].second == 1);
    check_relations(b);
  }
}

TEST_CASE("T1 data-independent step 0: every information consistent with 0 and every bound near 0", "[supersample]") {
  // At step 0 W = W_0 is drawn independently of the data (train.init > 0), so the training and
  // held-out losses have one law and every information is 0.
  const Run r = run({"--problem.name", "linreg", "--problem.dim", "3", "--problem.noise", "0.5", "--data.n", "20",
                     "--train.batch", "5", "--train.init", "1", "--train.steps", "10", "--train.log_every", "10",
                     "--mc.replicates", "6000", "--mc.block", "30", "--bounds.supersample", "--mc.seed", "33"});
  const supersample::PlainEstimates e = plain_at(r, 0, 0);
  const CellBounds b = r.bounds(0);
  const double c = estimator_of(r, 0).loss_levels().clip();
  for (const auto* information : {&e.gap_information, &e.single_information, &e.pair_information}) {
    INFO("information " << information->reported << " +- " << information->stderr_ << " (plug-in " << information->plugin
                        << ")");
    CHECK(std::abs(information->reported) < 4 * information->stderr_);
    CHECK(information->plugin >= information->reported);  // the jackknife removes an upward bias
  }
  CHECK(std::abs(e.gen.reported) < 4 * e.gen.stderr_);
  // The running bounds at step 0 are the engine's report of these estimates, and near 0: no larger
  // than the bound at an information 4 standard errors above 0.
  const double gap_at_4se = 4 * e.gap_information.stderr_;
  CHECK(bound(b, "b8_ld_mi").running[0] == Approx(c * e.bounds[supersample::b8_ld_mi].reported));
  CHECK(bound(b, "b8_ld_mi").running[0] <= c * std::sqrt(2 * gap_at_4se));
  CHECK(bound(b, "b13_exact_cgf").running[0] <= c * supersample::b8_bound(gap_at_4se));
  CHECK(bound(b, "b12_variance").running[0] <= c * supersample::b12_bound(gap_at_4se, e.gap_second_moment.reported));
  CHECK(bound(b, "b10_fast_rate").running[0] <=
        c * supersample::b10_bound(e.mean_training_loss.reported, 4 * e.single_information.stderr_).value);
  check_relations(b);
}

TEST_CASE("T5 interpolating logistic (d > n, gd to zero training error): B11 equals gen of the 0-1 loss",
          "[supersample]") {
  const Run r = run({"--problem.name", "logistic", "--problem.dim", "20", "--problem.signal", "2", "--data.n", "10",
                     "--train.batch", "10", "--train.algorithm", "gd", "--train.lr", "1", "--train.steps", "200",
                     "--train.log_every", "200", "--mc.replicates", "8000", "--mc.block", "40", "--bounds.supersample",
                     "--mc.seed", "34"});
  const CellBounds b = r.bounds(0);
  // Every replicate interpolates: no pair has a training loss of 1.
  CHECK(reference(b, "ss_training_loss_positive").mean == 0);
  const BoundValue& b11 = bound(b, "b11_interpolating");
  REQUIRE(b11.defined);
  CHECK(b11.valid);
  const ReferenceValue& quantised = reference(b, "gen_ss_quantised");
  // The plug-in identity I / ln 2 = mean G holds on every group's table, so also after the jackknife.
  CHECK(b11.value == Approx(quantised.mean).epsilon(1e-10));
  CHECK(b11.stderr_ == Approx(quantised.stderr_).epsilon(1e-8));
  const Moment gen = measured_gen(r, 0, 1);
  check_near("B11 against the closed-form gen_01", b11.value, std::hypot(b11.stderr_, gen.se), gen.mean);
  // ... and B8 = sqrt(2 ln 2 gen_01) with the same information.
  CHECK(bound(b, "b8_ld_mi").value == Approx(std::sqrt(2 * kLn2 * b11.value)).epsilon(1e-10));
  check_relations(b);
}

TEST_CASE("nested design: the engine's conditional bounds equal a recomputation of every training; T6 caps them",
          "[supersample]") {
  // K = 8 masks, blocks of one supersample, 10 groups of 6 blocks each (equal groups: the
  // jackknife leaves means of sums unchanged, so reported values equal the plug-ins).
  const int n = 8, masks = 8, supersamples = 60;
  const Run r = run({"--problem.name", "logistic", "--problem.dim", "3", "--data.n", std::to_string(n),
                     "--train.batch", "2", "--train.algorithm", "sgd gd", "--train.lr", "0.5", "--train.steps", "20",
                     "--train.log_every", "10", "--mc.replicates", std::to_string(masks * supersamples), "--mc.block",
                     std::to_string(masks), "--bounds.supersample", "--bounds.supersample_masks", std::to_string(masks),
                     "--bounds.jackknife_groups", "10", "--mc.seed", "35"});
  for (int cell = 0; cell < 2; ++cell) {
    const CellSetup& setup = r.setup.cells[cell];
    const CellParams& params = setup.cell;
    INFO("algorithm " << params.algorithm);
    const SupersampleEstimator& estimator = estimator_of(r, cell);
    const SupersampleLayout& layout = estimator.layout();
    const Problem& problem = *setup.problem;
    const SupersampleDesign design(masks);
    // Every training again, from the replicate's streams, outside the engine.
    std::vector<supersample::SupersampleTables> gap, pair, prediction;
    for (int m = 0; m < supersamples; ++m) {
      gap.emplace_back(n, layout.symbols(SupersampleLayout::gap));
      pair.emplace_back(n, layout.symbols(SupersampleLayout::pair));
      prediction.emplace_back(n, layout.symbols(SupersampleLayout::prediction));
      for (int k = 0; k < masks; ++k) {
        const ReplicateStreams streams(r.setup.seed, setup.cell.keys, static_cast<std::uint64_t>(m * masks + k));
        const SupersampleDraw draw = design.draw(problem, streams, n);
        const Dataset data = draw.training_set();
        Vector w;
        Stream init = streams.get(Purpose::init);
        problem.initial_weights(init, params.init, w);
        auto dynamics = make_dynamics(problem, data, params,
                                      TrainingStreams{streams.get(Purpose::batches), streams.get(Purpose::noise)});
        for (int t = 1; t <= params.steps; ++t) dynamics->step(t, w);
        Matrix losses;
        problem.example_losses(draw.points, w, losses);
        const Eigen::ArrayXi level = estimator.loss_levels().quantise(losses.col(1));
        Eigen::ArrayXi predicted;
        problem.example_predictions(draw.points, w, predicted);
        gap.back().add_mask(draw.mask, supersample::loss_difference_symbols(level.head(n), level.tail(n), 1));
        pair.back().add_mask(draw.mask, supersample::loss_pair_symbols(level.head(n), level.tail(n), 1));
        prediction.back().add_mask(draw.mask,
                                   supersample::prediction_pair_symbols(predicted.head(n), predicted.tail(n), 3));
      }
    }
    const CellBounds b = r.bounds(cell);
    CHECK(r.stats(cell).diverged == 0);
    const std::pair<const char*, const std::vector<supersample::SupersampleTables>*> kinds[] = {
        {"b7_ld_cmi", &gap}, {"b4_loss_pair_cmi", &pair}, {"b3_prediction_cmi", &prediction}};
    for (const auto& [name, tables] : kinds) {
      INFO(name);
      const supersample::ConditionalEstimates library = supersample::conditional_estimates(*tables);
      const BoundValue& v = bound(b, name);
      REQUIRE(v.defined);
      CHECK(v.value == Approx(library.root_inside.plugin).epsilon(1e-11));
      CHECK(v.mi == Approx(library.mean_information.plugin).epsilon(1e-11));
      CHECK(v.extras[1].second == Approx(library.root_inside_null_value).epsilon(1e-11));  // the K-bias
      CHECK(v.extras[2].second == masks);
      // Every per-table information is at most ln 2 (H(U_i)); every loss-based bound is below B1.
      CHECK(v.mi <= kLn2 + 3 * v.stderr_);
      CHECK(v.value <= bound(b, "b1_whole_sample_cmi").value);
    }
    const supersample::ConditionalEstimates library = supersample::conditional_estimates(gap);
    CHECK(bound(b, "b7_prime_ld_cmi").value == Approx(library.root_outside.plugin).epsilon(1e-11));
    CHECK(bound(b, "b7_prime_ld_cmi").value <= bound(b, "b1_whole_sample_cmi").value);
    // T6: B1 = sqrt(2 ln 2) exactly for deterministic gd from 0; for sgd only an upper bound.
    CHECK(bound(b, "b1_whole_sample_cmi").extras[0].second == (params.algorithm == "gd" ? 1 : 0));
    // The plain bounds of the same runs: B8 <= B7' (checked among the relations) and defined.
    CHECK(bound(b, "b8_ld_mi").defined);
    check_relations(b);
  }
}
