// Per-step throughput on one core: sgd, gd and sde steps of the two-layer network (n = 200) and the
// softmax classifier, from the kernels and through the registered problem and the engine's dynamics.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "sdegen/config/config.hpp"
#include "sdegen/config/grid.hpp"
#include "sdegen/dynamics/batch_sampler.hpp"
#include "sdegen/dynamics/dynamics_registry.hpp"
#include "sdegen/dynamics/sde_noise.hpp"
#include "sdegen/experiment/data_tables.hpp"
#include "sdegen/problems/problem_registry.hpp"
#include "sdegen/problems/mlp.hpp"
#include "sdegen/problems/softmax.hpp"
#include "sdegen/random/stream.hpp"

namespace {

using sdegen::Matrix;
using sdegen::Vector;

constexpr int kN = 200, kB = 20, kClasses = 10, kPeakSize = 512;
constexpr double kLr = 0.01;

// Flops counted from the code (a multiply or an add is one flop, an m x k by k x q product 2 m k q;
// exp and erf calls and comparisons are not counted), for the configuration benchmarked here:
// tanh, no biases, regression. Mlp::weighted_gradient_sums over n examples with k weight columns:
//   two_layer_network.cpp forward
//     hidden = (1/sqrt p) X V                 2 n p h + n h (alpha)
//     tanh: 1 - 2 / (1 + exp(2 z))            4 n h (exp not counted); slopes 1 - t^2: 2 n h
//     outputs = (1/sqrt h) hidden a           2 n h + n
//   mlp.cpp  r = f - y                        n;  signals = weights .* r: n k
//   two_layer_network.cpp backward
//     slopes .*= a^T / sqrt h                 h + n h
//     stacked blocks s_m .* slopes            k n h
//     products = (1/sqrt p) X^T stacked       2 n p h k + p h k
//     a-gradients (1/sqrt h) hidden^T s_m     k (2 n h + h)
// = 2 n p h (1 + k) + n h (10 + 3 k) + n (2 + k) + h (1 + k) + p h k.
double mlp_gradient_flops(double n, double p, double h, double k) {
  return 2 * n * p * h * (1 + k) + n * h * (10 + 3 * k) + n * (2 + k) + h * (1 + k) + p * h * k;
}

// Softmax::weighted_gradient_sums, C = K - 1 logit columns:
//   softmax.cpp nonreference_probabilities: X V 2 n p C; shift n C; exp (not counted);
//     -shift n; row sums and class 0's term n C; division n C
//   weighted_sums: P - Y n C; stacked k n C; X^T stacked 2 n p C k
// = 2 n p C (1 + k) + n C (4 + k) + n.
double softmax_gradient_flops(double n, double p, double c, double k) {
  return 2 * n * p * c * (1 + k) + n * c * (4 + k) + n;
}

// Steps around a gradient kernel (the dynamics' arithmetic, sde.cpp with substeps = 1):
//   gd  = kernel(n, 1) + w -= eta G (2 d)
//   sgd = kernel(b, 1) (gathering the b rows is a copy) + 2 d
//   sde = sum z (n - 1) + kernel(n, 2) + xi = sqrt(kappa/n)(S_z - (sum z) G) (3 d)
//         + w -= eta G + eta xi (4 d)
enum class Kind { sgd, gd, sde };

template <class Kernel>
double step_flops(Kind kind, double d, Kernel kernel) {
  switch (kind) {
    case Kind::sgd: return kernel(kB, 1) + 2 * d;
    case Kind::gd: return kernel(kN, 1) + 2 * d;
    case Kind::sde: return kernel(kN, 2) + (kN - 1) + 7 * d;
  }
  return 0;
}

// A model, its training set and starting point; built once per configuration.
struct MlpSetup {
  std::unique_ptr<sdegen::Mlp> model;
  sdegen::Dataset data;
  Vector w0;
};

const MlpSetup& mlp_setup(int p, int h) {
  static std::map<std::pair<int, int>, MlpSetup> cache;
  auto& s = cache[{p, h}];
  if (!s.model) {
    const sdegen::NetworkShape student{p, h, sdegen::Activation::tanh, false, false};
    const sdegen::NetworkShape teacher{p, 4, sdegen::Activation::tanh, false, false};
    s.model = std::make_unique<sdegen::Mlp>(student, teacher, sdegen::MlpTask::regression, 0.5, 0.0, 1);
    sdegen::Stream data_stream(1, 0, 0, sdegen::Purpose::data), init_stream(1, 0, 0, sdegen::Purpose::init);
    s.data = s.model->sample(data_stream, kN);
    s.model->initial_weights(init_stream, 1.0, s.w0);
  }
  return s;
}

struct SoftmaxSetup {
  std::unique_ptr<sdegen::Softmax> model;
  sdegen::Dataset data;
  Vector w0;
};

const SoftmaxSetup& softmax_setup(int p) {
  static std::map<int, SoftmaxSetup> cache;
  auto& s = cache[p];
  if (!s.model) {
    s.model = std::make_unique<sdegen::Softmax>(p, kClasses, 1.0, 3.0, 1);
    sdegen::Stream data_stream(1, 0, 0, sdegen::Purpose::data), init_stream(1, 0, 0, sdegen::Purpose::init);
    s.data = s.model->sample(data_stream, kN);
    s.model->initial_weights(init_stream, 0.0, s.w0);
  }
  return s;
}

// One replicate-step per iteration, as the trainer does it. Every 4096 steps w is reset to W_0
// if it has left a generous ball (it does not at this rate); the check is < 0.1% of the loop.
template <class Model>
void run_steps(benchmark::State& state, const Model& model, const sdegen::Dataset& data, const Vector& w0, Kind kind,
               double flops_per_step) {
  sdegen::Stream batch_stream(1, 0, 0, sdegen::Purpose::batches), noise_stream(1, 0, 0, sdegen::Purpose::noise);
  sdegen::BatchSampler sampler(kN, kB, false);
  sdegen::GradientScratch scratch;
  const double kappa = sdegen::minibatch_kappa(kN, kB);
  Matrix mean_weights = Matrix::Constant(kN, 1, 1.0 / kN), weights(kN, 2), sums;
  weights.col(0).setConstant(1.0 / kN);
  Vector w = w0, gradient, noise;
  long t = 0, resets = 0;
  for (auto _ : state) {
    switch (kind) {
      case Kind::sgd:
        model.batch_gradient(data, sampler.next(batch_stream), w, gradient, scratch);
        w -= kLr * gradient;
        break;
      case Kind::gd:
        model.weighted_gradient_sums(data, w, mean_weights, sums, scratch);
        w -= kLr * sums.col(0);
        break;
      case Kind::sde: {
        noise_stream.fill_normal(weights.col(1));
        const double z_sum = weights.col(1).sum();
        model.weighted_gradient_sums(data, w, weights, sums, scratch);
        noise = std::sqrt(kappa / kN) * (sums.col(1) - z_sum * sums.col(0));
        w -= kLr * sums.col(0) + kLr * noise;
        break;
      }
    }
    if ((++t & 0xFFF) == 0 && !(w.squaredNorm() < 1e6 * (1 + w0.squaredNorm()))) {
      w = w0;
      ++resets;
    }
    benchmark::DoNotOptimize(w.data());
  }
  benchmark::ClobberMemory();
  state.SetItemsProcessed(state.iterations());
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops_per_step * static_cast<double>(state.iterations()) * 1e-9, benchmark::Counter::kIsRate);
  state.counters["d"] = static_cast<double>(w.size());
  state.counters["resets"] = static_cast<double>(resets);
}

