// Per-step throughput of the sgd and sde dynamics (linear regression, n = 200, d = 20, b = 20) on
// one core, the sde step's flop rate against a measured Eigen matmul peak, and where its time goes.
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <unistd.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "sdegen/bounds/trajectory_terms.hpp"
#include "sdegen/config/grid.hpp"
#include "sdegen/dynamics/dynamics_registry.hpp"
#include "sdegen/dynamics/sde_noise.hpp"
#include "sdegen/linalg/cholesky_in_place.hpp"
#include "sdegen/linalg/symmetric_gram.hpp"
#include "sdegen/linalg/transposed_product.hpp"
#include "sdegen/problems/linreg.hpp"
#include "sdegen/random/stream.hpp"

namespace {

constexpr int kN = 200, kD = 20, kB = 20;
constexpr double kLr = 0.01;  // stable for this problem: w stays near w_true over any number of steps

// Flops of one sde step (substeps = 1), counted from the code, a multiply and an add each one
// flop and an m x k by k x p product 2 m k p:
//   sde_noise.cpp  gradient_and_noise
//     weights.col(0).setConstant(1/n)                 1 division, counted as 0
//     fill_normal(weights.col(1))                     n normals (Box-Muller): not counted
//     z_sum = weights.col(1).sum()                    n - 1
//   linear_model.cpp  weighted_gradient_sums (example_gradients.cpp weighted_sums)
//     margins = X w            (n x d)(d)             2 n d
//     derivatives = u - y      (linreg.cpp)           n
//     rows = weights .* derivatives (colwise, 2 cols) 2 n
//     sums = X^T rows          (d x n)(n x 2), 1 pass 4 n d
//   sde_noise.cpp
//     gradient = sums.col(0)                          copy, 0
//     noise = sqrt(kappa/n) (sums.col(1) - z_sum G)   3 d (+1 sqrt, not counted)
//   sde.cpp      w -= ds G + noise_scale xi           4 d (two scalings, one add, one subtract)
// Total 6 n d + 4 n + 7 d - 1 = 24000 + 800 + 140 - 1 = 24939 flops (n = 200, d = 20).
constexpr double kSdeFlops = 6.0 * kN * kD + 4.0 * kN + 7.0 * kD - 1.0;

// sgd step, for comparison (linear_model.cpp batch_gradient + sgd.cpp): gather b examples (copy),
// margins 2 b d, derivatives b, X_B^T s 2 b d, divide by b d, w -= eta g 2 d:
// 4 b d + b + 3 d = 1600 + 20 + 60 = 1680 flops (b = 20, d = 20).
constexpr double kSgdFlops = 4.0 * kB * kD + kB + 3.0 * kD;

constexpr int kPeakSize = 512;  // peak: 512 x 512 MatrixXd product, 2 n^3 flops

// One item per iteration, and the flop rate of flops_per_iteration.
void set_flop_rate(benchmark::State& state, double flops_per_iteration) {
  state.SetItemsProcessed(state.iterations());
  state.counters["GFLOP/s"] = benchmark::Counter(flops_per_iteration * static_cast<double>(state.iterations()) * 1e-9,
                                                 benchmark::Counter::kIsRate);
}

struct Setup {
  sdegen::LinearRegression problem{kD, /*noise=*/1.0, /*signal=*/1.0, /*spectrum_decay=*/0.0, /*clip=*/0.0};
  sdegen::Dataset data;
  Setup() {
    sdegen::Stream stream(1, 0, 0, sdegen::Purpose::data);
    data = problem.sample(stream, kN);
  }
};

const Setup& setup() {
  static const Setup s;
  return s;
}

sdegen::CellParams cell_for(const std::string& algorithm) {
  sdegen::CellParams cell;
  cell.problem = "linreg";
  cell.dim = kD;
  cell.noise = 1.0;
  cell.signal = 1.0;
  cell.n = kN;
  cell.algorithm = algorithm;
  cell.lr = kLr;
  cell.batch = kB;
  cell.steps = 1000000;
  cell.sampling = "fresh";
  cell.substeps = 1;
  cell.lr_schedule = "constant";
  cell.lr_decay = 1;
  cell.lr_decay_every = 1;
  return cell;
}

// Runs one dynamics step per iteration. Every 65536 steps w is checked and reset to 0 if it has
// left a generous ball (it does not at lr 0.01); the check costs < 0.01% of the loop.
void run_steps(benchmark::State& state, const std::string& algorithm, double flops_per_step) {
  const Setup& s = setup();
  const sdegen::CellParams cell = cell_for(algorithm);
  const auto trainer = sdegen::make_dynamics(
      s.problem, s.data, cell, {sdegen::Stream(1, 0, 0, sdegen::Purpose::batches), sdegen::Stream(1, 0, 0, sdegen::Purpose::noise)});
  sdegen::Vector w = sdegen::Vector::Zero(kD);
  int t = 0, resets = 0;
  for (auto _ : state) {
    trainer->step(++t, w);
    if ((t & 0xFFFF) == 0) {
      if (!(w.squaredNorm() < 1e6)) {
        w.setZero();
        ++resets;
      }
      if (t >= (1 << 30)) t = 0;
    }
    benchmark::DoNotOptimize(w.data());
  }
  benchmark::ClobberMemory();
  set_flop_rate(state, flops_per_step);  // one replicate-step per iteration
  state.counters["resets"] = resets;
  state.counters["|w|"] = w.norm();
}

void BM_sgd_step(benchmark::State& state) { run_steps(state, "sgd", kSgdFlops); }
void BM_sde_step(benchmark::State& state) { run_steps(state, "sde", kSdeFlops); }

// Peak: Eigen's double-precision GEMM, single-threaded, same compiler flags as the library.
void BM_matmul_peak(benchmark::State& state) {
  const int m = static_cast<int>(state.range(0));
  const Eigen::MatrixXd a = Eigen::MatrixXd::Random(m, m), b = Eigen::MatrixXd::Random(m, m);
  Eigen::MatrixXd c(m, m);
  for (auto _ : state) {
    c.noalias() = a * b;
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * m * m * m * static_cast<double>(state.iterations()) * 1e-9,
                                                 benchmark::Counter::kIsRate);
}

// Where the sde step's time goes, timed inside the step: gradient_and_noise (sde_noise.cpp) and
// the sde dynamics' update (dynamics/sde.cpp, substeps = 1) written out part by part, with a timestamp
// between parts. Per-part medians over iterations shrug off preemptions, and the parts add up to
// the instrumented step by construction; parts timed in separate benchmarks (below) do not,
// since the load drifts between them. Leaves out the virtual step dispatch.
constexpr int kStepParts = 4;
const char* const kStepPartNames[kStepParts] = {"200 normals (Stream::fill_normal)", "weighted_gradient_sums",
                                                 "noise from the sums (O(n + d))", "w update"};

std::uint64_t timestamp() {
#if defined(__x86_64__)
  return __rdtsc();  // constant-rate TSC: a few ns per read
#else
  return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
#endif
}

void BM_sde_step_parts(benchmark::State& state) {
  const Setup& s = setup();
  sdegen::Stream stream(1, 0, 0, sdegen::Purpose::noise);
  sdegen::SdeWorkspace work;
  sdegen::Vector gradient, noise, w = sdegen::Vector::Zero(kD);
  const double kappa = sdegen::minibatch_kappa(kN, kB);
  constexpr std::size_t kKept = 1 << 18;  // per-part samples kept for the medians
  std::vector<std::uint32_t> ticks[kStepParts];
  for (auto& t : ticks) t.reserve(kKept);
  const auto wall_start = std::chrono::steady_clock::now();
  const std::uint64_t first = timestamp();
  for (auto _ : state) {
    std::uint64_t t[kStepParts + 1];
    t[0] = timestamp();
    work.weights.resize(kN, 2);
    work.weights.col(0).setConstant(1.0 / kN);
    stream.fill_normal(work.weights.col(1));
    t[1] = timestamp();
    work.sums.resize(kD, 2);
    s.problem.weighted_gradient_sums(s.data, w, work.weights, work.sums, work.scratch);
    t[2] = timestamp();
    const double z_sum = work.weights.col(1).sum();
    gradient = work.sums.col(0);
    noise = std::sqrt(kappa / kN) * (work.sums.col(1) - z_sum * gradient);
    t[3] = timestamp();
    w -= kLr * gradient + kLr * noise;
    t[4] = timestamp();
    if (ticks[0].size() < kKept)
      for (int p = 0; p < kStepParts; ++p) ticks[p].push_back(static_cast<std::uint32_t>(t[p + 1] - t[p]));
    benchmark::DoNotOptimize(w.data());
  }
  const double ns_per_tick =
      std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - wall_start).count() /
      static_cast<double>(timestamp() - first);
  for (int p = 0; p < kStepParts; ++p) {
    auto& v = ticks[p];
    if (v.empty()) return;
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    state.counters["part" + std::to_string(p) + "_ns"] = ns_per_tick * v[v.size() / 2];
  }
  state.SetItemsProcessed(state.iterations());
}

