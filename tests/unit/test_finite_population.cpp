// Tests of the exact population of a table: on tests/data/tiny_population.csv (24 rows), the
// population risks, gradient, gradient covariance and Hessian of linreg and logistic against sums
// over the rows written out by hand, for every block size of the row-block averages.
#include <catch2/catch.hpp>

#include <cmath>

#include "sdegen/config/config.hpp"
#include "sdegen/config/grid.hpp"
#include "sdegen/data/data_source.hpp"
#include "sdegen/problems/problem_registry.hpp"
#include "sdegen/problems/sample_population.hpp"

using namespace sdegen;

namespace {

const std::string kTiny = std::string(SDEGEN_TEST_DATA_DIR) + "/tiny_population.csv";

// The 24 rows of tiny_population.csv, enumerated as its header comment in test_csv_table.cpp
// says: x1 in {0..3}, x2 in {-1, 0, 1}, e in {-1/2, +1/2}, x3 = x1 + x2 + e, class 1 iff x3 > 3/2.
struct Row {
  Vector x;
  bool positive;
};
std::vector<Row> tiny_rows() {
  std::vector<Row> rows;
  for (int x1 = 0; x1 <= 3; ++x1)
    for (int x2 = -1; x2 <= 1; ++x2)
      for (double e : {-0.5, 0.5}) {
        Vector x(3);
        x << x1, x2, x1 + x2 + e;
        rows.push_back({x, x[2] > 1.5});
      }
  return rows;
}

std::unique_ptr<Problem> on_tiny(const std::string& problem) {
  const Grid grid = build_grid(parse_run_command_line({"--problem.name", problem, "--data.source", "table", "--data.file",
                                                       kTiny, "--data.labels", "y", "--data.scaling", "none",
                                                       "--problem.clip", "0.3", "--data.n", "16"})
                                   .config);
  const CellParams& cell = grid.cells.front();
  const Table table = load_data_source(data_source_spec(cell, find_problem(problem).table_labels(cell)));
  return make_problem(cell, &table);
}

double sigmoid(double u) { return 1 / (1 + std::exp(-u)); }

struct Exact {
  Vector risks, gradient;
  Matrix covariance, hessian;
};

// Sums over the rows of per-row formulas: linreg l = (w.x - y)^2 / 2 (y = 0/1) and its clip at
// 0.3; logistic l = log(1 + exp(-y w.x)) (y = -1/+1) and 1{y w.x <= 0}.
Exact by_hand(const std::string& problem, const Vector& w) {
  const auto rows = tiny_rows();
  const double N = static_cast<double>(rows.size());
  Exact e{Vector::Zero(2), Vector::Zero(3), Matrix::Zero(3, 3), Matrix::Zero(3, 3)};
  Matrix second = Matrix::Zero(3, 3);
  for (const Row& r : rows) {
    Vector g;
    if (problem == "linreg") {
      const double y = r.positive ? 1 : 0, residual = w.dot(r.x) - y;
      e.risks[0] += residual * residual / 2 / N;
      e.risks[1] += std::min(residual * residual / 2, 0.3) / N;
      g = residual * r.x;
      e.hessian += r.x * r.x.transpose() / N;
    } else {
      const double y = r.positive ? 1 : -1, margin = y * w.dot(r.x);
      e.risks[0] += std::log1p(std::exp(-margin)) / N;
      e.risks[1] += (margin <= 0 ? 1.0 : 0.0) / N;
      g = -y * sigmoid(-margin) * r.x;
      e.hessian += sigmoid(margin) * sigmoid(-margin) * r.x * r.x.transpose() / N;
    }
    e.gradient += g / N;
    second += g * g.transpose() / N;
  }
  e.covariance = second - e.gradient * e.gradient.transpose();
  return e;
}

}  // namespace

TEST_CASE("finite population of a table: exact risks, gradient, covariance and Hessian by hand, any block size") {
  Vector w(3);
  w << 0.4, -0.3, 0.25;
  for (const std::string name : {"linreg", "logistic"}) {
    const auto problem = on_tiny(name);
    const auto& table_problem = dynamic_cast<const TableProblem&>(*problem);
    const Exact exact = by_hand(name, w);
    CHECK(exact.risks[1] > 0.05);  // both losses see the point: no trivial zeros
    for (Eigen::Index block : {1, 5, 24, 4096}) {
      INFO(name << ", blocks of " << block << " rows");
      const SamplePopulation population(table_problem, block);
      CHECK(population.source() == PopulationSource::finite);
      CHECK(population.sample_size() == 24);
      Vector risks(2);
      population.population_risks(w, risks);
      CHECK((risks - exact.risks).norm() < 1e-14);
      CHECK((population.population_gradient(w) - exact.gradient).norm() < 1e-14);
      CHECK((population.population_gradient_covariance(w) - exact.covariance).norm() < 1e-13);
      CHECK((population.population_hessian(w) - exact.hessian).norm() < 1e-13);
    }
  }
}

TEST_CASE("finite population of a table: a held-out sample of its rows estimates the same risk (z-test)") {
  Vector w(3);
  w << 0.4, -0.3, 0.25;
  const auto problem = on_tiny("linreg");
  const Exact exact = by_hand("linreg", w);
  // 400 held-out samples of 50 rows drawn with replacement: their risks average to the exact one.
  const int samples = 400;
  Vector draws(samples);
  for (int k = 0; k < samples; ++k) {
    Stream stream(9, 0, static_cast<std::uint64_t>(k), Purpose::holdout);
    const Dataset sample = problem->sample(stream, 50);
    const SamplePopulation held_out(*problem, sample, PopulationSource::held_out);
    Vector risks(2);
    held_out.population_risks(w, risks);
    draws[k] = risks[0];
  }
  const double se = std::sqrt((draws.array() - draws.mean()).square().sum() / (samples - 1) / samples);
  CHECK(std::abs(draws.mean() - exact.risks[0]) < 4 * se);
  CHECK(se > 0);
}