// range(0) = p, range(1) = h.
template <Kind kind>
void BM_mlp(benchmark::State& state) {
  const int p = static_cast<int>(state.range(0)), h = static_cast<int>(state.range(1));
  const MlpSetup& s = mlp_setup(p, h);
  const double flops = step_flops(kind, s.model->dim(), [&](double n, double k) { return mlp_gradient_flops(n, p, h, k); });
  run_steps(state, *s.model, s.data, s.w0, kind, flops);
}

// range(0) = p; K = 10 classes.
template <Kind kind>
void BM_softmax(benchmark::State& state) {
  const int p = static_cast<int>(state.range(0));
  const SoftmaxSetup& s = softmax_setup(p);
  const double flops =
      step_flops(kind, s.model->dim(), [&](double n, double k) { return softmax_gradient_flops(n, p, kClasses - 1, k); });
  run_steps(state, *s.model, s.data, s.w0, kind, flops);
}

void mlp_shapes(benchmark::internal::Benchmark* b) {
  for (int h : {16, 64, 256}) b->Args({20, h});
  b->Args({196, 64});
}

BENCHMARK_TEMPLATE(BM_mlp, Kind::sgd)->Apply(mlp_shapes);
BENCHMARK_TEMPLATE(BM_mlp, Kind::gd)->Apply(mlp_shapes);
BENCHMARK_TEMPLATE(BM_mlp, Kind::sde)->Apply(mlp_shapes);
BENCHMARK_TEMPLATE(BM_softmax, Kind::sgd)->Arg(49)->Arg(196);
BENCHMARK_TEMPLATE(BM_softmax, Kind::gd)->Arg(49)->Arg(196);
BENCHMARK_TEMPLATE(BM_softmax, Kind::sde)->Arg(49)->Arg(196);

