// The option table of `sdegen run`. Defaults here are the built-in default experiment:
// linear regression, SGD against its SDE, a sweep over n; about a minute on 2 cores.
#include "sdegen/config/option_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/data/fashion_mnist.hpp"
#include "sdegen/dynamics/dynamics_registry.hpp"
#include "sdegen/problems/problem_registry.hpp"

namespace sdegen {

namespace {

// Name, default, kind, unit, help, sweepable, choices, then the limits.
std::vector<OptionSpec> option_table() {
  using K = OptionKind;
  // Limits (the last numbers of each row: min, min exclusive?, max). Integer maxima keep every
  // count, index and product the engine forms in an int (replicate ids up to first_replicate +
  // replicates + block < 2^31); real maxima keep squares and products of the data scale, the
  // learning rate and the losses finite and below the divergence threshold 1e100.
  constexpr double kInt64Max = 9223372036854775807.0;
  return {
      {"problem.name", "linreg", K::choice, "", "learning problem", true, problem_names()},
      {"problem.dim", "10", K::integer, "",
       "parameter dimension d (gaussian-mean, linreg, logistic), inputs p (softmax, mlp); synthetic data only", true,
       {}, 1, false, 1e5},
      {"problem.noise", "1", K::real, "",
       "gaussian-mean: data std; linreg, mlp: label-noise std; logistic, softmax: within-class std", true, {}, 0, false,
       1e50},
      {"problem.signal", "1", K::real, "",
       "norm of the true mean (gaussian-mean, logistic), of w_true (linreg) or of the class means (softmax)", true, {},
       0, false, 1e50},
      {"problem.spectrum_decay", "0", K::real, "",
       "linreg: input covariance eigenvalues k^-decay, k = 1..d (0: identity)", true, {}, 0, false, 20},
      {"problem.clip", "0", K::real, "loss units",
       "clip level c of the bounded squared loss min(l, c) (0: 4 x the optimal population risk)",
       true, {}, 0, false, 1e100},
      {"problem.classes", "3", K::integer, "", "softmax on synthetic data: number of classes K", true, {}, 2, false,
       1000},
      {"problem.width", "16", K::integer, "", "mlp: hidden units h of the trained network", true, {}, 1, false, 1e5},
      {"problem.activation", "tanh", K::choice, "", "mlp: activation of the hidden units (and the teacher's)", true,
       {"tanh", "relu", "erf"}},
      {"problem.bias", "none", K::choice, "",
       "mlp: biases of the network (and the teacher's): none, hidden (b), output (c) or both", true,
       {"none", "hidden", "output", "both"}},
      {"problem.task", "regression", K::choice, "",
       "mlp: regression (squared loss) or binary (labels +-1, logistic loss)", true, {"regression", "binary"}},
      {"problem.teacher_width", "4", K::integer, "", "mlp on synthetic data: hidden units h* of the teacher", true,
       {}, 1, false, 1e5},
      {"problem.teacher_seed", "0", K::integer, "",
       "mlp, softmax on synthetic data: seed of the fixed teacher weights or class means", true, {}, 0, false,
       kInt64Max},
      {"problem.population", "auto", K::choice, "",
       "population risk, gradient and covariance: closed_form, held_out (estimated from a fresh sample "
       "of problem.holdout examples per replicate), or auto (closed form where the problem has one)",
       true, {"auto", "closed_form", "held_out"}},
      {"problem.holdout", "2000", K::integer, "examples",
       "size of the held-out sample when population quantities are estimated", true, {}, 2, false, 1e7},
      {"data.source", "synthetic", K::choice, "",
       "population: synthetic (the problem's own distribution), fashion-mnist (Debian's dataset-fashion-mnist, "
       "all 70000 images) or table (the CSV or HDF5 file data.file); a table's rows are the population",
       true, {"synthetic", "fashion-mnist", "table"}},
      {"data.file", "", K::text, "",
       "table: the CSV (.csv) or HDF5 (.h5, .hdf5) file; fashion-mnist: the directory of its four IDX files "
       "(empty: " + kFashionMnistDirectory + ")", false, {}},
      {"data.labels", "", K::text, "",
       "table: the label column of the CSV file, or the labels dataset of the HDF5 file (empty: y for CSV, "
       "labels for HDF5; HDF5 features are in dataset 'features')", false, {}},
      {"data.classes", "", K::text, "",
       "fashion-mnist, table: class codes to keep, e.g. \"0 6\" (two classes: labels -1, +1; more: 0..K-1; "
       "empty: every class)", false, {}},
      {"data.pool", "1", K::integer, "", "fashion-mnist: average pooling factor (2: 14 x 14, 4: 7 x 7)", true, {}, 1,
       false, 28},
      {"data.scaling", "unit", K::choice, "",
       "fashion-mnist, table: feature scaling over the table: unit ([0, 1]), standardize, none", true,
       {"unit", "standardize", "none"}},
      {"data.projection", "0", K::integer, "features",
       "fashion-mnist, table: a fixed Gaussian projection to this many features (0: none)", true, {}, 0, false, 1e5},
      {"data.projection_seed", "0", K::integer, "", "seed of the fixed projection matrix", false, {}, 0, false,
       kInt64Max},
      {"data.n", "50 100 200 400 800", K::integer, "examples", "training-set size n", true, {}, 2, false, 1e8},
      {"train.algorithm", "sgd sde", K::choice, "", "dynamics: sgd, sde (its SDE surrogate) or gd",
       true, dynamics_names()},
      {"train.lr", "0.05", K::real, "", "learning rate eta (initial value of the schedule)", true,
       {}, 0, true, 1e50},
      {"train.batch", "10", K::integer, "examples", "minibatch size b (<= n)", true, {}, 1, false, 1e8},
      {"train.steps", "400", K::integer, "steps", "number of steps T", true, {}, 1, false, 1e8},
      {"train.init", "0", K::real, "",
       "std of each coordinate of the initial weights W_0 (0: start at the origin; mlp needs > 0)", true, {}, 0, false,
       1e50},
      {"train.init_draw", "replicate", K::choice, "",
       "replicate: each replicate draws its own W_0; shared: every replicate starts from replicate 0's W_0", true,
       {"replicate", "shared"}},
      {"train.log_every", "20", K::integer, "steps",
       "record statistics every k steps (and at steps 0 and T)", true, {}, 1, false, 1e8},
      {"train.sampling", "fresh", K::choice, "",
       "fresh: b distinct indices drawn anew every step; shuffle: epoch-wise shuffling", true,
       {"fresh", "shuffle"}},
      {"train.substeps", "1", K::integer, "", "sde: Euler-Maruyama substeps per step", true, {}, 1, false, 1e4},
      {"train.lr_schedule", "constant", K::choice, "",
       "constant, or step: multiply lr by lr_decay every lr_decay_every steps", true,
       {"constant", "step"}},
      {"train.lr_decay", "0.1", K::real, "", "step schedule: decay factor", true, {}, 0, true, 1},
      {"train.lr_decay_every", "100", K::integer, "steps", "step schedule: decay period", true, {},
       1, false, 1e8},
      {"train.noise_floor", "0", K::real, "gradient^2",
       "variance lambda of isotropic noise N(0, lambda I) added to every step's gradient", true, {}, 0, false,
       1e100},
      {"bounds.trajectory", "false", K::boolean, "",
       "trajectory bounds traj_iso_*, traj_align, wang_mao_2022 (every step)", false, {}},
      {"bounds.terminal", "false", K::boolean, "",
       "terminal-state bounds term_*, the replace-one gen and the stationary check", false, {}},
      {"bounds.logdet_every", "1", K::integer, "steps",
       "compute log det C_t every k-th step only (k > 1: the sums are estimated)", false, {}, 1, false, 1e8},
      {"bounds.flatness_samples", "4", K::integer, "",
       "wang_mao_2022: perturbations per replicate for the flatness term", false, {}, 1, false, 1000},
      {"bounds.negrea_m", "0", K::integer, "examples",
       "term_negrea: size m of the prior's subset S_J (0: n - 1)", false, {}, 0, false, 1e8},
      {"bounds.stationary_steps", "0", K::integer, "steps",
       "extra steps at the terminal rate to check the stationary covariance (0: no check)", false, {}, 0,
       false, 1e8},
      {"bounds.newton_tol", "1e-9", K::real, "gradient",
       "w*_S is found when ||grad L_S|| is below this", false, {}, 0, true, 1e100},
      {"bounds.max_dense_dim", "256", K::integer, "weights",
       "largest d for which d x d matrices are formed (terminal bounds, traj_align); beyond it those bounds are "
       "undefined, log det C_t is taken through the n x n Gram matrix and wang_mao_2022's curvature by Hutchinson's "
       "trace estimate", false, {}, 1, false, 1e5},
      {"bounds.jackknife_groups", "20", K::integer, "",
       "groups of replicate blocks for the jackknife error bars of the bounds", false, {}, 2, false, 1e4},
      {"bounds.supersample", "false", K::boolean, "",
       "supersample (CMI-family) bounds b5..b13 from n fresh test points per replicate, b1 by argument", false, {}},
      {"bounds.supersample_levels", "32", K::integer, "",
       "supersample bounds: levels B of a continuous bounded loss (the bound then holds for the "
       "quantised loss; + clip / B for the loss itself)", false, {}, 1, false, 1000},
      {"bounds.supersample_masks", "0", K::integer, "",
       "nested design: K masks (retrainings) per supersample, replicate r = mask r mod K of supersample "
       "r / K; gives b3, b4, b7, b7' (0: none)", false, {}, 0, false, 1e6},
      {"mc.replicates", "10000", K::integer, "", "independent training sets per cell", false, {}, 1, false,
       1e9},
      {"mc.seed", "1", K::integer, "", "master seed of all random streams", false, {}, 0, false, kInt64Max},
      {"mc.first_replicate", "0", K::integer, "",
       "id of the first replicate: parts of one study over disjoint replicate ranges merge", false, {}, 0,
       false, 1e9},
      {"mc.block", "16", K::integer, "",
       "replicates per block; blocks are the unit of work and of the ordered merge", false, {}, 1, false, 1e8},
      {"output.file", "results.h5", K::text, "", "results file (HDF5); also -o", false, {}},
      {"output.overwrite", "false", K::boolean, "",
       "replace an existing results file, and discard a checkpoint of an earlier run (without --resume)", false, {}},
      {"output.checkpoint_every", "300", K::real, "seconds",
       "write a checkpoint this often (0: only on a stop signal: SIGTERM, SIGUSR1, SIGINT, SIGHUP)", false, {}, 0,
       false, 1e9},
      {"output.max_memory", "0", K::real, "GiB",
       "memory a rank may use; a run estimated to need more is refused (0: physical memory, or the cgroup "
       "limit, divided by the ranks on the node)", false, {}, 0, false, 1e6},
      {"output.progress_every", "0", K::real, "seconds",
       "progress interval (0: every second on a terminal, where the line is rewritten; every 30 s in a log)",
       false, {}, 0, false, 1e9},
  };
}

// The stream roles, set once on the table (a long positional initialiser would hide them).
std::vector<OptionSpec> with_stream_roles(std::vector<OptionSpec> table) {
  const std::vector<std::string> data = {"problem.name", "problem.dim", "problem.noise", "problem.signal",
                                         "problem.spectrum_decay", "problem.classes", "problem.activation",
                                         "problem.bias", "problem.task", "problem.teacher_width",
                                         "problem.teacher_seed", "data.source", "data.file", "data.labels",
                                         "data.classes", "data.pool", "data.scaling", "data.projection",
                                         "data.projection_seed", "data.n"};
  const std::vector<std::string> training = {"problem.width", "train.algorithm", "train.lr", "train.batch",
                                             "train.init", "train.init_draw", "train.sampling", "train.substeps",
                                             "train.lr_schedule", "train.lr_decay", "train.lr_decay_every",
                                             "train.noise_floor"};
  for (auto& spec : table) {
    if (std::find(data.begin(), data.end(), spec.name) != data.end()) spec.stream_role = StreamRole::data;
    if (std::find(training.begin(), training.end(), spec.name) != training.end())
      spec.stream_role = StreamRole::training;
  }
  return table;
}

}  // namespace

const std::vector<OptionSpec>& run_options() {
  static const std::vector<OptionSpec> table = with_stream_roles(option_table());
  return table;
}


namespace {
// 1e8 rather than 100000000, the int64 maximum by name, small integers and other reals as %g.
std::string limit_text(double value) {
  if (value == 9223372036854775807.0) return "2^63 - 1";
  const double exponent = std::log10(value);
  if (value >= 1e5 && exponent == std::round(exponent)) return "1e" + std::to_string(static_cast<int>(exponent));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", value);
  return buf;
}
}  // namespace

std::string option_range_text(const OptionSpec& spec) {
  if (spec.kind != OptionKind::integer && spec.kind != OptionKind::real) return "";
  if (spec.min_exclusive) return "> " + limit_text(spec.min_value) + " and <= " + limit_text(spec.max_value);
  return limit_text(spec.min_value) + " to " + limit_text(spec.max_value);
}

std::string option_key(const std::string& option) {
  if (option == "problem.name") return "problem";
  const auto dot = option.find('.');
  return dot == std::string::npos ? option : option.substr(dot + 1);
}

const OptionSpec& find_option(const std::string& name) {
  for (const auto& spec : run_options())
    if (spec.name == name) return spec;
  throw UsageError("unknown option '" + name + "'");
}

}  // namespace sdegen
