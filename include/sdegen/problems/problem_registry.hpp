// Every problem sdegen knows, with what it offers (closed-form population, Hessian, a version on
// a table): the only place that maps problem names to classes. A new problem is one file plus one
// entry here.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sdegen/config/grid.hpp"
#include "sdegen/data/table.hpp"
#include "sdegen/problems/problem.hpp"

namespace sdegen {

struct ProblemCapabilities {
  bool closed_form_population = false;  // on its synthetic data: L_mu, grad L_mu, Sigma_mu and H_mu in closed form
  bool finite_population = false;       // also runs on a table (data.source fashion-mnist or table), mu uniform over its rows
  bool hessian = false;                 // an exact empirical Hessian (terminal-state bounds)
  // sample(stream, m) returns m i.i.d. draws from mu: fresh draws are held-out points independent
  // of the training set, as the supersample bounds need.
  bool iid_sample = false;
};

struct ProblemEntry {
  std::string name, description;
  ProblemCapabilities capabilities;
  // The cell's options checked together for this problem: "" when fine, else the message.
  std::function<std::string(const CellParams&)> check;
  // On its own (synthetic) data.
  std::function<std::unique_ptr<Problem>(const CellParams&)> make;
  // On a table, when capabilities.finite_population: how the model reads a table's labels (real
  // targets or class codes), whether the loaded table suits the cell ("" or the message), and the
  // model on it (the table's columns are the inputs).
  std::function<LabelKind(const CellParams&)> table_labels;
  std::function<std::string(const CellParams&, const Table&)> check_table;
  std::function<std::unique_ptr<Problem>(const CellParams&, const Table&)> make_on_table;
};

const std::vector<ProblemEntry>& problem_registry();
const ProblemEntry& find_problem(const std::string& name);  // throws std::logic_error if unknown
std::vector<std::string> problem_names();

// The cell's problem: on its synthetic data, or (table non-null) on the table.
std::unique_ptr<Problem> make_problem(const CellParams& cell, const Table* table);

}  // namespace sdegen
