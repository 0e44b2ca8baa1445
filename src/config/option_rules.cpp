// The cross-option limits and the no-effect rules, each kept in one table so that a new option
// gets its rule next to the others rather than in an if somewhere in the engine.
#include "sdegen/config/option_rules.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sdegen/config/option_table.hpp"
#include "sdegen/config/usage_error.hpp"

namespace sdegen {

namespace {

struct CellLimit {
  const char* options;  // as the message names them
  double (*value)(const CellParams&);
  double min, max;
  const char* what;
};

// The rate of the last step, lr x lr_decay^floor((steps - 1) / lr_decay_every), as the step
// schedule computes it: it must not underflow, as the terminal bounds divide by it.
double final_learning_rate(const CellParams& c) {
  if (c.lr_schedule != "step") return c.lr;
  return c.lr * std::pow(c.lr_decay, (c.steps - 1) / c.lr_decay_every);
}

const CellLimit kCellLimits[] = {
    {"'data.n' x 'problem.dim'", [](const CellParams& c) { return double(c.n) * c.dim; }, 0, 1e8,
     "numbers per training set"},
    {"'train.steps' / 'train.log_every'", [](const CellParams& c) { return double(c.steps) / c.log_every; }, 0, 1e6,
     "logged steps per cell"},
    {"'train.lr' x 'train.lr_decay'^(('train.steps' - 1) / 'train.lr_decay_every')", final_learning_rate, 1e-300,
     HUGE_VAL, "as the learning rate of the last step"},
};

bool any_cell(const Grid& grid, bool (*test)(const CellParams&)) {
  return std::any_of(grid.cells.begin(), grid.cells.end(), test);
}

struct NoEffectRule {
  const char* option;
  const char* applies_to;  // completes "it applies to ..."
  bool (*has_effect)(const RunConfig&, const Grid&);
};

const NoEffectRule kNoEffectRules[] = {
    {"bounds.logdet_every", "trajectory bounds, and 'bounds.trajectory' is false",
     [](const RunConfig& c, const Grid&) { return c.boolean("bounds.trajectory"); }},
    {"bounds.flatness_samples", "trajectory bounds (wang_mao_2022), and 'bounds.trajectory' is false",
     [](const RunConfig& c, const Grid&) { return c.boolean("bounds.trajectory"); }},
    {"bounds.negrea_m", "terminal bounds (term_negrea), and 'bounds.terminal' is false",
     [](const RunConfig& c, const Grid&) { return c.boolean("bounds.terminal"); }},
    {"bounds.stationary_steps", "terminal bounds, and 'bounds.terminal' is false",
     [](const RunConfig& c, const Grid&) { return c.boolean("bounds.terminal"); }},
    {"bounds.newton_tol", "terminal bounds (w*_S), and 'bounds.terminal' is false",
     [](const RunConfig& c, const Grid&) { return c.boolean("bounds.terminal"); }},
    {"bounds.jackknife_groups", "bounds, and none of 'bounds.trajectory', 'bounds.terminal', 'bounds.supersample' is true",
     [](const RunConfig& c, const Grid&) {
       return c.boolean("bounds.trajectory") || c.boolean("bounds.terminal") || c.boolean("bounds.supersample");
     }},
    {"bounds.supersample_levels", "supersample bounds, and 'bounds.supersample' is false",
     [](const RunConfig& c, const Grid&) { return c.boolean("bounds.supersample"); }},
    {"bounds.supersample_masks", "supersample bounds, and 'bounds.supersample' is false",
     [](const RunConfig& c, const Grid&) { return c.boolean("bounds.supersample"); }},
    {"train.substeps", "sde cells, and no cell has 'train.algorithm' = sde",
     [](const RunConfig&, const Grid& g) { return any_cell(g, [](const CellParams& c) { return c.algorithm == "sde"; }); }},
    {"train.sampling", "sgd cells, and no cell has 'train.algorithm' = sgd",
     [](const RunConfig&, const Grid& g) { return any_cell(g, [](const CellParams& c) { return c.algorithm == "sgd"; }); }},
    {"train.lr_decay", "the step schedule, and no cell has 'train.lr_schedule' = step",
     [](const RunConfig&, const Grid& g) { return any_cell(g, [](const CellParams& c) { return c.lr_schedule == "step"; }); }},
    {"train.lr_decay_every", "the step schedule, and no cell has 'train.lr_schedule' = step",
     [](const RunConfig&, const Grid& g) { return any_cell(g, [](const CellParams& c) { return c.lr_schedule == "step"; }); }},
    {"problem.spectrum_decay", "linreg, and no cell has 'problem.name' = linreg",
     [](const RunConfig&, const Grid& g) { return any_cell(g, [](const CellParams& c) { return c.problem == "linreg"; }); }},
    {"problem.clip", "the clipped squared loss of gaussian-mean and linreg, and every cell is logistic",
     [](const RunConfig&, const Grid& g) { return any_cell(g, [](const CellParams& c) { return c.problem != "logistic"; }); }},
};

// Whether the user changed an option, comparing values as numbers where they are numbers.
bool differs_from_default(const RunConfig& config, const OptionSpec& spec) {
  const std::vector<std::string> defaults = split_tokens(spec.default_value);
  const std::vector<std::string>& given = config.tokens(spec.name);
  if (given.size() != defaults.size()) return true;
  for (std::size_t k = 0; k < given.size(); ++k) {
    if (spec.kind == OptionKind::integer) {
      if (parse_integer(spec.name, given[k]) != parse_integer(spec.name, defaults[k])) return true;
    } else if (spec.kind == OptionKind::real) {
      if (parse_real(spec.name, given[k]) != parse_real(spec.name, defaults[k])) return true;
    } else if (given[k] != defaults[k]) {
      return true;
    }
  }
  return false;
}

}  // namespace

void check_cross_option_limits(const CellParams& cell) {
  for (const CellLimit& limit : kCellLimits) {
    const double value = limit.value(cell);
    if (value > limit.max || value < limit.min) {
      std::ostringstream msg;
      msg << "options " << limit.options << " give " << value << " " << limit.what << ", "
          << (value > limit.max ? "more than the " : "less than the ") << (value > limit.max ? limit.max : limit.min)
          << " sdegen supports (cell " << cell.index << ")";
      throw UsageError(msg.str());
    }
  }
}

std::vector<std::string> no_effect_warnings(const RunConfig& config, const Grid& grid) {
  std::vector<std::string> out;
  for (const NoEffectRule& rule : kNoEffectRules)
    if (differs_from_default(config, find_option(rule.option)) && !rule.has_effect(config, grid))
      out.push_back("option '" + std::string(rule.option) + "' has no effect in this run: it applies to " +
                    rule.applies_to);
  return out;
}

}  // namespace sdegen