// The parts alone, each in its own benchmark.
// (a) the n = 200 standard normals of one step (Philox4x32 + SIMD Box-Muller).
void BM_part_fill_normal_200(benchmark::State& state) {
  sdegen::Stream stream(1, 0, 0, sdegen::Purpose::noise);
  sdegen::Vector z(kN);
  for (auto _ : state) {
    stream.fill_normal(z);
    benchmark::DoNotOptimize(z.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}

// (b) the gradient part alone: weighted_gradient_sums with fixed weights [1/n, z], 6 n d + 3 n flops.
void BM_part_gradient_sums(benchmark::State& state) {
  const Setup& s = setup();
  sdegen::Stream stream(1, 0, 0, sdegen::Purpose::noise);
  sdegen::Matrix weights(kN, 2), sums(kD, 2);
  weights.col(0).setConstant(1.0 / kN);
  stream.fill_normal(weights.col(1));
  sdegen::GradientScratch scratch;
  const sdegen::Vector w = s.problem.w_true() * 0.9;
  for (auto _ : state) {
    s.problem.weighted_gradient_sums(s.data, w, weights, sums, scratch);
    benchmark::DoNotOptimize(sums.data());
    benchmark::ClobberMemory();
  }
  set_flop_rate(state, 6.0 * kN * kD + 3.0 * kN);
}

// (c) gradient_and_noise: (a) + (b) + the O(n + d) glue, i.e. the sde step without the w update
// and the virtual step dispatch.
void BM_part_gradient_and_noise(benchmark::State& state) {
  const Setup& s = setup();
  sdegen::Stream stream(1, 0, 0, sdegen::Purpose::noise);
  sdegen::Vector gradient, noise;
  sdegen::SdeWorkspace work;
  const sdegen::Vector w = s.problem.w_true() * 0.9;
  const double kappa = sdegen::minibatch_kappa(kN, kB);
  for (auto _ : state) {
    sdegen::gradient_and_noise(s.problem, s.data, w, kappa, stream, gradient, noise, work);
    benchmark::DoNotOptimize(noise.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}

// (d) the two products of (b) as the library does them: X w by Eigen, X^T R in one pass
// (linalg/transposed_product.cpp).
void BM_part_raw_products(benchmark::State& state) {
  const Setup& s = setup();
  sdegen::Matrix rows(kN, 2), sums(kD, 2);
  rows.setRandom();
  sdegen::Vector margins(kN);
  const sdegen::Vector w = s.problem.w_true() * 0.9;
  for (auto _ : state) {
    margins.noalias() = s.data.X * w;
    sdegen::transposed_product(s.data.X, rows, sums);
    benchmark::DoNotOptimize(margins.data());
    benchmark::DoNotOptimize(sums.data());
    benchmark::ClobberMemory();
  }
  set_flop_rate(state, 6.0 * kN * kD);
}

// (e) the two products of (d) separately: X w (n x d GEMV) here, X^T R in (f') below; and X^T R
// as one Eigen GEMM (not used).
void BM_part_product_Xw(benchmark::State& state) {
  const Setup& s = setup();
  sdegen::Vector margins(kN);
  const sdegen::Vector w = s.problem.w_true() * 0.9;
  for (auto _ : state) {
    margins.noalias() = s.data.X * w;
    benchmark::DoNotOptimize(margins.data());
    benchmark::ClobberMemory();
  }
  set_flop_rate(state, 2.0 * kN * kD);
}

void BM_alt_XtR_gemm(benchmark::State& state) {
  const Setup& s = setup();
  sdegen::Matrix rows(kN, 2), sums(kD, 2);
  rows.setRandom();
  for (auto _ : state) {
    sums.noalias() = s.data.X.transpose() * rows;
    benchmark::DoNotOptimize(sums.data());
    benchmark::ClobberMemory();
  }
  set_flop_rate(state, 4.0 * kN * kD);
}

// (f) the alternatives to the library's one pass: X^T R as two matrix-vector products, about 1.3
// times slower here; (e) above times one Eigen GEMM, which packs X^T anew for every call (7 times).
void BM_alt_XtR_two_gemv(benchmark::State& state) {
  const Setup& s = setup();
  sdegen::Matrix rows(kN, 2), sums(kD, 2);
  rows.setRandom();
  for (auto _ : state) {
    sums.col(0).noalias() = s.data.X.transpose() * rows.col(0);
    sums.col(1).noalias() = s.data.X.transpose() * rows.col(1);
    benchmark::DoNotOptimize(sums.data());
    benchmark::ClobberMemory();
  }
  set_flop_rate(state, 4.0 * kN * kD);
}

// (f') X^T R in one register-blocked pass over X, as the library does it.
void BM_part_XtR_fused(benchmark::State& state) {
  const Setup& s = setup();
  sdegen::Matrix rows(kN, 2), sums(kD, 2);
  rows.setRandom();
  for (auto _ : state) {
    sdegen::transposed_product(s.data.X, rows, sums);
    benchmark::DoNotOptimize(sums.data());
    benchmark::ClobberMemory();
  }
  set_flop_rate(state, 4.0 * kN * kD);
}

// (f'') X^T s alone (one column: the mean gradient the bounds compute, or the noise sum).
void BM_part_Xts_fused(benchmark::State& state) {
  const Setup& s = setup();
  sdegen::Vector scales(kN), sums(kD);
  scales.setRandom();
  for (auto _ : state) {
    sdegen::transposed_product(s.data.X, scales, sums);
    benchmark::DoNotOptimize(sums.data());
    benchmark::ClobberMemory();
  }
  set_flop_rate(state, 2.0 * kN * kD);
}

// (g) raw random bits: 200 64-bit Philox4x64-10 outputs of a stream's word sequence, for
// comparison (normals and minibatch draws come from SIMD Philox4x32 sequences of the stream).
void BM_part_philox_200(benchmark::State& state) {
  sdegen::Stream stream(1, 0, 0, sdegen::Purpose::noise);
  std::uint64_t sink = 0;
  for (auto _ : state) {
    for (int i = 0; i < kN; ++i) sink += stream();
    benchmark::DoNotOptimize(sink);
  }
  state.SetItemsProcessed(state.iterations());
}

// The trajectory bounds' per-step work (bounds/trajectory_terms.cpp and what feeds it), at a W_t
// of the bench problem: the per-example gradients P (n x d), the terms with log det C_t and the
// alignment term (linreg's Sigma_mu is diagonal plus rank 1), and the two d x d kernels inside.
sdegen::Vector trajectory_point() {
  sdegen::Vector w = sdegen::Vector::Zero(kD);
  w[0] = 0.5;  // away from W_0 = 0, so that the residuals are not the targets
  return w;
}

void BM_traj_example_gradients(benchmark::State& state) {
  const Setup& s = setup();
  const sdegen::Vector w = trajectory_point();
  sdegen::Matrix p(kN, kD);
  for (auto _ : state) {
    s.problem.example_gradients(s.data, w, p);
    benchmark::DoNotOptimize(p.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}

// The scales s of the margin model's gradients g_i = s_i x_i, which the bounds use instead of P.
void BM_traj_example_scales(benchmark::State& state) {
  const Setup& s = setup();
  const sdegen::Vector w = trajectory_point();
  sdegen::Vector scales;
  sdegen::GradientScratch scratch;
  for (auto _ : state) {
    s.problem.example_gradient_scales(s.data, w, scales, scratch);
    benchmark::DoNotOptimize(scales.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}

// The terms from P (scaled = false) or from X and s (as the runs of linreg and logistic do).
void run_trajectory_terms(benchmark::State& state, bool with_align, bool scaled) {
  const Setup& s = setup();
  const sdegen::Vector w = trajectory_point();
  sdegen::Matrix p(kN, kD);
  s.problem.example_gradients(s.data, w, p);
  sdegen::Vector scales;
  sdegen::GradientScratch scratch;
  s.problem.example_gradient_scales(s.data, w, scales, scratch);
  const sdegen::ExampleGradients gradients =
      scaled ? sdegen::ExampleGradients(s.data.X, scales) : sdegen::ExampleGradients(p);
  const double kappa = sdegen::minibatch_kappa(kN, kB);
  sdegen::TrajectoryWorkspace work;
  double sink = 0;
  for (auto _ : state) {
    const auto terms = sdegen::trajectory_terms(*s.problem.closed_form_population(), w, gradients, kappa, 0.0,
                                                /*with_logdet=*/true, with_align, work);
    sink += terms.logdet + terms.align;
    benchmark::DoNotOptimize(sink);
  }
  state.SetItemsProcessed(state.iterations());
}
void BM_traj_terms_logdet(benchmark::State& state) { run_trajectory_terms(state, false, false); }
void BM_traj_terms_logdet_align(benchmark::State& state) { run_trajectory_terms(state, true, false); }
void BM_traj_terms_scaled_logdet_align(benchmark::State& state) { run_trajectory_terms(state, true, true); }

// P^T P, lower triangle (n d (d + 1) / 2 multiply-adds), and the 20 x 20 Cholesky factor of C_t.
void BM_traj_gram(benchmark::State& state) {
  const Setup& s = setup();
  sdegen::Matrix p(kN, kD), c(kD, kD);
  s.problem.example_gradients(s.data, trajectory_point(), p);
  for (auto _ : state) {
    c.setZero();
    sdegen::add_symmetric_gram(p, 1.0, c);
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  set_flop_rate(state, 1.0 * kN * kD * (kD + 1));
}

// The same from X and the scales s without P: (diag(s) X)^T diag(s) X, the margin models' way.
void BM_traj_gram_row_scaled(benchmark::State& state) {
  const Setup& s = setup();
  sdegen::Vector scales;
  sdegen::GradientScratch scratch;
  s.problem.example_gradient_scales(s.data, trajectory_point(), scales, scratch);
  sdegen::Matrix c(kD, kD);
  for (auto _ : state) {
    c.setZero();
    sdegen::add_row_scaled_symmetric_gram(s.data.X, scales, 1.0, c);
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  set_flop_rate(state, 1.0 * kN * kD * (kD + 1));
}

void BM_traj_cholesky(benchmark::State& state) {
  const Setup& s = setup();
  sdegen::Matrix p(kN, kD), c = sdegen::Matrix::Zero(kD, kD), factor;
  s.problem.example_gradients(s.data, trajectory_point(), p);
  sdegen::add_symmetric_gram(p, 1.0 / kN, c);
  bool ok = true;
  for (auto _ : state) {
    factor = c;
    ok = ok && sdegen::cholesky_in_place(factor);
    benchmark::DoNotOptimize(factor.data());
    benchmark::ClobberMemory();
  }
  if (!ok) state.SkipWithError("not positive definite");
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_sgd_step);
BENCHMARK(BM_sde_step);
BENCHMARK(BM_matmul_peak)->Arg(kPeakSize)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_sde_step_parts);
BENCHMARK(BM_part_fill_normal_200);
BENCHMARK(BM_part_gradient_sums);
BENCHMARK(BM_part_gradient_and_noise);
BENCHMARK(BM_part_raw_products);
BENCHMARK(BM_part_product_Xw);
BENCHMARK(BM_part_XtR_fused);
BENCHMARK(BM_part_Xts_fused);
BENCHMARK(BM_alt_XtR_two_gemv);
BENCHMARK(BM_alt_XtR_gemm);
BENCHMARK(BM_part_philox_200);
BENCHMARK(BM_traj_example_gradients);
BENCHMARK(BM_traj_example_scales);
BENCHMARK(BM_traj_terms_logdet);
BENCHMARK(BM_traj_terms_logdet_align);
BENCHMARK(BM_traj_terms_scaled_logdet_align);
BENCHMARK(BM_traj_gram);
BENCHMARK(BM_traj_gram_row_scaled);
BENCHMARK(BM_traj_cholesky);

// Console output as usual, plus every per-iteration run's counters kept by benchmark family.
class RecordingReporter : public benchmark::ConsoleReporter {
 public:
  using ConsoleReporter::ConsoleReporter;
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      // Per-repetition runs; with --benchmark_*_aggregates_only only the median aggregate arrives.
      auto& into = run.run_type == Run::RT_Iteration ? values_ : medians_;
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name != "median") continue;
      for (const auto& [name, counter] : run.counters) into[run.run_name.function_name][name].push_back(counter.value);
    }
  }
  // Median (or max) over repetitions of one counter; NaN when the benchmark did not run.
  double get(const std::string& family, const std::string& counter, bool max = false) const {
    std::vector<double> v;
    for (const auto* source : {&values_, &medians_}) {
      const auto f = source->find(family);
      if (f == source->end()) continue;
      const auto c = f->second.find(counter);
      if (c != f->second.end() && !c->second.empty()) {
        v = c->second;
        break;
      }
    }
    if (v.empty()) return NAN;
    std::sort(v.begin(), v.end());
    return max ? v.back() : v[v.size() / 2];
  }

 private:
  std::map<std::string, std::map<std::string, std::vector<double>>> values_, medians_;
};

void print_summary(const RecordingReporter& r) {
  const double sgd = r.get("BM_sgd_step", "items_per_second"), sde = r.get("BM_sde_step", "items_per_second");
  const double sde_gflops = r.get("BM_sde_step", "GFLOP/s"), peak = r.get("BM_matmul_peak", "GFLOP/s", /*max=*/true);
  std::printf("\nsummary (linreg n=%d d=%d b=%d, one core; rates from the CPU time of the benchmark thread)\n", kN,
              kD, kB);
  std::printf("  sgd step: %.4g replicate-steps/s (%.0f ns/step), %.0f flops/step -> %.3g GFLOP/s\n", sgd, 1e9 / sgd,
              kSgdFlops, r.get("BM_sgd_step", "GFLOP/s"));
  std::printf("  sde step: %.4g replicate-steps/s (%.0f ns/step), %.0f flops/step -> %.3g GFLOP/s\n", sde, 1e9 / sde,
              kSdeFlops, sde_gflops);
  std::printf("  peak (Eigen %dx%d dgemm): %.3g GFLOP/s\n", kPeakSize, kPeakSize, peak);
  std::printf("  sde rate / peak = %.3f (%.1f%%)\n", sde_gflops / peak, 100.0 * sde_gflops / peak);
  const double ns_normals = 1e9 / r.get("BM_part_fill_normal_200", "items_per_second");
  std::printf("  200 normals (Stream::fill_normal): %.0f ns per fill, %.4g normals/s\n", ns_normals,
              200e9 / ns_normals);

  double part_ns[kStepParts], parts_total = 0;
  for (int p = 0; p < kStepParts; ++p) parts_total += part_ns[p] = r.get("BM_sde_step_parts", "part" + std::to_string(p) + "_ns");
  const auto line = [](const char* label, double ns, double share, double gflops) {
    std::printf("    %-44s %6.0f ns", label, ns);
    if (std::isfinite(share)) std::printf(" %6.1f%%", share);
    else std::printf("        ");
    if (std::isfinite(gflops)) std::printf("  %5.1f GFLOP/s", gflops);
    std::printf("\n");
  };
  if (std::isfinite(parts_total)) {
    std::printf("  where one sde step's time goes (timed inside the step, medians; %% of their sum, %.0f ns,\n"
                "  which leaves out the virtual step dispatch):\n", parts_total);
    for (int p = 0; p < kStepParts; ++p) line(kStepPartNames[p], part_ns[p], 100 * part_ns[p] / parts_total, NAN);
  }
  const auto alone = [&r](const char* family) { return 1e9 / r.get(family, "items_per_second"); };
  std::printf("  parts timed alone, each in its own benchmark (not comparable by subtraction):\n");
  line("200 normals (Stream::fill_normal)", ns_normals, NAN, NAN);
  line("  200 raw Philox4x64 words (for comparison)", alone("BM_part_philox_200"), NAN, NAN);
  line("weighted_gradient_sums", alone("BM_part_gradient_sums"), NAN, r.get("BM_part_gradient_sums", "GFLOP/s"));
  line("  its two products alone", alone("BM_part_raw_products"), NAN, r.get("BM_part_raw_products", "GFLOP/s"));
  line("    X w     (n x d GEMV)", alone("BM_part_product_Xw"), NAN, r.get("BM_part_product_Xw", "GFLOP/s"));
  line("    X^T R   (d x n by n x 2, one pass)", alone("BM_part_XtR_fused"), NAN, r.get("BM_part_XtR_fused", "GFLOP/s"));
  line("    [X^T R as two Eigen GEMVs: not used]", alone("BM_alt_XtR_two_gemv"), NAN,
       r.get("BM_alt_XtR_two_gemv", "GFLOP/s"));
  line("    [X^T R as one Eigen GEMM: not used]", alone("BM_alt_XtR_gemm"), NAN, r.get("BM_alt_XtR_gemm", "GFLOP/s"));
  line("gradient_and_noise (normals + sums + noise)", alone("BM_part_gradient_and_noise"), NAN, NAN);
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