// The same steps as the engine takes them: the problem built by the registry from the options of
// a cell (mlp, tanh, regression, W_0 of scale 1) and the dynamics from make_dynamics, one
// dynamics->step per iteration, including the learning-rate schedule, the batch sampler, the
// noise draw and the update. range(0) = p (20, or 196: Fashion-MNIST's T-shirt/Shirt pair pooled
// to 14 x 14), range(1) = h.
struct EngineCell {
  sdegen::CellParams cell;
  std::unique_ptr<sdegen::Problem> problem;
  sdegen::Dataset data;
  Vector w0;
};

const EngineCell& engine_cell(int p, int h, Kind kind) {
  static std::map<std::tuple<int, int, Kind>, EngineCell> cache;
  static std::unique_ptr<sdegen::DataTables> fashion;  // one table for every Fashion-MNIST cell
  EngineCell& e = cache[{p, h, kind}];
  if (e.problem) return e;
  const char* algorithm = kind == Kind::sgd ? "sgd" : kind == Kind::gd ? "gd" : "sde";
  std::vector<std::string> args = {"--problem.name", "mlp", "--problem.width", std::to_string(h), "--train.init", "1",
                                   "--data.n", std::to_string(kN), "--train.batch", std::to_string(kB),
                                   "--train.lr", std::to_string(kLr), "--train.algorithm", algorithm};
  if (p == 196) {
    args.insert(args.end(), {"--data.source", "fashion-mnist", "--data.classes", "0 6", "--data.pool", "2"});
  } else {
    args.insert(args.end(), {"--problem.dim", std::to_string(p)});
  }
  const sdegen::Grid grid = sdegen::build_grid(sdegen::parse_run_command_line(args).config);
  e.cell = grid.cells.front();
  const sdegen::Table* table = nullptr;
  if (p == 196) {
    if (!fashion) fashion = std::make_unique<sdegen::DataTables>(sdegen::load_data_tables(grid));
    table = &fashion->tables.front();
  }
  e.problem = sdegen::make_problem(e.cell, table);
  e.cell.params = e.problem->dim();
  sdegen::Stream data_stream(1, 0, 0, sdegen::Purpose::data), init_stream(1, 0, 0, sdegen::Purpose::init);
  e.data = e.problem->sample(data_stream, kN);
  e.problem->initial_weights(init_stream, 1.0, e.w0);
  return e;
}

template <Kind kind>
void BM_engine_mlp(benchmark::State& state) {
  const int p = static_cast<int>(state.range(0)), h = static_cast<int>(state.range(1));
  const EngineCell& e = engine_cell(p, h, kind);
  const auto dynamics = sdegen::make_dynamics(*e.problem, e.data, e.cell,
                                              {sdegen::Stream(1, 0, 0, sdegen::Purpose::batches),
                                               sdegen::Stream(1, 0, 0, sdegen::Purpose::noise)});
  const double flops = step_flops(kind, e.problem->dim(), [&](double n, double k) { return mlp_gradient_flops(n, p, h, k); });
  Vector w = e.w0;
  long t = 0, resets = 0;
  for (auto _ : state) {
    dynamics->step(static_cast<int>(++t & 0x3FFFFFFF), w);
    if ((t & 0xFFF) == 0 && !(w.squaredNorm() < 1e6 * (1 + e.w0.squaredNorm()))) {
      w = e.w0;
      ++resets;
    }
    benchmark::DoNotOptimize(w.data());
  }
  benchmark::ClobberMemory();
  state.SetItemsProcessed(state.iterations());
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops * static_cast<double>(state.iterations()) * 1e-9, benchmark::Counter::kIsRate);
  state.counters["d"] = static_cast<double>(w.size());
  state.counters["resets"] = static_cast<double>(resets);
}
BENCHMARK_TEMPLATE(BM_engine_mlp, Kind::sgd)->Apply(mlp_shapes);
BENCHMARK_TEMPLATE(BM_engine_mlp, Kind::gd)->Apply(mlp_shapes);
BENCHMARK_TEMPLATE(BM_engine_mlp, Kind::sde)->Apply(mlp_shapes);

