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

bool any_mlp(const Grid& grid) {
  return any_cell(grid, [](const CellParams& c) { return c.problem == "mlp"; });
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
    {"problem.spectrum_decay", "linreg on synthetic data, and no cell has 'problem.name' = linreg there",
     [](const RunConfig&, const Grid& g) {
       return any_cell(g, [](const CellParams& c) { return c.problem == "linreg" && !c.on_table(); });
     }},
    {"problem.clip", "the clipped squared loss of gaussian-mean, linreg and mlp regression, and no cell has one",
     [](const RunConfig&, const Grid& g) {
       return any_cell(g, [](const CellParams& c) {
         return c.problem == "gaussian-mean" || c.problem == "linreg" || (c.problem == "mlp" && c.task == "regression");
       });
     }},
    {"problem.dim", "synthetic data (a table's columns are the inputs), and every cell is on a table",
     [](const RunConfig&, const Grid& g) { return any_cell(g, [](const CellParams& c) { return !c.on_table(); }); }},
    {"problem.noise", "synthetic data, and every cell is on a table",
     [](const RunConfig&, const Grid& g) { return any_cell(g, [](const CellParams& c) { return !c.on_table(); }); }},
    {"problem.signal", "synthetic data, and every cell is on a table",
     [](const RunConfig&, const Grid& g) { return any_cell(g, [](const CellParams& c) { return !c.on_table(); }); }},
    {"problem.classes", "softmax on synthetic data, and no cell has it",
     [](const RunConfig&, const Grid& g) {
       return any_cell(g, [](const CellParams& c) { return c.problem == "softmax" && !c.on_table(); });
     }},
    {"problem.width", "mlp, and no cell has 'problem.name' = mlp", [](const RunConfig&, const Grid& g) { return any_mlp(g); }},
    {"problem.activation", "mlp, and no cell has 'problem.name' = mlp", [](const RunConfig&, const Grid& g) { return any_mlp(g); }},
    {"problem.bias", "mlp, and no cell has 'problem.name' = mlp", [](const RunConfig&, const Grid& g) { return any_mlp(g); }},
    {"problem.task", "mlp, and no cell has 'problem.name' = mlp", [](const RunConfig&, const Grid& g) { return any_mlp(g); }},
    {"problem.teacher_width", "mlp on synthetic data, and no cell has it",
     [](const RunConfig&, const Grid& g) {
       return any_cell(g, [](const CellParams& c) { return c.problem == "mlp" && !c.on_table(); });
     }},
    {"problem.teacher_seed", "mlp and softmax on synthetic data, and no cell has them",
     [](const RunConfig&, const Grid& g) {
       return any_cell(g, [](const CellParams& c) { return (c.problem == "mlp" || c.problem == "softmax") && !c.on_table(); });
     }},
    {"data.file", "data.source fashion-mnist or table, and every cell is synthetic",
     [](const RunConfig&, const Grid& g) { return any_cell(g, [](const CellParams& c) { return c.on_table(); }); }},
    {"data.labels", "data.source = table, and no cell has it",
     [](const RunConfig&, const Grid& g) { return any_cell(g, [](const CellParams& c) { return c.source == "table"; }); }},
    {"data.classes", "data.source fashion-mnist or table, and every cell is synthetic",
     [](const RunConfig&, const Grid& g) { return any_cell(g, [](const CellParams& c) { return c.on_table(); }); }},
    {"data.pool", "data.source = fashion-mnist, and no cell has it",
     [](const RunConfig&, const Grid& g) {
       return any_cell(g, [](const CellParams& c) { return c.source == "fashion-mnist"; });
     }},
    {"data.scaling", "data.source fashion-mnist or table, and every cell is synthetic",
     [](const RunConfig&, const Grid& g) { return any_cell(g, [](const CellParams& c) { return c.on_table(); }); }},
    {"data.projection", "data.source fashion-mnist or table, and every cell is synthetic",
     [](const RunConfig&, const Grid& g) { return any_cell(g, [](const CellParams& c) { return c.on_table(); }); }},
    {"data.projection_seed", "a projection (data.projection > 0) of a table, and no cell has one",
     [](const RunConfig&, const Grid& g) {
       return any_cell(g, [](const CellParams& c) { return c.on_table() && c.projection > 0; });
     }},
    {"bounds.max_dense_dim", "bounds, and neither 'bounds.trajectory' nor 'bounds.terminal' is true",
     [](const RunConfig& c, const Grid&) { return c.boolean("bounds.trajectory") || c.boolean("bounds.terminal"); }},
};

// Whether the user changed an option, comparing values as numbers where they are numbers.
bool differs_from_default(const RunConfig& config, const OptionSpec& spec) {
  const std::vector<std::string>& given = config.tokens(spec.name);
  if (spec.kind == OptionKind::text) return given.front() != spec.default_value;  // one value, not split
  const std::vector<std::string> defaults = split_tokens(spec.default_value);
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
