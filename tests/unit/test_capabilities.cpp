// Bound validity follows from declared capabilities: a dynamics that declares none gets no
// guaranteed bound, and the registered ones get exactly the labels their derivations allow.
#include <catch2/catch.hpp>

#include "sdegen/bounds/estimator_set.hpp"
#include "sdegen/config/config.hpp"
#include "sdegen/dynamics/dynamics_registry.hpp"
#include "sdegen/dynamics/noise_floor.hpp"
#include "sdegen/experiment/experiment_setup.hpp"
#include "sdegen/problems/problem_registry.hpp"
#include "sdegen/stats/cell_result.hpp"
#include "sdegen/report/summary.hpp"

using namespace sdegen;

namespace {

// A noisy gradient method that is none of sgd, sde, gd: heavy-ball momentum with a Gaussian
// kick. It declares no capability, so nothing may be labelled a guaranteed bound for it.
class MomentumWithKicks : public Dynamics {
 public:
  MomentumWithKicks(const Problem& problem, const Dataset& data, const CellParams& cell, TrainingStreams streams)
      : problem_(problem), data_(data), lr_(cell.lr), streams_(streams), kick_(0.01) {}
  void step(int, Vector& w, const ExampleGradients*) override {
    Vector g = problem_.full_gradient(data_, w);
    kick_.add_to(g, streams_.noise);
    velocity_ = velocity_.size() ? Vector(0.9 * velocity_ + g) : g;
    w -= lr_ * velocity_;
  }

 private:
  const Problem& problem_;
  const Dataset& data_;
  double lr_;
  TrainingStreams streams_;
  NoiseFloor kick_;
  Vector velocity_;
};

CellParams linreg_cell(const std::string& algorithm) {
  const RunConfig config = parse_run_command_line({"--problem.dim", "3", "--data.n", "30", "--train.steps", "20",
                                                   "--train.log_every", "10"})
                               .config;
  CellParams cell = build_grid(config).cells.front();
  cell.algorithm = algorithm;
  return cell;
}

CellBounds bounds_of(const CellParams& cell, int replicates) {
  BoundsConfig config;
  config.trajectory = config.terminal = true;
  config.jackknife_groups = 4;
  CellSetup setup;
  setup.cell = cell;
  setup.problem = find_problem(cell.problem).make(cell);
  setup.layout = make_layout(*setup.problem, cell);
  setup.estimators = make_estimators(make_bound_context(cell, *setup.problem, config, PopulationSource::closed_form));
  CellResult result(setup.empty_statistics(), config.jackknife_groups);
  ReplicateTrace trace;
  for (int r = 0; r < replicates; ++r) {
    CellStatistics block = setup.empty_statistics();
    run_replicate(setup, 5, static_cast<std::uint64_t>(r), trace);
    block.add(trace);
    result.add_block(r, block);
  }
  return compute_cell_bounds(setup, result);
}

}  // namespace

TEST_CASE("a dynamics that declares no capability gets no guaranteed bound", "[capabilities]") {
  DynamicsEntry toy;
  toy.name = "momentum-kicks";
  toy.description = "heavy-ball momentum with Gaussian kicks (test only)";
  toy.capabilities = [](const CellParams&) { return DynamicsCapabilities{}; };
  toy.step_cost = [](const CellParams& c) { return 4.0 * c.n * c.dim; };
  toy.make = [](const Problem& p, const Dataset& d, const CellParams& c, TrainingStreams s) -> std::unique_ptr<Dynamics> {
    return std::make_unique<MomentumWithKicks>(p, d, c, s);
  };
  register_dynamics(toy);

  const CellBounds toy_bounds = bounds_of(linreg_cell("momentum-kicks"), 16);
  int bounds = 0;
  for (const auto& family : toy_bounds.estimators)
    for (const auto& b : family.bounds) {
      INFO(b.name << ": " << (b.defined ? "defined" : b.reason));
      CHECK_FALSE(b.valid);
      if (!b.defined) CHECK_FALSE(b.reason.empty());  // an undefined bound always says why
      ++bounds;
    }
  CHECK(bounds > 0);

  // The registered dynamics: sde (one Gaussian step) has guaranteed trajectory bounds, sgd has
  // wang_mao_2022 only; so the toy's labels are the capabilities at work, not a blanket "no".
  const CellBounds sde = bounds_of(linreg_cell("sde"), 16);
  const CellBounds sgd = bounds_of(linreg_cell("sgd"), 16);
  CHECK(sde.find("traj_iso_pop")->valid);
  CHECK_FALSE(sgd.find("traj_iso_pop")->valid);
  CHECK(sgd.find("wang_mao_2022")->valid);
}
