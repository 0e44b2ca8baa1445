// The problem table. Options were validated against problem_names() by the option table, so an
// unknown name reaching find_problem is a programming error.
#include "sdegen/problems/problem_registry.hpp"

#include <stdexcept>

#include "sdegen/problems/gaussian_mean.hpp"
#include "sdegen/problems/linreg.hpp"
#include "sdegen/problems/logistic.hpp"
#include "sdegen/problems/mlp.hpp"
#include "sdegen/problems/softmax.hpp"
#include "sdegen/problems/table_problem.hpp"

namespace sdegen {

namespace {

// The loss divides squared distances (up to the divergence threshold 1e100) by noise^2.
std::string positive_noise(const CellParams& cell) {
  if (cell.on_table()) return "";
  return cell.noise >= 1e-100 ? "" : "option 'problem.noise' must be >= 1e-100 for problem '" + cell.problem + "'";
}

std::string classes_of(const Table& table) {
  std::string out;
  for (std::size_t k = 0; k < table.info().class_codes.size(); ++k)
    out += (k ? ", " : "") + std::to_string(table.info().class_codes[k]);
  return out;
}

// Messages for a model that needs two classes (labels -1, +1), or real targets.
std::string needs_binary(const Table& table, const std::string& who) {
  const LabelKind kind = table.info().label_kind;
  if (kind == LabelKind::binary) return "";
  if (kind == LabelKind::multiclass)
    return who + " needs two classes (labels -1, +1); the table has " + std::to_string(table.info().class_codes.size()) +
           " (codes " + classes_of(table) + "): list two in option 'data.classes'";
  return who + " needs class labels, and the table's labels are real targets";
}
std::string needs_targets(const Table& table, const std::string& who) {
  if (table.info().label_kind == LabelKind::multiclass)
    return who + " regresses on real labels (or two classes as -1, +1); the table has " +
           std::to_string(table.info().class_codes.size()) + " classes: list two in option 'data.classes', or use "
           "problem softmax";
  return "";
}

// The clip level of a regression on a table: problem.clip, or 2 Var_mu(y) (four times the risk
// Var(y) / 2 of the best constant prediction), or 1 when the labels are constant.
double table_clip(const CellParams& cell, const Table& table) {
  if (cell.clip > 0) return cell.clip;
  const auto y = table.labels();
  const double variance = (y.array() - y.mean()).square().mean();
  return variance > 0 ? 2 * variance : 1.0;
}

NetworkShape network_shape(const CellParams& cell, int inputs, int width) {
  return {inputs, width, parse_activation(cell.activation), cell.bias == "hidden" || cell.bias == "both",
          cell.bias == "output" || cell.bias == "both"};
}

std::unique_ptr<Mlp> make_mlp(const CellParams& cell, int inputs, double clip) {
  return std::make_unique<Mlp>(network_shape(cell, inputs, cell.width), network_shape(cell, inputs, cell.teacher_width),
                               parse_mlp_task(cell.task), cell.noise, clip,
                               static_cast<std::uint64_t>(cell.teacher_seed));
}

// A network at W = 0, a = 0 has zero gradient everywhere but the output bias: it never trains.
std::string positive_init(const CellParams& cell) {
  if (cell.init > 0) return "";
  return "option 'train.init' = 0 would start the network at the origin, where every gradient but the output "
         "bias's vanishes and nothing trains; give the scale of W_0 (1 keeps pre-activations of order 1)";
}

std::unique_ptr<Problem> on_table(std::unique_ptr<Problem> model, const Table& table,
                                  TableProblem::Labels labels = TableProblem::Labels::as_stored) {
  return std::make_unique<TableProblem>(std::move(model), table, labels);
}

}  // namespace

const std::vector<ProblemEntry>& problem_registry() {
  static const std::vector<ProblemEntry> table = {
      {"gaussian-mean", "mean estimation, z ~ N(m, s^2 I), l = ||w - z||^2",
       {true, false, true, true},
       positive_noise,
       [](const CellParams& c) { return std::make_unique<GaussianMean>(c.dim, c.noise, c.signal, c.clip); },
       {}, {}, {}},
      {"linreg", "linear regression (Gaussian design, or a table's rows), l = (w^T x - y)^2 / 2",
       {true, true, true, true},
       [](const CellParams&) { return std::string(); },
       [](const CellParams& c) {
         return std::make_unique<LinearRegression>(c.dim, c.noise, c.signal, c.spectrum_decay, c.clip);
       },
       [](const CellParams&) { return LabelKind::real; },
       [](const CellParams&, const Table& t) { return needs_targets(t, "problem 'linreg'"); },
       [](const CellParams& c, const Table& t) {
         return on_table(std::make_unique<LinearRegression>(static_cast<int>(t.cols()), 1.0, 0.0, 0.0, table_clip(c, t)), t);
       }},
      {"logistic", "logistic regression (Gaussian mixture, or a table's two classes), logistic and 0-1 losses",
       {true, true, true, true},
       [](const CellParams& c) {
         if (!positive_noise(c).empty()) return positive_noise(c);
         return c.signal > 0 || c.on_table() ? std::string()
                                             : std::string("option 'problem.signal' must be > 0 for problem 'logistic'");
       },
       [](const CellParams& c) { return std::make_unique<Logistic>(c.dim, c.noise, c.signal); },
       [](const CellParams&) { return LabelKind::class_code; },
       [](const CellParams&, const Table& t) { return needs_binary(t, "problem 'logistic'"); },
       [](const CellParams&, const Table& t) {
         return on_table(std::make_unique<Logistic>(static_cast<int>(t.cols()), 1.0, 1.0), t);
       }},
      {"softmax", "linear softmax classifier (Gaussian mixture of problem.classes classes, or a table's classes)",
       {false, true, true, true},
       positive_noise,
       [](const CellParams& c) {
         return std::make_unique<Softmax>(c.dim, c.classes, c.noise, c.signal, static_cast<std::uint64_t>(c.teacher_seed));
       },
       [](const CellParams&) { return LabelKind::class_code; },
       [](const CellParams&, const Table& t) {
         const LabelKind kind = t.info().label_kind;
         return kind == LabelKind::binary || kind == LabelKind::multiclass
                    ? std::string()
                    : std::string("problem 'softmax' needs class labels, and the table's labels are real targets");
       },
       [](const CellParams&, const Table& t) {
         const bool binary = t.info().label_kind == LabelKind::binary;
         const int classes = static_cast<int>(t.info().class_codes.size());
         return on_table(std::make_unique<Softmax>(static_cast<int>(t.cols()), classes, 1.0, 1.0, 0), t,
                         binary ? TableProblem::Labels::binary_as_index : TableProblem::Labels::as_stored);
       }},
      {"mlp", "two-layer network a^T act(W x / sqrt p + b) / sqrt h + c (teacher-student, or a table's rows)",
       {false, true, true, true},
       positive_init,
       [](const CellParams& c) { return make_mlp(c, c.dim, c.clip); },
       [](const CellParams& c) { return c.task == "binary" ? LabelKind::class_code : LabelKind::real; },
       [](const CellParams& c, const Table& t) {
         return c.task == "binary" ? needs_binary(t, "problem 'mlp' with problem.task = binary")
                                   : needs_targets(t, "problem 'mlp' with problem.task = regression");
       },
       [](const CellParams& c, const Table& t) {
         const double clip = c.task == "regression" ? table_clip(c, t) : c.clip;
         return on_table(make_mlp(c, static_cast<int>(t.cols()), clip), t);
       }},
  };
  return table;
}

const ProblemEntry& find_problem(const std::string& name) {
  for (const auto& entry : problem_registry())
    if (entry.name == name) return entry;
  throw std::logic_error("unknown problem '" + name + "'");
}

std::vector<std::string> problem_names() {
  std::vector<std::string> names;
  for (const auto& entry : problem_registry()) names.push_back(entry.name);
  return names;
}

std::unique_ptr<Problem> make_problem(const CellParams& cell, const Table* table) {
  const ProblemEntry& entry = find_problem(cell.problem);
  if (!table) return entry.make(cell);
  if (!entry.make_on_table) throw std::logic_error("problem '" + cell.problem + "' has no table version");
  return entry.make_on_table(cell, *table);
}

}  // namespace sdegen
