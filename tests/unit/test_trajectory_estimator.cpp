// The trajectory estimator driven replicate by replicate outside the engine: a population whose
// noise covariance C_mu is singular costs traj_align its replicates, never traj_iso.
#include <catch2/catch.hpp>

#include <cmath>

#include "sdegen/bounds/estimator_set.hpp"
#include "sdegen/bounds/gaussian_kl.hpp"
#include "sdegen/bounds/trajectory_estimator.hpp"
#include "sdegen/dynamics/dynamics_registry.hpp"
#include "sdegen/dynamics/sde_noise.hpp"
#include "sdegen/problems/linreg.hpp"
#include "sdegen/stats/jackknife.hpp"

using namespace sdegen;

namespace {

// The closed-form population of a problem, except that Sigma_mu is 0: C_mu has no Cholesky factor.
class SingularNoisePopulation : public Population {
 public:
  explicit SingularNoisePopulation(const Population& inner) : inner_(inner) {}
  void population_risks(const Vector& w, Eigen::Ref<Vector> out) const override { inner_.population_risks(w, out); }
  Vector population_gradient(const Vector& w) const override { return inner_.population_gradient(w); }
  Matrix population_gradient_covariance(const Vector& w) const override {
    return Matrix::Zero(w.size(), w.size());
  }
  Matrix population_hessian(const Vector& w) const override { return inner_.population_hessian(w); }

 private:
  const Population& inner_;
};

CellParams small_cell() {
  CellParams cell;
  cell.problem = "linreg";
  cell.dim = 3;
  cell.noise = 0.5;
  cell.signal = 1;
  cell.n = 20;
  cell.algorithm = "sde";
  cell.lr = 0.1;
  cell.batch = 5;
  cell.steps = 6;
  cell.log_every = 6;
  cell.sampling = "fresh";
  cell.lr_schedule = "constant";
  return cell;
}

struct Statistics {
  EstimatorStatistics total;
  std::vector<EstimatorStatistics> leave_one_out;
};

// Replicates run as the engine runs them (hooks before and after each step, then at the end),
// accumulated in total and in jackknife groups by replicate index.
Statistics run_replicates(const TrajectoryEstimator& estimator, const Problem& problem, const Population& population,
                          const CellParams& cell, int replicates, int groups) {
  Statistics s{EstimatorStatistics(estimator.shape()), {}};
  std::vector<EstimatorStatistics> group(static_cast<std::size_t>(groups), EstimatorStatistics(estimator.shape()));
  for (int r = 0; r < replicates; ++r) {
    const ReplicateStreams streams(7, cell.keys, static_cast<std::uint64_t>(r));
    Stream data_stream = streams.get(Purpose::data);
    const Dataset data = problem.sample(data_stream, cell.n);
    Vector w = Vector::Zero(problem.dim());
    const Vector w0 = w;
    const auto dynamics =
        make_dynamics(problem, data, cell, TrainingStreams{streams.get(Purpose::batches), streams.get(Purpose::noise)});
    EstimatorRecord record;
    estimator.begin(record);
    Matrix grads;
    for (int t = 1; t <= cell.steps; ++t) {
      problem.example_gradients(data, w, grads);
      estimator.at_step(StepView{t, w, grads, population}, record);
      const Vector before = w;
      const ExampleGradients view(grads);
      dynamics->step(t, w, &view);
      estimator.after_step(StepTaken{t, before, w}, record);
    }
    estimator.at_end(EndView{data, population, w0, w, streams}, record);
    s.total.add(record);
    group[static_cast<std::size_t>(r % groups)].add(record);
  }
  for (int g = 0; g < groups; ++g) {
    EstimatorStatistics rest(estimator.shape());
    for (int h = 0; h < groups; ++h)
      if (h != g) rest.merge(group[static_cast<std::size_t>(h)]);
    s.leave_one_out.push_back(rest);
  }
  return s;
}

const BoundValue& find(const EstimatorReport& report, const std::string& name) {
  for (const auto& b : report.bounds)
    if (b.name == name) return b;
  FAIL("no bound " << name);
  throw;
}

std::int64_t attribute(const EstimatorReport& report, const std::string& name) {
  for (const auto& a : report.attributes)
    if (a.name == name) return std::get<std::int64_t>(a.value);
  FAIL("no attribute " << name);
  throw;
}

}  // namespace