// Where a gd step's time goes: the forward pass alone, and the activation alone (tanh through
// Eigen's vectorised exp, relu, erf through std::erf) on the n x h pre-activations.
void BM_mlp_forward(benchmark::State& state) {
  const int p = static_cast<int>(state.range(0)), h = static_cast<int>(state.range(1));
  const MlpSetup& s = mlp_setup(p, h);
  Matrix hidden, slopes;
  Vector outputs;
  for (auto _ : state) {
    s.model->network().forward(s.data.X, s.w0, hidden, slopes, outputs);
    benchmark::DoNotOptimize(outputs.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_mlp_forward)->Apply(mlp_shapes);

template <sdegen::Activation activation>
void BM_activation(benchmark::State& state) {
  const int h = static_cast<int>(state.range(0));
  const Matrix z = Matrix::Random(kN, h) * 3;
  Matrix values, slopes;
  for (auto _ : state) {
    values = z;
    sdegen::activate(activation, values, slopes);
    benchmark::DoNotOptimize(values.data());
    benchmark::DoNotOptimize(slopes.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_TEMPLATE(BM_activation, sdegen::Activation::tanh)->Arg(16)->Arg(64)->Arg(256);
BENCHMARK_TEMPLATE(BM_activation, sdegen::Activation::relu)->Arg(64);
BENCHMARK_TEMPLATE(BM_activation, sdegen::Activation::erf)->Arg(64);

// Peak: Eigen's double-precision GEMM, single-threaded, same compiler flags as the library.
void BM_matmul_peak(benchmark::State& state) {
  const int m = static_cast<int>(state.range(0));
  const Matrix a = Matrix::Random(m, m), b = Matrix::Random(m, m);
  Matrix c(m, m);
  for (auto _ : state) {
    c.noalias() = a * b;
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  state.counters["GFLOP/s"] =
      benchmark::Counter(2.0 * m * m * m * static_cast<double>(state.iterations()) * 1e-9, benchmark::Counter::kIsRate);
}
// 512 is the reference; 256 (1.5 MB of operands) stays in this machine's L2 and is less
// sensitive to other processes sharing the caches.
BENCHMARK(BM_matmul_peak)->Arg(kPeakSize)->Arg(256)->Unit(benchmark::kMillisecond);

// The sde step's extra randomness: n = 200 normals from a Stream.
void BM_fill_normal_200(benchmark::State& state) {
  sdegen::Stream stream(1, 0, 0, sdegen::Purpose::noise);
  Vector z(kN);
  for (auto _ : state) {
    stream.fill_normal(z);
    benchmark::DoNotOptimize(z.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_fill_normal_200);

// Console output as usual; the median (over repetitions, if any) of each run's counters is kept
// by run name for the summary.
class RecordingReporter : public benchmark::ConsoleReporter {
 public:
  using ConsoleReporter::ConsoleReporter;
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name != "median") continue;
      for (const auto& [name, counter] : run.counters) {
        auto& values = values_[run.run_name.str()][name];
        if (run.run_type == Run::RT_Aggregate) values.clear();  // the median supersedes repetitions
        values.push_back(counter.value);
      }
    }
  }
  double get(const std::string& run, const std::string& counter) const {
    const auto r = values_.find(run);
    if (r == values_.end()) return NAN;
    const auto c = r->second.find(counter);
    if (c == r->second.end() || c->second.empty()) return NAN;
    std::vector<double> v = c->second;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  }

 private:
  std::map<std::string, std::map<std::string, std::vector<double>>> values_;
};

void print_summary(const RecordingReporter& r) {
  const double dgemm = r.get("BM_matmul_peak/" + std::to_string(kPeakSize), "GFLOP/s");
  std::printf("\nsummary (n=%d, b=%d, one core; rates from the CPU time of the benchmark thread)\n", kN, kB);
  std::printf("  peak (Eigen %dx%d dgemm): %.3g GFLOP/s (256x256: %.3g);  200 normals: %.0f ns\n", kPeakSize, kPeakSize,
              dgemm, r.get("BM_matmul_peak/256", "GFLOP/s"), 1e9 / r.get("BM_fill_normal_200", "items_per_second"));
  std::printf("  %-26s %6s | %11s %11s %11s | %7s %7s %7s | %9s\n", "model", "d", "sgd step/s", "gd step/s",
              "sde step/s", "sgd %pk", "gd %pk", "sde %pk", "sde/gd t");
  const auto row = [&](const std::string& label, const std::string& args, const std::string& family) {
    const std::string names[3] = {family + "<Kind::sgd>/" + args, family + "<Kind::gd>/" + args,
                                  family + "<Kind::sde>/" + args};
    double rate[3], share[3];
    for (int i = 0; i < 3; ++i) {
      rate[i] = r.get(names[i], "items_per_second");
      share[i] = 100 * r.get(names[i], "GFLOP/s") / dgemm;
    }
    if (!std::isfinite(rate[0]) && !std::isfinite(rate[1]) && !std::isfinite(rate[2])) return;
    std::printf("  %-26s %6.0f | %11.4g %11.4g %11.4g | %6.1f%% %6.1f%% %6.1f%% | %9.2f\n", label.c_str(),
                r.get(names[1], "d"), rate[0], rate[1], rate[2], share[0], share[1], share[2], rate[1] / rate[2]);
  };
  for (int h : {16, 64, 256}) row("mlp tanh p=20 h=" + std::to_string(h), "20/" + std::to_string(h), "BM_mlp");
  row("mlp tanh p=196 h=64", "196/64", "BM_mlp");
  row("softmax K=10 p=49", "49", "BM_softmax");
  row("softmax K=10 p=196", "196", "BM_softmax");
  std::printf("  through the registered problem and make_dynamics (mlp tanh, regression):\n");
  for (int h : {16, 64, 256}) row("engine mlp p=20 h=" + std::to_string(h), "20/" + std::to_string(h), "BM_engine_mlp");
  row("engine mlp FMNIST p=196 h=64", "196/64", "BM_engine_mlp");

  std::printf("  where an mlp gd step's time goes (parts timed alone; %% of the gd step):\n");
  const std::pair<int, int> shapes[] = {{20, 16}, {20, 64}, {20, 256}, {196, 64}};
  for (const auto& [p, h] : shapes) {
    const std::string args = std::to_string(p) + "/" + std::to_string(h);
    const double gd = 1e9 / r.get("BM_mlp<Kind::gd>/" + args, "items_per_second");
    const double forward = 1e9 / r.get("BM_mlp_forward/" + args, "items_per_second");
    const double tanh = 1e9 / r.get("BM_activation<sdegen::Activation::tanh>/" + std::to_string(h), "items_per_second");
    if (!std::isfinite(gd) || !std::isfinite(forward)) continue;
    std::printf("    p=%-3d h=%-3d gd %8.0f ns: forward %5.1f%% (tanh %5.1f%%), loss + backward + update %5.1f%%\n", p, h,
                gd, 100 * forward / gd, std::isfinite(tanh) ? 100 * tanh / gd : NAN, 100 * (gd - forward) / gd);
  }
  const double relu = 1e9 / r.get("BM_activation<sdegen::Activation::relu>/64", "items_per_second");
  const double tanh = 1e9 / r.get("BM_activation<sdegen::Activation::tanh>/64", "items_per_second");
  const double erf = 1e9 / r.get("BM_activation<sdegen::Activation::erf>/64", "items_per_second");
  if (std::isfinite(relu) && std::isfinite(tanh) && std::isfinite(erf))
    std::printf("  activation with slopes on %d x 64: tanh %.2f, relu %.2f, erf %.2f ns per element\n", kN,
                tanh / (kN * 64), relu / (kN * 64), erf / (kN * 64));
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RecordingReporter reporter(isatty(fileno(stdout)) ? benchmark::ConsoleReporter::OO_ColorTabular
                                                   : benchmark::ConsoleReporter::OO_Tabular);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  print_summary(reporter);
  return 0;
}
