// Formats a results file's /summary for `sdegen report`. The table is built once from the
// column names (docs/results-format.md) and rendered as aligned text, Markdown, CSV or JSON.
#include "sdegen/report/results_report.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <ostream>

#include "sdegen/config/option_table.hpp"
#include "sdegen/config/usage_error.hpp"
#include "sdegen/report/text_table.hpp"

namespace sdegen {

ReportFormat parse_report_format(const std::string& name) {
  if (name == "text") return ReportFormat::text;
  if (name == "csv") return ReportFormat::csv;
  if (name == "markdown") return ReportFormat::markdown;
  if (name == "json") return ReportFormat::json;
  throw UsageError("unknown report format '" + name + "' (text, csv, markdown or json)");
}

namespace {

using h5::Column;
using h5::Kind;

// ---- values ----------------------------------------------------------------------------

std::string format(const char* fmt, double a, double b = 0) { return format_number(fmt, a, b); }

// Shortest text that reads back as the same double.
std::string exact(double v) {
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, result.ptr);
}

double number(const Column& c, std::size_t row) {
  if (c.kind == Kind::real) return c.reals[row];
  if (c.kind == Kind::integer) return static_cast<double>(c.integers[row]);
  return NAN;
}

// A value for people: NaN as "-", reals with six significant digits.
std::string display(const Column* c, std::size_t row) {
  if (c == nullptr) return "-";
  if (c->kind == Kind::string) return c->strings[row].empty() ? "-" : c->strings[row];
  if (c->kind == Kind::integer) return std::to_string(c->integers[row]);
  return std::isnan(c->reals[row]) ? "-" : format("%.6g", c->reals[row]);
}


// ---- the table for people (text and Markdown) -------------------------------------------

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

std::vector<std::string> bound_names_of(const h5::Table& summary) {
  std::vector<std::string> names;
  for (const auto& c : summary.columns) {
    const std::string& n = c.name;
    const std::string suffix = "_stderr";
    if (n.rfind("bound_", 0) != 0 || (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0))
      continue;
    if (summary.find(n + "_stderr") != nullptr) names.push_back(n.substr(6));
  }
  return names;
}

// The text of a string column, "" when the column is absent.
std::string text(const h5::Table& t, const std::string& column, std::size_t row) {
  const Column* c = t.find(column);
  return c != nullptr && c->kind == Kind::string ? c->strings[row] : std::string();
}

double value(const h5::Table& t, const std::string& column, std::size_t row) {
  const Column* c = t.find(column);
  return c != nullptr ? number(*c, row) : NAN;
}

// The loss every row's bounded-loss column shows ("" when rows disagree or it is absent).
bool uniform(const h5::Table& t, const std::string& column, std::string& common) {
  common.clear();
  for (std::size_t r = 0; r < t.rows; ++r) {
    const std::string v = text(t, column, r);
    if (r == 0) common = v;
    else if (v != common) return false;
  }
  return true;
}

// Gen of `loss` in `row` ("" for the training loss): "mean ± stderr", prefixed by the loss name
// when the column header cannot name it.
std::string gen_cell(const h5::Table& t, const std::string& loss, std::size_t row, bool name_it) {
  const std::string prefix = loss.empty() ? "gen" : "gen_" + loss;
  const std::string v = plus_minus(value(t, prefix + "_mean", row), value(t, prefix + "_stderr", row));
  if (!name_it || v == "-") return v;
  return (loss.empty() ? text(t, "training_loss", row) : loss) + " " + v;
}

bool has_bounds(const ResultsFile& r) { return r.summary.find("bounded_loss") != nullptr; }

// Without bounds: the evaluation losses other than the training loss that have a value somewhere.
std::vector<std::string> other_losses(const ResultsFile& r) {
  const h5::Table& t = r.summary;
  std::vector<std::string> out;
  for (const auto& loss : r.summary_losses)
    for (std::size_t row = 0; row < t.rows; ++row)
      if (text(t, "training_loss", row) != loss && !std::isnan(value(t, "gen_" + loss + "_mean", row))) {
        out.push_back(loss);
        break;
      }
  return out;
}

Table cell_table(const ResultsFile& r) {
  const h5::Table& t = r.summary;
  Table table;
  std::vector<std::function<std::string(std::size_t)>> cells;
  auto add = [&](const std::string& header, std::function<std::string(std::size_t)> cell) {
    table.header.push_back(header);
    cells.push_back(std::move(cell));
  };
  auto add_column = [&](const std::string& name) {
    const Column* c = t.find(name);
    add(name, [c](std::size_t row) { return display(c, row); });
  };
  if (t.find("cell")) add_column("cell");
  for (const auto& axis : r.axes) add_column(option_key(axis));
  add_column("replicates");
  add_column("diverged");

  std::string loss;
  const bool one_training_loss = uniform(t, "training_loss", loss) && !loss.empty();
  add(one_training_loss ? "gen (" + loss + ")" : "gen (training loss)",
      [&t, one_training_loss](std::size_t row) { return gen_cell(t, "", row, !one_training_loss); });

  if (has_bounds(r)) {
    const bool one_bounded = uniform(t, "bounded_loss", loss) && !loss.empty();
    add(one_bounded ? "gen (" + loss + ")" : "gen (bounded loss)", [&t, one_bounded](std::size_t row) {
      const std::string bounded = text(t, "bounded_loss", row);
      return bounded.empty() ? std::string("-") : gen_cell(t, bounded, row, !one_bounded);
    });
    for (const auto& name : bound_names_of(t))
      add(name, [&t, name](std::size_t row) {
        const double v = value(t, "bound_" + name, row);
        std::string s = plus_minus(v, value(t, "bound_" + name + "_stderr", row));
        if (!std::isnan(v) && value(t, "valid_" + name, row) == 0) s += " (est.)";
        return s;
      });
  } else {
    for (const auto& other : other_losses(r))
      add("gen (" + other + ")", [&t, other](std::size_t row) {
        return text(t, "training_loss", row) == other ? std::string("-") : gen_cell(t, other, row, false);
      });
  }
  for (std::size_t row = 0; row < t.rows; ++row) {
    std::vector<std::string> line;
    for (const auto& cell : cells) line.push_back(cell(row));
    table.rows.push_back(line);
  }
  return table;
}

// The swept options other than n, as summary columns.
std::vector<std::string> group_columns(const ResultsFile& r) {
  std::vector<std::string> out;
  for (const auto& axis : r.axes)
    if (axis != "data.n") out.push_back(option_key(axis));
  return out;
}

Table slope_table(const ResultsFile& r, const std::vector<ReportSlope>& slopes) {
  Table table;
  table.header = group_columns(r);
  table.header.insert(table.header.end(), {"quantity", "slope vs n", "points"});
  for (const auto& s : slopes) {
    std::vector<std::string> line;
    for (const auto& column : group_columns(r)) line.push_back(display(r.summary.find(column), s.rows.front()));
    line.push_back(s.label);
    line.push_back(format("%+.3f ± %.3f", s.fit.slope, s.fit.slope_stderr));
    line.push_back(std::to_string(s.fit.points));
    table.rows.push_back(line);
  }
  return table;
}

bool n_swept(const ResultsFile& r) {
  for (const auto& axis : r.axes)
    if (axis == "data.n") return r.summary.find("n") != nullptr;
  return false;
}

// ---- renderers --------------------------------------------------------------------------

// Right-aligned columns, two spaces apart.
void print_aligned(std::ostream& out, const Table& table) {
  std::vector<std::vector<std::string>> rows = {table.header};
  rows.insert(rows.end(), table.rows.begin(), table.rows.end());
  sdegen::print_aligned(out, rows);
}

std::string markdown_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

void print_markdown(std::ostream& out, const Table& table) {
  auto print = [&](const std::vector<std::string>& row) {
    out << '|';
    for (const auto& cell : row) out << ' ' << markdown_escape(cell) << " |";
    out << '\n';
  };
  print(table.header);
  out << '|';
  for (std::size_t c = 0; c < table.header.size(); ++c) out << "---|";
  out << '\n';
  for (const auto& row : table.rows) print(row);
}

std::string provenance(const ResultsFile& r) {
  std::string version = r.sdegen_version.empty() ? "?" : r.sdegen_version;
  if (!r.git_commit.empty()) version += " (" + r.git_commit + ")";
  return "file: " + r.path + "  format_version: " + std::to_string(r.format_version) + "  sdegen_version: " + version +
         "  mpi_ranks: " + (r.mpi_ranks < 0 ? "?" : std::to_string(r.mpi_ranks));
}

const char* kUnits = "units: loss units; I in nats";
const char* kSlopesTitle = "Log-log slopes against n (weighted least squares; -0.5 is n^-1/2, -1 is n^-1)";

// The swept options of a row, as the first cells of a table row.
std::vector<std::string> row_start(const ResultsFile& r, std::size_t row) {
  std::vector<std::string> out = {display(r.summary.find("cell"), row)};
  for (const auto& axis : r.axes) out.push_back(display(r.summary.find(option_key(axis)), row));
  return out;
}

std::vector<std::string> header_start(const ResultsFile& r) {
  std::vector<std::string> out = {"cell"};
  for (const auto& axis : r.axes) out.push_back(option_key(axis));
  return out;
}

bool any_finite(const h5::Table& t, const std::string& column) {
  for (std::size_t row = 0; row < t.rows; ++row)
    if (std::isfinite(value(t, column, row))) return true;
  return false;
}

// One row per cell: replicates, training-loss risks and gen, gen of the bounded (or other) loss,
// and the paired sgd - sde z-score.
Table summary_table(const ResultsFile& r) {
  const h5::Table& t = r.summary;
  Table table;
  table.header = header_start(r);
  std::string loss;
  const bool one_training_loss = uniform(t, "training_loss", loss) && !loss.empty();
  const std::string training = one_training_loss ? " (" + loss + ")" : "";
  table.header.insert(table.header.end(), {"reps", "diverged", "train" + training, "test" + training, "gen" + training});
  std::vector<std::string> others;  // further gen columns: the bounded loss, or the other losses
  if (has_bounds(r)) {
    const bool one_bounded = uniform(t, "bounded_loss", loss) && !loss.empty();
    if (!(one_bounded && one_training_loss && loss == text(t, "training_loss", 0))) others.push_back("");
    if (!others.empty()) table.header.push_back(one_bounded ? "gen (" + loss + ")" : "gen (bounded loss)");
  } else {
    others = other_losses(r);
    for (const auto& other : others) table.header.push_back("gen (" + other + ")");
  }
  const bool z = any_finite(t, "sgd_sde_z");
  if (z) table.header.push_back("sgd-sde z");
  for (std::size_t row = 0; row < t.rows; ++row) {
    std::vector<std::string> line = row_start(r, row);
    line.push_back(display(t.find("replicates"), row));
    line.push_back(display(t.find("diverged"), row));
    line.push_back(plus_minus(value(t, "train_mean", row), value(t, "train_stderr", row)));
    line.push_back(plus_minus(value(t, "test_mean", row), value(t, "test_stderr", row)));
    line.push_back(gen_cell(t, "", row, !one_training_loss));
    for (const auto& other : others) {
      if (other.empty()) {
        const std::string bounded = text(t, "bounded_loss", row);
        line.push_back(bounded.empty() ? "-" : gen_cell(t, bounded, row, !uniform(t, "bounded_loss", loss)));
      } else {
        line.push_back(text(t, "training_loss", row) == other ? std::string("-") : gen_cell(t, other, row, false));
      }
    }
    if (z) {
      const double v = value(t, "sgd_sde_z", row);
      line.push_back(std::isnan(v) ? "-" : format("%+.2f", v));
    }
    table.rows.push_back(line);
  }
  return table;
}

// One row per (cell, defined bound): the bound, whether it is guaranteed, its value, the gen it
// bounds and their ratio, and the information term; then the replace-one estimate of gen.
Table bounds_table(const ResultsFile& r) {
  const h5::Table& t = r.summary;
  Table table;
  table.header = header_start(r);
  table.header.insert(table.header.end(), {"bound", "guaranteed", "value", "gen", "bound/gen", "I (nats)"});
  std::string loss;
  const bool name_loss = !uniform(t, "bounded_loss", loss);
  const std::vector<std::string> names = bound_names_of(t);
  for (std::size_t row = 0; row < t.rows; ++row) {
    const std::string bounded = text(t, "bounded_loss", row);
    const double gen = value(t, "gen_" + bounded + "_mean", row);
    const std::string gen_text = gen_cell(t, bounded, row, name_loss);
    for (const auto& name : names) {
      const double v = value(t, "bound_" + name, row);
      if (std::isnan(v)) continue;
      std::vector<std::string> line = row_start(r, row);
      std::string shown = plus_minus(v, value(t, "bound_" + name + "_stderr", row));
      if (value(t, name + "_at_edge", row) == 1) shown += " (edge)";
      line.insert(line.end(), {name, value(t, "valid_" + name, row) == 1 ? "yes" : "estimate", shown, gen_text,
                               format("%.3g", v / gen), format("%.4g", value(t, "mi_" + name, row))});
      table.rows.push_back(line);
    }
    const double replace = value(t, "gen_replace_one_mean", row);
    if (!std::isnan(replace)) {
      std::vector<std::string> line = row_start(r, row);
      line.insert(line.end(), {"gen_replace_one", "estimate of gen",
                               plus_minus(replace, value(t, "gen_replace_one_stderr", row)), gen_text,
                               format("%.3g", replace / gen), "-"});
      table.rows.push_back(line);
    }
  }
  return table;
}

// Undefined bounds, grouped by reason: "traj_iso_zero, traj_align undefined in cells 0, 2: why".
std::vector<std::string> undefined_notes(const ResultsFile& r) {
  std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::int64_t>>> by_reason;
  for (const auto& [cell, reasons] : r.bound_reasons)
    for (const auto& [bound, reason] : reasons) {
      if (reason.empty() || reason.rfind("not computed", 0) == 0) continue;
      auto& entry = by_reason[reason];
      if (std::find(entry.first.begin(), entry.first.end(), bound) == entry.first.end()) entry.first.push_back(bound);
      if (std::find(entry.second.begin(), entry.second.end(), cell) == entry.second.end()) entry.second.push_back(cell);
    }
  std::vector<std::string> notes;
  for (const auto& [reason, entry] : by_reason) {
    std::string bounds, cells;
    for (const auto& b : entry.first) bounds += (bounds.empty() ? "" : ", ") + b;
    for (auto c : entry.second) cells += (cells.empty() ? "" : ", ") + std::to_string(c);
    notes.push_back(bounds + ": undefined in cell" + (entry.second.size() > 1 ? "s " : " ") + cells + ": " + reason);
  }
  return notes;
}

// What the numbers need read beside them: diverged replicates, terminal states far from the
// stationary law the terminal bounds assume, the stationary check, bounds minimised on an edge.
std::vector<std::string> warnings(const ResultsFile& r) {
  const h5::Table& t = r.summary;
  std::vector<std::string> out;
  double diverged = 0;
  for (std::size_t row = 0; row < t.rows; ++row) diverged += std::max(0.0, value(t, "diverged", row));
  if (diverged > 0)
    out.push_back("warning: " + format("%.0f", diverged) +
                  " replicates diverged (non-finite loss); they are counted in 'diverged' and left out of every "
                  "average.");
  for (const auto& [cell, lines] : r.bound_warnings)
    for (const auto& line : lines) out.push_back("cell " + std::to_string(cell) + ": warning: " + line);
  for (std::size_t row = 0; row < t.rows; ++row) {
    const std::string cell = "cell " + display(t.find("cell"), row) + ": ";
    const double mahalanobis = value(t, "terminal_mahalanobis_mean", row);
    if (mahalanobis > 3)
      out.push_back(cell + "W_T is far from N(w*_S, Lambda_S) (Mahalanobis^2 / d = " + format("%.3g", mahalanobis) +
                    "; about 1 at stationarity): train longer before reading the terminal bounds");
    const double stationary = value(t, "stationary_relerr_mean", row);
    if (!std::isnan(stationary)) {
      std::string line = cell + "stationary covariance vs Lyapunov solution, ||E[cov - Lambda_S]|| / ||E Lambda_S|| = " +
                         plus_minus(stationary, value(t, "stationary_relerr_stderr", row));
      const double floor = value(t, "stationary_relerr_floor_mean", row);
      if (!std::isnan(floor)) line += " (Monte Carlo floor " + format("%.2g", floor) + ")";
      out.push_back(line);
    }
  }
  return out;
}

void print_table(std::ostream& out, const Table& table, bool markdown) {
  if (markdown) print_markdown(out, table);
  else print_aligned(out, table);
}

void write_text(std::ostream& out, const ResultsFile& r, bool markdown, bool wide) {
  const std::vector<ReportSlope> slopes = report_slopes(r);
  out << provenance(r) << "\n";
  if (markdown) out << "\n";
  out << kUnits << "\n\n";
  print_table(out, summary_table(r), markdown);
  out << (markdown ? "\n" : "")
      << "train/test/gen: mean ± standard error over replicates at the final step; -: undefined or not applicable.\n";
  if (any_finite(r.summary, "sgd_sde_z"))
    out << "sgd-sde z: gen (training loss) of sgd minus sde over its paired standard error (both train on the same "
           "training sets); |z| > 3 is a significant gap.\n";
  if (has_bounds(r)) {
    const Table bounds = bounds_table(r);
    out << "\nBounds on gen of the bounded loss (R-subgaussian; value ± jackknife standard error):\n";
    if (markdown) out << "\n";
    if (bounds.rows.empty()) out << "(no bound is defined)\n";
    else print_table(out, bounds, markdown);
    for (const auto& note : undefined_notes(r)) out << note << "\n";
    for (const auto& [cell, notes] : r.bound_notes)
      for (const auto& [bound, note] : notes) out << "cell " << cell << " " << bound << ": " << note << "\n";
  }
  const auto warning_lines = warnings(r);
  if (!warning_lines.empty()) out << "\n";
  for (const auto& line : warning_lines) out << line << "\n";
  if (wide) {
    out << "\nEvery cell with every bound (est.: an estimate, not a guaranteed bound):\n";
    if (markdown) out << "\n";
    print_table(out, cell_table(r), markdown);
  }
  out << "\n";
  if (!n_swept(r)) {
    out << "No log-log slopes: data.n is not among the swept options.\n";
    return;
  }
  if (slopes.empty()) {
    out << "No log-log slopes against n: no quantity has two distinct n with positive finite values.\n";
    return;
  }
  out << kSlopesTitle << ":\n";
  if (markdown) out << "\n";
  print_table(out, slope_table(r, slopes), markdown);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Machine value: integers exactly, reals in round-trip precision; `missing` for NaN.
std::string machine_value(const Column& c, std::size_t row, const std::string& missing) {
  if (c.kind == Kind::integer) return std::to_string(c.integers[row]);
  const double v = c.reals[row];
  return std::isnan(v) ? missing : exact(v);
}

void write_csv(std::ostream& out, const ResultsFile& r) {
  const h5::Table& t = r.summary;
  for (std::size_t c = 0; c < t.columns.size(); ++c) out << (c ? "," : "") << csv_field(t.columns[c].name);
  out << "\n";
  for (std::size_t row = 0; row < t.rows; ++row) {
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      const Column& column = t.columns[c];
      out << (c ? "," : "")
          << (column.kind == Kind::string ? csv_field(column.strings[row]) : machine_value(column, row, ""));
    }
    out << "\n";
  }
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string json_number(double v) { return std::isfinite(v) ? exact(v) : "null"; }

std::string json_value(const Column& c, std::size_t row) {
  if (c.kind == Kind::string) return json_string(c.strings[row]);
  if (c.kind == Kind::integer) return std::to_string(c.integers[row]);
  return json_number(c.reals[row]);
}

void write_json(std::ostream& out, const ResultsFile& r) {
  const h5::Table& t = r.summary;
  out << "{\n  \"file\": " << json_string(r.path) << ",\n  \"format\": " << json_string(r.format)
      << ",\n  \"format_version\": " << r.format_version << ",\n  \"sdegen_version\": " << json_string(r.sdegen_version)
      << ",\n  \"mpi_ranks\": " << (r.mpi_ranks < 0 ? std::string("null") : std::to_string(r.mpi_ranks))
      << ",\n  \"axes\": [";
  for (std::size_t k = 0; k < r.axes.size(); ++k) out << (k ? ", " : "") << json_string(r.axes[k]);
  out << "],\n  \"cells\": [";
  for (std::size_t row = 0; row < t.rows; ++row) {
    out << (row ? ",\n    {" : "\n    {");
    for (std::size_t c = 0; c < t.columns.size(); ++c)
      out << (c ? ", " : "") << json_string(t.columns[c].name) << ": " << json_value(t.columns[c], row);
    out << "}";
  }
  out << (t.rows ? "\n  ],\n" : "],\n") << "  \"slopes\": [";
  const std::vector<ReportSlope> slopes = report_slopes(r);
  const std::vector<std::string> groups = group_columns(r);
  for (std::size_t k = 0; k < slopes.size(); ++k) {
    const ReportSlope& s = slopes[k];
    out << (k ? ",\n    {" : "\n    {") << "\"group\": {";
    bool first = true;
    for (const auto& name : groups) {
      const Column* c = t.find(name);
      out << (first ? "" : ", ") << json_string(name) << ": " << (c ? json_value(*c, s.rows.front()) : "null");
      first = false;
    }
    out << "}, \"quantity\": " << json_string(s.quantity) << ", \"label\": " << json_string(s.label)
        << ", \"slope\": " << json_number(s.fit.slope) << ", \"slope_stderr\": " << json_number(s.fit.slope_stderr)
        << ", \"points\": " << s.fit.points << "}";
  }
  out << (slopes.empty() ? "]\n" : "\n  ]\n") << "}\n";
}

}  // namespace

std::vector<ReportSlope> report_slopes(const ResultsFile& r) {
  std::vector<ReportSlope> out;
  if (!n_swept(r)) return out;
  const h5::Table& t = r.summary;
  const std::vector<std::string> groups_by = group_columns(r);
  std::vector<std::vector<std::size_t>> groups;  // rows that differ only in n, in order of first row
  std::map<std::string, std::size_t> index;
  for (std::size_t row = 0; row < t.rows; ++row) {
    std::string key;
    for (const auto& column : groups_by) key += display(t.find(column), row) + '\x1f';
    const auto [it, added] = index.emplace(key, groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(row);
  }
  const Column& n = *t.find("n");
  const bool bounds = has_bounds(r);
  const std::vector<std::string> others = bounds ? std::vector<std::string>{} : other_losses(r);
  for (const auto& rows : groups) {
    auto fit = [&](const std::string& quantity, const std::string& label, const std::string& stderr_column) {
      std::vector<double> x, y, se;
      for (std::size_t row : rows) {
        x.push_back(number(n, row));
        y.push_back(value(t, quantity, row));
        se.push_back(value(t, stderr_column, row));
      }
      const SlopeFit f = fit_loglog_slope(x, y, se);
      if (f.ok) out.push_back({rows, quantity, label, f});
    };
    // gen of the bounded loss: with bounds the column bounded_loss names it (one problem per
    // group, so one loss); without, every evaluation loss other than the training loss.
    std::vector<std::string> gen_losses;
    if (bounds) {
      const std::string loss = text(t, "bounded_loss", rows.front());
      if (!loss.empty()) gen_losses.push_back(loss);
    } else {
      for (const auto& loss : others)
        if (text(t, "training_loss", rows.front()) != loss) gen_losses.push_back(loss);
    }
    for (const auto& loss : gen_losses) fit("gen_" + loss + "_mean", "gen (" + loss + ")", "gen_" + loss + "_stderr");
    if (bounds)
      for (const auto& name : bound_names_of(t)) fit("bound_" + name, name, "bound_" + name + "_stderr");
  }
  return out;
}

void write_report(std::ostream& out, const ResultsFile& results, ReportFormat format, bool wide) {
  switch (format) {
    case ReportFormat::text: write_text(out, results, false, wide); break;
    case ReportFormat::markdown: write_text(out, results, true, wide); break;
    case ReportFormat::csv: write_csv(out, results); break;
    case ReportFormat::json: write_json(out, results); break;
  }
}

}  // namespace sdegen
