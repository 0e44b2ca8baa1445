// Expands the sweep axes of a RunConfig into cells and checks each cell's options together.
// Errors name the options involved, so a bad sweep is rejected before any work starts.
#include "sdegen/config/grid.hpp"

#include <map>
#include <sstream>

#include "sdegen/config/option_rules.hpp"
#include "sdegen/config/option_table.hpp"
#include "sdegen/config/usage_error.hpp"
#include "sdegen/problems/problem_registry.hpp"

namespace sdegen {

std::vector<int> CellParams::logged_steps() const {
  std::vector<int> out;
  for (int t = 0; t < steps; t += log_every) out.push_back(t);
  out.push_back(steps);
  return out;
}

std::string CellParams::settings_key_without(const std::string& option) const {
  std::string key;
  for (const auto& [name, value] : settings)
    if (name != option) key += name + "=" + value + ";";
  return key;
}

namespace {

CellParams make_cell(int index, const std::map<std::string, std::string>& v, const RunConfig& config) {
  auto integer = [&](const char* name) {
    return static_cast<int>(parse_integer(name, v.at(name)));
  };
  auto real = [&](const char* name) { return parse_real(name, v.at(name)); };
  CellParams c;
  c.index = index;
  c.problem = v.at("problem.name");
  c.dim = integer("problem.dim");
  c.noise = real("problem.noise");
  c.signal = real("problem.signal");
  c.spectrum_decay = real("problem.spectrum_decay");
  c.clip = real("problem.clip");
  c.classes = integer("problem.classes");
  c.width = integer("problem.width");
  c.activation = v.at("problem.activation");
  c.bias = v.at("problem.bias");
  c.task = v.at("problem.task");
  c.teacher_width = integer("problem.teacher_width");
  c.teacher_seed = parse_integer("problem.teacher_seed", v.at("problem.teacher_seed"));
  c.source = v.at("data.source");
  c.data_file = config.single("data.file");
  c.labels = config.single("data.labels");
  c.classes_text = config.single("data.classes");
  c.pool = integer("data.pool");
  c.scaling = v.at("data.scaling");
  c.projection = integer("data.projection");
  c.projection_seed = config.integer("data.projection_seed");
  c.population = v.at("problem.population");
  c.holdout = integer("problem.holdout");
  c.n = integer("data.n");
  c.algorithm = v.at("train.algorithm");
  c.lr = real("train.lr");
  c.batch = integer("train.batch");
  c.steps = integer("train.steps");
  c.init = real("train.init");
  c.init_draw = v.at("train.init_draw");
  c.log_every = integer("train.log_every");
  c.sampling = v.at("train.sampling");
  c.substeps = integer("train.substeps");
  c.lr_schedule = v.at("train.lr_schedule");
  c.lr_decay = real("train.lr_decay");
  c.lr_decay_every = integer("train.lr_decay_every");
  c.noise_floor = real("train.noise_floor");
  c.params = c.dim;
  for (const auto& spec : run_options())
    if (spec.sweepable) c.settings.emplace_back(spec.name, v.at(spec.name));
  // The keys also cover the options that define the data but take one value per run (data.file, ...).
  auto keyed = c.settings;
  for (const auto& spec : run_options())
    if (!spec.sweepable && spec.stream_role != StreamRole::none) keyed.emplace_back(spec.name, config.single(spec.name));
  c.keys = stream_keys(keyed);

  auto fail = [&](const std::string& what) {
    std::ostringstream msg;
    msg << what << " (cell " << index << ")";
    throw UsageError(msg.str());
  };
  if (c.batch > c.n)
    fail("option 'train.batch' = " + std::to_string(c.batch) + " is larger than 'data.n' = " +
         std::to_string(c.n));
  const ProblemEntry& entry = find_problem(c.problem);
  if (c.on_table() && !entry.capabilities.finite_population) {
    std::string on_tables;
    for (const auto& e : problem_registry())
      if (e.capabilities.finite_population) on_tables += (on_tables.empty() ? "" : ", ") + e.name;
    fail("problem '" + c.problem + "' has no version on a table (option 'data.source' = " + c.source +
         "); problems that do: " + on_tables);
  }
  if (c.source == "table" && c.data_file.empty())
    fail("option 'data.source' = table needs option 'data.file' (a .csv, .h5 or .hdf5 file)");
  if (const std::string problem = entry.check(c); !problem.empty()) fail(problem);
  check_cross_option_limits(c);
  return c;
}

}  // namespace

Grid build_grid(const RunConfig& config) {
  Grid grid;
  std::vector<const OptionSpec*> swept;
  std::size_t count = 1;
  for (const auto& spec : run_options()) {
    if (!spec.sweepable) continue;
    swept.push_back(&spec);
    const auto n = config.tokens(spec.name).size();
    if (n > 1) grid.axes.push_back(spec.name);
    count *= n;
    if (count > 100000) throw UsageError("the sweep has more than 100000 cells");
  }
  // Odometer over the sweepable options, last option fastest.
  std::vector<std::size_t> digit(swept.size(), 0);
  for (std::size_t cell = 0; cell < count; ++cell) {
    std::map<std::string, std::string> values;
    for (std::size_t k = 0; k < swept.size(); ++k)
      values[swept[k]->name] = config.tokens(swept[k]->name)[digit[k]];
    grid.cells.push_back(make_cell(static_cast<int>(cell), values, config));
    for (std::size_t k = swept.size(); k-- > 0;) {
      if (++digit[k] < config.tokens(swept[k]->name).size()) break;
      digit[k] = 0;
    }
  }
  return grid;
}

}  // namespace sdegen