TEST_CASE("a singular C_mu leaves the traj_iso terms and costs traj_align only") {
  LinearRegression problem(3, 0.5, 1, 0, 0);
  const SingularNoisePopulation singular(problem);
  Stream stream(5, 0, 0, Purpose::data);
  const Dataset data = problem.sample(stream, 20);
  const Vector w = Vector::LinSpaced(3, -0.2, 0.3);
  Matrix grads;
  problem.example_gradients(data, w, grads);
  const double kappa = minibatch_kappa(20, 5);
  TrajectoryWorkspace work;
  const TrajectoryTerms terms = trajectory_terms(singular, w, grads, kappa, 0.0, true, true, work);
  CHECK(terms.logdet_ok);
  CHECK_FALSE(terms.align_ok);
  CHECK(terms.logdet == Approx(log_det_spd(kappa * empirical_gradient_covariance(grads))).epsilon(1e-12));
  const TrajectoryTerms regular = trajectory_terms(problem, w, grads, kappa, 0.0, true, true, work);
  CHECK(regular.logdet_ok);
  CHECK(regular.align_ok);
}

TEST_CASE("a replicate whose C_mu fails its Cholesky stays in traj_iso and wang_mao_2022") {
  const CellParams cell = small_cell();
  LinearRegression problem(cell.dim, cell.noise, cell.signal, 0, 0);
  const SingularNoisePopulation singular(problem);
  BoundsConfig config;
  config.trajectory = true;
  config.flatness_samples = 2;
  const TrajectoryEstimator estimator(make_bound_context(cell, problem, config, PopulationSource::closed_form));
  const int replicates = 40, groups = 8;
  const Statistics broken = run_replicates(estimator, problem, singular, cell, replicates, groups);
  const Statistics regular = run_replicates(estimator, problem, problem, cell, replicates, groups);
  CHECK(broken.total.failed() == 0);
  CHECK(broken.total.moments.count() == replicates);
  const EstimatorReport with_singular = estimator.report(broken.total, broken.leave_one_out, {0, cell.steps});
  const EstimatorReport with_regular = estimator.report(regular.total, regular.leave_one_out, {0, cell.steps});
  CHECK(attribute(with_singular, "traj_align_left_out") == replicates);
  CHECK(attribute(with_singular, "traj_iso_left_out") == 0);
  CHECK(attribute(with_regular, "traj_align_left_out") == 0);
  const BoundValue& align = find(with_singular, "traj_align");
  CHECK_FALSE(align.defined);
  CHECK(align.reason.find("C_mu") != std::string::npos);
  CHECK(find(with_regular, "traj_align").defined);
  // traj_iso and wang_mao_2022 never use C_mu: the same numbers with either population.
  for (const char* name : {"traj_iso_zero", "traj_iso_pop", "traj_iso_plugin", "wang_mao_2022"}) {
    INFO(name);
    const BoundValue& b = find(with_singular, name);
    REQUIRE(b.defined);
    CHECK(b.value == find(with_regular, name).value);
    CHECK(b.stderr_ == find(with_regular, name).stderr_);
  }
}

TEST_CASE("beyond bounds.max_dense_dim the sigma rule's sharpness is Hutchinson's estimate of the exact one") {
  const CellParams cell = small_cell();
  LinearRegression problem(cell.dim, cell.noise, cell.signal, 0, 0);
  BoundsConfig dense_config, probed_config;
  dense_config.trajectory = probed_config.trajectory = true;
  dense_config.flatness_samples = probed_config.flatness_samples = 2;
  probed_config.max_dense_dim = cell.dim - 1;
  const TrajectoryEstimator dense(make_bound_context(cell, problem, dense_config, PopulationSource::closed_form));
  const TrajectoryEstimator probed(make_bound_context(cell, problem, probed_config, PopulationSource::closed_form));
  const int replicates = 400, groups = 8;
  const Statistics exact = run_replicates(dense, problem, problem, cell, replicates, groups);
  const Statistics estimated = run_replicates(probed, problem, problem, cell, replicates, groups);
  const auto sharpness = [](const EstimatorReport& report) {
    return find(report, "wang_mao_2022").extras.at(2).second;
  };
  const double want = sharpness(dense.report(exact.total, exact.leave_one_out, {0, cell.steps}));
  const double got = sharpness(probed.report(estimated.total, estimated.leave_one_out, {0, cell.steps}));
  // tr H_mu = tr Sigma = 3 for every probe (Sigma = I is diagonal); z^T H_S z has variance
  // 2 sum_{i != j} (H_S)_ij^2 ~ 2 * 6 / n = 0.6 per probe, so the 4 probes of 400 replicates give a
  // standard error of sqrt(0.6 / 1600) ~ 0.02 on a sharpness near 6.
  INFO("dense " << want << ", Hutchinson " << got);
  CHECK(got != want);  // the probed path really ran
  CHECK(std::abs(got - want) < 4 * 0.02);
}
