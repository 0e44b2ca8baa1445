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

CellParams make_cell(int index, const std::map<std::string, std::string>& v) {
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
  c.population = v.at("problem.population");
  c.holdout = integer("problem.holdout");
  c.n = integer("data.n");
  c.algorithm = v.at("train.algorithm");
  c.lr = real("train.lr");
  c.batch = integer("train.batch");
  c.steps = integer("train.steps");
  c.init = real("train.init");
  c.log_every = integer("train.log_every");
  c.sampling = v.at("train.sampling");
  c.substeps = integer("train.substeps");
  c.lr_schedule = v.at("train.lr_schedule");
  c.lr_decay = real("train.lr_decay");
  c.lr_decay_every = integer("train.lr_decay_every");
  c.noise_floor = real("train.noise_floor");
  for (const auto& spec : run_options())
    if (spec.sweepable) c.settings.emplace_back(spec.name, v.at(spec.name));
  c.keys = stream_keys(c.settings);

  auto fail = [&](const std::string& what) {
    std::ostringstream msg;
    msg << what << " (cell " << index << ")";
    throw UsageError(msg.str());
  };
  if (c.batch > c.n)
    fail("option 'train.batch' = " + std::to_string(c.batch) + " is larger than 'data.n' = " +
         std::to_string(c.n));
  if (const std::string problem = find_problem(c.problem).check(c); !problem.empty()) fail(problem);
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
    grid.cells.push_back(make_cell(static_cast<int>(cell), values));
    for (std::size_t k = swept.size(); k-- > 0;) {
      if (++digit[k] < config.tokens(swept[k]->name).size()) break;
      digit[k] = 0;
    }
  }
  return grid;
}

}  // namespace sdegen
