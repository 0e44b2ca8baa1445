// The dynamics table: names, capabilities per cell, cost model and constructors. Options were
// validated against dynamics_names(), so an unknown name reaching find_dynamics is a bug.
#include "sdegen/dynamics/dynamics_registry.hpp"

#include <stdexcept>

#include "sdegen/dynamics/gd.hpp"
#include "sdegen/dynamics/sde.hpp"
#include "sdegen/dynamics/sgd.hpp"

namespace sdegen {

namespace {

std::vector<DynamicsEntry>& table() {
  static std::vector<DynamicsEntry> entries = {
      {"sgd", "minibatch SGD, b distinct examples per step",
       [](const CellParams&) {
         DynamicsCapabilities c;
         c.minibatch_noise = c.gradient_steps = c.stochastic = true;
         c.exchangeable = true;  // fresh uniform batches, or a fresh permutation every epoch
         return c;
       },
       [](const CellParams& c) { return 4.0 * c.batch * c.params; },
       [](const Problem& p, const Dataset& d, const CellParams& c, TrainingStreams s) -> std::unique_ptr<Dynamics> {
         return std::make_unique<Sgd>(p, d, c, s);
       },
       ""},
      {"sde", "the SDE surrogate of SGD: full gradient plus exact Gaussian minibatch noise",
       [](const CellParams& cell) {
         DynamicsCapabilities c;
         c.gaussian_step = cell.substeps == 1;  // k substeps: the step is no longer one Gaussian
         c.minibatch_noise = c.gradient_steps = c.stochastic = true;
         c.exchangeable = true;  // full gradient and noise covariance: sums over the examples
         c.substeps = cell.substeps;
         return c;
       },
       [](const CellParams& c) { return c.substeps * (6.0 * c.n * c.params + 40.0 * c.n); },
       [](const Problem& p, const Dataset& d, const CellParams& c, TrainingStreams s) -> std::unique_ptr<Dynamics> {
         return std::make_unique<Sde>(p, d, c, s);
       },
       "sgd"},
      {"gd", "full-batch gradient descent",
       [](const CellParams&) {
         DynamicsCapabilities c;
         c.gradient_steps = true;
         c.exchangeable = true;
         return c;
       },
       [](const CellParams& c) { return 4.0 * c.n * c.params; },
       [](const Problem& p, const Dataset& d, const CellParams& c, TrainingStreams s) -> std::unique_ptr<Dynamics> {
         return std::make_unique<Gd>(p, d, c, s);
       },
       ""},
  };
  return entries;
}

}  // namespace

const std::vector<DynamicsEntry>& dynamics_registry() { return table(); }

void register_dynamics(DynamicsEntry entry) {
  for (const auto& existing : table())
    if (existing.name == entry.name) throw std::logic_error("dynamics '" + entry.name + "' registered twice");
  table().push_back(std::move(entry));
}

const DynamicsEntry& find_dynamics(const std::string& name) {
  for (const auto& entry : dynamics_registry())
    if (entry.name == name) return entry;
  throw std::logic_error("unknown algorithm '" + name + "'");
}

std::vector<std::string> dynamics_names() {
  std::vector<std::string> names;
  for (const auto& entry : dynamics_registry()) names.push_back(entry.name);
  return names;
}

std::unique_ptr<Dynamics> make_dynamics(const Problem& problem, const Dataset& data, const CellParams& cell,
                                        TrainingStreams streams) {
  return find_dynamics(cell.algorithm).make(problem, data, cell, streams);
}

DynamicsCapabilities dynamics_capabilities(const CellParams& cell) {
  return find_dynamics(cell.algorithm).capabilities(cell);
}

}  // namespace sdegen
