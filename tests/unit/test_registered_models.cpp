// Tests of the problems as the engine builds them from options (the registry): the network and
// softmax on synthetic data and every model on a table, through the Problem interface: gradients,
// weighted sums and Hessians against finite differences, SDE noise through gradient_and_noise
// against kappa Sigma_S, and b = n reducing sgd and sde to gd.
#include <catch2/catch.hpp>

#include <cmath>

#include "model_checks.hpp"
#include "sdegen/config/config.hpp"
#include "sdegen/config/grid.hpp"
#include "sdegen/data/data_source.hpp"
#include "sdegen/dynamics/dynamics_registry.hpp"
#include "sdegen/dynamics/sde_noise.hpp"
#include "sdegen/problems/problem_registry.hpp"
#include "sdegen/problems/table_problem.hpp"

using namespace sdegen;
using namespace sdegen::test;

namespace {

const std::string kTiny = std::string(SDEGEN_TEST_DATA_DIR) + "/tiny_population.csv";

struct Registered {
  CellParams cell;
  std::unique_ptr<Problem> problem;
  std::string label;
};

// Every cell of a sweep given as command-line options, with its problem built as make_setup does.
std::vector<Registered> registered(std::vector<std::string> args) {
  args.insert(args.end(), {"--train.algorithm", "sgd", "--train.batch", "4", "--data.n", "12"});
  const Grid grid = build_grid(parse_run_command_line(args).config);
  std::vector<Registered> out;
  for (const CellParams& cell : grid.cells) {
    Registered r;
    r.cell = cell;
    std::unique_ptr<Table> table;
    if (cell.on_table()) {
      const ProblemEntry& entry = find_problem(cell.problem);
      table = std::make_unique<Table>(load_data_source(data_source_spec(cell, entry.table_labels(cell))));
      REQUIRE(entry.check_table(cell, *table).empty());
    }
    r.problem = make_problem(cell, table.get());
    for (const auto& [name, value] : cell.settings)
      if (name == "problem.name" || name == "problem.activation" || name == "problem.bias" || name == "problem.task" ||
          name == "data.source")
        r.label += value + " ";
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<Registered> all_registered() {
  std::vector<Registered> out;
  auto add = [&](std::vector<Registered> more) {
    for (auto& r : more) out.push_back(std::move(r));
  };
  add(registered({"--problem.name", "mlp", "--problem.dim", "3", "--problem.width", "4", "--problem.teacher_width",
                  "2", "--problem.activation", "tanh relu erf", "--problem.bias", "none both hidden",
                  "--problem.task", "regression binary", "--train.init", "1"}));
  add(registered({"--problem.name", "softmax", "--problem.dim", "3", "--problem.classes", "4"}));
  add(registered({"--problem.name", "linreg logistic softmax", "--data.source", "table", "--data.file", kTiny,
                  "--data.labels", "y"}));
  add(registered({"--problem.name", "mlp", "--data.source", "table", "--data.file", kTiny, "--data.labels", "y",
                  "--problem.task", "binary regression", "--problem.width", "3", "--problem.bias", "both",
                  "--train.init", "1", "--data.scaling", "standardize"}));
  return out;
}

Vector generic_point(const Problem& p, std::uint64_t seed) {
  Vector w(p.dim());
  Stream(seed, 0, 0, Purpose::init).fill_normal(w);
  return 0.7 * w;
}

}  // namespace

TEST_CASE("registered models: gradients, weighted sums and Hessians against finite differences") {
  const auto models = all_registered();
  REQUIRE(models.size() == 18 + 1 + 3 + 2);
  for (const Registered& r : models) {
    INFO(r.label);
    const Problem& p = *r.problem;
    Stream stream(5, 0, 0, Purpose::data);
    const Dataset data = p.sample(stream, 12);
    REQUIRE(data.size() == 12);
    const Vector w = generic_point(p, 6);
    Matrix grads;
    p.example_gradients(data, w, grads);
    REQUIRE(grads.rows() == 12);
    REQUIRE(grads.cols() == p.dim());
    for (int i = 0; i < data.size(); ++i) {
      const Dataset one = example(data, i);
      const Vector fd = fd_gradient([&](const Vector& v) { return training_risk(p, one, v); }, w);
      CHECK((grads.row(i).transpose() - fd).norm() < kFdTolerance * (1 + fd.norm()));
    }
    const Vector full = p.full_gradient(data, w);
    const Vector fd_full = fd_gradient([&](const Vector& v) { return training_risk(p, data, v); }, w);
    CHECK((full - fd_full).norm() < kFdTolerance * (1 + fd_full.norm()));
    Eigen::VectorXi rows(4);
    rows << 7, 2, 11, 2;
    Vector batch;
    GradientScratch scratch;
    p.batch_gradient(data, rows, w, batch, scratch);
    const Vector expected = grads(rows, Eigen::all).colwise().mean().transpose();
    CHECK((batch - expected).norm() < 1e-13 * (1 + expected.norm()));
    const Matrix weights = Matrix::Random(12, 2);
    Matrix sums;
    p.weighted_gradient_sums(data, w, weights, sums, scratch);
    const Matrix explicit_sums = grads.transpose() * weights;
    CHECK((sums - explicit_sums).norm() < 1e-13 * (1 + explicit_sums.norm()));
    const Matrix h = p.empirical_hessian(data, w);
    const Matrix fd_h = fd_jacobian([&](const Vector& v) { return p.full_gradient(data, v); }, w);
    CHECK((h - fd_h).norm() < 1e-6 * (1 + h.norm()));
  }
}

TEST_CASE("registered models on a table: training sets are rows of the table, labels as the model reads them") {
  for (const Registered& r : registered({"--problem.name", "linreg logistic softmax", "--data.source", "table",
                                         "--data.file", kTiny, "--data.labels", "y", "--data.scaling", "none"})) {
    INFO(r.label);
    const auto& on_table = dynamic_cast<const TableProblem&>(*r.problem);
    const Table& table = on_table.table();
    Stream stream(8, 0, 0, Purpose::data);
    const Dataset data = r.problem->sample(stream, 500);
    // tiny_population.csv has 24 rows, 9 with y = 1: linreg reads 0/1, logistic -1/+1, softmax 0/1.
    const double one = 1, zero = r.cell.problem == "logistic" ? -1 : 0;
    for (int i = 0; i < data.size(); ++i) {
      bool found = false;
      for (Eigen::Index k = 0; k < table.rows() && !found; ++k)
        found = (table.features().row(k) - data.X.row(i)).norm() == 0;
      CHECK(found);
      CHECK((data.y[i] == one || data.y[i] == zero));
      CHECK(data.y[i] == (data.X(i, 2) > 1.5 ? one : zero));
    }
    // With replacement: 500 draws from 24 rows repeat rows; each row has probability 1/24.
    const double share = (data.y.array() == one).cast<double>().mean();
    CHECK(std::abs(share - 9.0 / 24) < 4 * std::sqrt(9.0 / 24 * 15.0 / 24 / 500));
  }
}

TEST_CASE("registered mlp: gradient_and_noise draws noise with covariance kappa Sigma_S (z-test)") {
  // d = 3 x 2 + 2 + 2 + 1 = 11: 11 means and 66 second moments, max |z| < 5.
  const auto models = registered({"--problem.name", "mlp", "--problem.dim", "3", "--problem.width", "2",
                                  "--problem.bias", "both", "--problem.activation", "tanh erf", "--problem.task",
                                  "regression binary", "--train.init", "1"});
  for (const Registered& r : models) {
    INFO(r.label);
    const Problem& p = *r.problem;
    const int n = 25, batch = 5, draws = 100000, d = p.dim();
    Stream data_stream(71, 0, 0, Purpose::data);
    const Dataset data = p.sample(data_stream, n);
    const Vector w = generic_point(p, 72);
    Matrix grads;
    p.example_gradients(data, w, grads);
    const double kappa = minibatch_kappa(n, batch);
    const Matrix c = kappa * empirical_gradient_covariance(grads);
    Stream noise_stream(73, 0, 0, Purpose::noise);
    SdeWorkspace work;
    Vector gradient, xi;
    Matrix first(draws, d), second(draws, d * (d + 1) / 2);
    for (int k = 0; k < draws; ++k) {
      gradient_and_noise(p, data, w, kappa, noise_stream, gradient, xi, work);
      first.row(k) = xi.transpose();
      for (int a = 0, e = 0; a < d; ++a)
        for (int b = 0; b <= a; ++b) second(k, e++) = xi[a] * xi[b];
    }
    CHECK((gradient - grads.colwise().mean().transpose()).norm() < 1e-13 * (1 + gradient.norm()));
    Vector expected(d * (d + 1) / 2);
    for (int a = 0, e = 0; a < d; ++a)
      for (int b = 0; b <= a; ++b) expected[e++] = c(a, b);
    const ColumnMeans m1 = column_means(first), m2 = column_means(second);
    const double z1 = (m1.mean.array().abs() / m1.se.array()).maxCoeff();
    const double z2 = ((m2.mean - expected).array().abs() / m2.se.array()).maxCoeff();
    INFO("largest |z|: mean " << z1 << ", second moment " << z2);
    CHECK(z1 < 5);
    CHECK(z2 < 5);
  }
}

TEST_CASE("registered mlp: with b = n, sgd and sde are gd to rounding") {
  for (const Registered& r : registered({"--problem.name", "mlp", "--problem.dim", "5", "--problem.width", "6",
                                         "--problem.bias", "both", "--train.init", "1", "--problem.task",
                                         "regression binary"})) {
    INFO(r.label);
    const Problem& p = *r.problem;
    CellParams cell = r.cell;
    cell.n = 12;
    cell.batch = 12;
    cell.lr = 0.3;
    Stream data_stream(81, 0, 0, Purpose::data);
    const Dataset data = p.sample(data_stream, cell.n);
    const Vector w0 = generic_point(p, 82);
    std::map<std::string, Vector> end;
    for (const char* algorithm : {"gd", "sgd", "sde"}) {
      cell.algorithm = algorithm;
      const auto dynamics = make_dynamics(p, data, cell, {Stream(83, 0, 0, Purpose::batches), Stream(83, 0, 0, Purpose::noise)});
      Vector w = w0;
      REQUIRE(train_steps(*dynamics, 1, 50, w));
      end[algorithm] = w;
    }
    CHECK((end["gd"] - w0).norm() > 0.1);  // it trains
    // sde: kappa = 0 makes the noise exactly 0, but its gradient is column 0 of a two-column
    // weighted sum (a matrix product) where gd's is a one-column one (a matrix-vector product),
    // which sum in another order. sgd: a batch of all n rows in shuffled order, whose mean sums in
    // another order. So both equal gd to rounding, not bit for bit, over 50 steps.
    INFO("|sde - gd| " << (end["sde"] - end["gd"]).norm() << ", |sgd - gd| " << (end["sgd"] - end["gd"]).norm());
    CHECK((end["sde"] - end["gd"]).norm() < 1e-12 * end["gd"].norm());
    CHECK((end["sgd"] - end["gd"]).norm() < 1e-12 * end["gd"].norm());
  }
}
