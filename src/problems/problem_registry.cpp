// The problem table. Options were validated against problem_names() by the option table, so an
// unknown name reaching find_problem is a programming error.
#include "sdegen/problems/problem_registry.hpp"

#include <stdexcept>

#include "sdegen/problems/gaussian_mean.hpp"
#include "sdegen/problems/linreg.hpp"
#include "sdegen/problems/logistic.hpp"

namespace sdegen {

namespace {

// The loss divides squared distances (up to the divergence threshold 1e100) by noise^2.
std::string positive_noise(const CellParams& cell) {
  return cell.noise >= 1e-100 ? "" : "option 'problem.noise' must be >= 1e-100 for problem '" + cell.problem + "'";
}

}  // namespace

const std::vector<ProblemEntry>& problem_registry() {
  static const std::vector<ProblemEntry> table = {
      {"gaussian-mean", "mean estimation, z ~ N(m, s^2 I), l = ||w - z||^2",
       {true, false, true, true},
       positive_noise,
       [](const CellParams& c) { return std::make_unique<GaussianMean>(c.dim, c.noise, c.signal, c.clip); }},
      {"linreg", "linear regression with Gaussian design, l = (w^T x - y)^2 / 2",
       {true, false, true, true},
       [](const CellParams&) { return std::string(); },
       [](const CellParams& c) {
         return std::make_unique<LinearRegression>(c.dim, c.noise, c.signal, c.spectrum_decay, c.clip);
       }},
      {"logistic", "logistic regression on a Gaussian mixture, logistic and 0-1 losses",
       {true, false, true, true},
       [](const CellParams& c) {
         if (!positive_noise(c).empty()) return positive_noise(c);
         return c.signal > 0 ? std::string() : std::string("option 'problem.signal' must be > 0 for problem 'logistic'");
       },
       [](const CellParams& c) { return std::make_unique<Logistic>(c.dim, c.noise, c.signal); }},
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

}  // namespace sdegen
