// Every problem sdegen knows, with what it offers (closed-form population, Hessian, ...): the only
// place that maps problem names to classes. A new problem is one file plus one entry here.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sdegen/config/grid.hpp"
#include "sdegen/problems/problem.hpp"

namespace sdegen {

struct ProblemCapabilities {
  bool closed_form_population = false;  // L_mu, grad L_mu, Sigma_mu and H_mu in closed form
  bool finite_population = false;       // mu is uniform over a table: population averages are exact
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
  std::function<std::unique_ptr<Problem>(const CellParams&)> make;
};

const std::vector<ProblemEntry>& problem_registry();
const ProblemEntry& find_problem(const std::string& name);  // throws std::logic_error if unknown
std::vector<std::string> problem_names();

}  // namespace sdegen
