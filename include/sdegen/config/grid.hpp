// The experiment grid: the Cartesian product of the sweep axes, each point a cell with typed
// parameters. Cells are numbered in a fixed order (first axis slowest); streams are keyed by meaning.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sdegen/config/config.hpp"
#include "sdegen/config/stream_keys.hpp"

namespace sdegen {

struct CellParams {
  int index = 0;  // position in the grid
  std::string problem;
  int dim = 0;
  double noise = 0, signal = 0, spectrum_decay = 0, clip = 0;
  int classes = 0;  // softmax on synthetic data: K
  // mlp: the trained network's width, activation and biases (none, hidden, output, both), the
  // task, and the teacher's width and seed (the teacher has the same activation and biases).
  int width = 0;
  std::string activation, bias, task;
  int teacher_width = 0;
  std::int64_t teacher_seed = 0;
  std::string population;  // auto, closed_form or held_out
  int holdout = 0;         // held-out sample size
  // The population: synthetic (the problem's own), fashion-mnist or table (data_file); for the
  // last two the feature pipeline: class subset (text of codes, empty: all), pooling, scaling,
  // projection to `projection` features (0: none) drawn from projection_seed.
  std::string source, data_file, labels, classes_text, scaling;
  int pool = 1, projection = 0;
  std::int64_t projection_seed = 0;
  int n = 0;
  std::string algorithm;
  double lr = 0;
  int batch = 0;
  int steps = 0;
  double init = 0;
  std::string init_draw;  // replicate or shared (every replicate starts from replicate 0's W_0)
  int log_every = 0;
  std::string sampling;
  int substeps = 1;
  std::string lr_schedule;
  double lr_decay = 1;
  int lr_decay_every = 1;
  double noise_floor = 0;  // lambda: N(0, lambda I) added to every step's gradient
  // d, the number of weights (problem.dim for the linear problems; set when the problem is made).
  int params = 0;
  // Every sweepable option as (name, value token): written as attributes of the cell.
  std::vector<std::pair<std::string, std::string>> settings;
  bool on_table() const { return source != "synthetic"; }
  StreamKeys keys;  // of the replicates' random streams (from the settings)

  // The logged steps: 0, log_every, 2 log_every, ..., and steps.
  std::vector<int> logged_steps() const;
  // The same cell with another algorithm (for SGD-SDE comparisons), as a settings key.
  std::string settings_key_without(const std::string& option) const;
};

struct Grid {
  std::vector<std::string> axes;  // options with more than one value, in table order
  std::vector<CellParams> cells;
};

// Builds and validates every cell (cross-option checks such as batch <= n). Throws UsageError.
Grid build_grid(const RunConfig& config);

}  // namespace sdegen
