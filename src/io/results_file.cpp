// Layout of a results file, format_version 1 (documented in docs/results-format.md):
//   /            format, format_version, sdegen_version, config, mpi_ranks, created, axes
//   /cells/cell_NNNN/   cell options as attributes; step (dimension scale); one group per quantity
//                       with count, mean, stderr, m2 per logged step
//   /summary            one row per cell at the final step (pandas.DataFrame(f["summary"][()]))
#include "sdegen/io/results_file.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <set>

#include "sdegen/config/option_table.hpp"
#include "sdegen/io/h5_write.hpp"
#include "sdegen/version.hpp"

namespace sdegen {

namespace {

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return buf;
}

std::string key_of(const std::string& option) {
  const std::string key = option.substr(option.find('.') + 1);
  return key == "name" ? "problem" : key;
}

// Writes the cell's options as typed attributes: problem, n, lr, ...
void write_cell_attributes(hid_t group, const CellParams& cell) {
  for (const auto& [name, value] : cell.settings) {
    const OptionSpec& spec = find_option(name);
    if (spec.kind == OptionKind::integer)
      h5::write_attribute(group, key_of(name), static_cast<std::int64_t>(parse_integer(name, value)));
    else if (spec.kind == OptionKind::real)
      h5::write_attribute(group, key_of(name), parse_real(name, value));
    else
      h5::write_attribute(group, key_of(name), value);
  }
}

void write_moments(hid_t parent, const std::string& name, const QuantitySpec& spec, std::int64_t count,
                   const std::vector<double>& mean, const std::vector<double>& m2,
                   const std::vector<double>& stderr_, hid_t step_scale) {
  h5::Handle group = h5::create_group(parent, name);
  h5::write_attribute(group.id(), "count", count);
  h5::write_attribute(group.id(), "units", spec.unit);
  h5::write_attribute(group.id(), "description", spec.description);
  struct Part {
    const char* name;
    const std::vector<double>& values;
    const char* description;
  };
  for (const Part& part : {Part{"mean", mean, "mean over finite replicates"},
                           Part{"stderr", stderr_, "standard error of the mean, sqrt(m2 / (count - 1) / count)"},
                           Part{"m2", m2, "raw accumulator: sum of squared deviations from the mean"}}) {
    h5::Handle set = h5::write_dataset(group.id(), part.name, part.values);
    h5::write_attribute(set.id(), "units", std::string(part.name) == "m2" ? spec.unit + "^2" : spec.unit);
    h5::write_attribute(set.id(), "description", std::string(part.description));
    h5::attach_scale(set.id(), step_scale);
  }
}

void write_cell(hid_t cells, const CellParams& cell, const Problem& problem, const QuantityLayout& layout,
                const CellStatistics& stats) {
  char name[32];
  std::snprintf(name, sizeof name, "cell_%04d", cell.index);
  h5::Handle group = h5::create_group(cells, name);
  h5::write_attribute(group.id(), "cell", static_cast<std::int64_t>(cell.index));
  write_cell_attributes(group.id(), cell);
  h5::write_attribute(group.id(), "replicates", stats.values.count());
  h5::write_attribute(group.id(), "diverged", stats.diverged);
  h5::write_attribute(group.id(), "kappa", static_cast<double>(cell.n - cell.batch) / (cell.batch * (cell.n - 1.0)));
  std::vector<std::string> loss_names, loss_descriptions;
  std::vector<double> loss_r;
  for (const auto& loss : problem.losses()) {
    loss_names.push_back(loss.name);
    loss_descriptions.push_back(loss.description);
    loss_r.push_back(loss.subgaussian_r);
  }
  h5::write_attribute(group.id(), "losses", loss_names);
  h5::write_attribute(group.id(), "loss_descriptions", loss_descriptions);
  h5::write_attribute(group.id(), "loss_subgaussian_r", loss_r);
  h5::write_attribute(group.id(), "training_loss", loss_names.front());

  const std::vector<std::int64_t> steps(layout.steps.begin(), layout.steps.end());
  h5::Handle step = h5::write_dataset(group.id(), "step", steps);
  h5::write_attribute(step.id(), "units", std::string("steps"));
  h5::write_attribute(step.id(), "description", std::string("training step t of each logged row"));
  h5::make_scale(step.id(), "step");

  const std::size_t rows = layout.steps.size();
  const Eigen::VectorXd se = stats.values.standard_error();
  for (int c = 0; c < layout.width(); ++c) {
    std::vector<double> mean(rows), m2(rows), stderr_(rows);
    for (std::size_t k = 0; k < rows; ++k) {
      const int i = layout.flat(static_cast<int>(k), c);
      const bool any = stats.values.count() > 0;
      mean[k] = any ? stats.values.mean()[i] : NAN;
      m2[k] = any ? stats.values.m2()[i] : NAN;
      stderr_[k] = se[i];
    }
    write_moments(group.id(), layout.columns[c].name, layout.columns[c], stats.values.count(), mean, m2, stderr_,
                  step.id());
  }
  const QuantitySpec logdet_spec{"noise_logdet", "log(gradient^2)", "log det C(W_t), C = kappa Sigma_S at W_t"};
  if (layout.logdet_defined && stats.logdet.count() > 0) {
    const Eigen::VectorXd lse = stats.logdet.standard_error();
    std::vector<double> mean(stats.logdet.mean().data(), stats.logdet.mean().data() + rows);
    std::vector<double> m2(stats.logdet.m2().data(), stats.logdet.m2().data() + rows);
    std::vector<double> stderr_(lse.data(), lse.data() + rows);
    write_moments(group.id(), "noise_logdet", logdet_spec, stats.logdet.count(), mean, m2, stderr_, step.id());
    h5::Handle g(H5Gopen2(group.id(), "noise_logdet", H5P_DEFAULT), H5Gclose, "open noise_logdet");
    h5::write_attribute(g.id(), "defined", std::int64_t{1});
    h5::write_attribute(g.id(), "singular_replicates", stats.logdet_failed);
  } else {
    h5::Handle g = h5::create_group(group.id(), "noise_logdet");
    h5::write_attribute(g.id(), "defined", std::int64_t{0});
    h5::write_attribute(g.id(), "reason", layout.logdet_defined ? std::string("C numerically singular in every replicate")
                                                                : layout.logdet_reason);
    h5::write_attribute(g.id(), "description", logdet_spec.description);
  }
}

void write_summary(hid_t file, const ExperimentSetup& setup, const std::vector<CellSummary>& summaries) {
  std::vector<std::string> losses;  // union over cells, in first-seen order
  std::set<std::string> seen;
  for (const auto& s : summaries)
    for (const auto& l : s.losses)
      if (seen.insert(l.loss).second) losses.push_back(l.loss);

  h5::TableBuilder table;
  table.add_integer("cell");
  for (const auto& spec : run_options()) {
    if (!spec.sweepable) continue;
    const std::string key = key_of(spec.name);
    if (spec.kind == OptionKind::integer) table.add_integer(key);
    else if (spec.kind == OptionKind::real) table.add_real(key);
    else table.add_string(key, 32);
  }
  table.add_integer("replicates");
  table.add_integer("diverged");
  table.add_string("training_loss", 32);
  for (const char* q : {"gen", "train", "test"}) {
    table.add_real(std::string(q) + "_mean");
    table.add_real(std::string(q) + "_stderr");
  }
  for (const auto& loss : losses)
    for (const char* q : {"gen", "train", "test"}) {
      table.add_real(std::string(q) + "_" + loss + "_mean");
      table.add_real(std::string(q) + "_" + loss + "_stderr");
    }
  const auto z = sgd_sde_z_scores(setup.grid, summaries);
  table.add_real("sgd_sde_z");

  for (const auto& cell : setup.grid.cells) {
    const CellSummary& s = summaries[cell.index];
    table.new_row();
    table.set("cell", static_cast<std::int64_t>(cell.index));
    for (const auto& [name, value] : cell.settings) {
      const OptionSpec& spec = find_option(name);
      if (spec.kind == OptionKind::integer) table.set(key_of(name), static_cast<std::int64_t>(parse_integer(name, value)));
      else if (spec.kind == OptionKind::real) table.set(key_of(name), parse_real(name, value));
      else table.set(key_of(name), value);
    }
    table.set("replicates", s.replicates);
    table.set("diverged", s.diverged);
    table.set("training_loss", s.losses[0].loss);
    auto put = [&](const std::string& prefix, const LossSummary& l) {
      table.set("gen" + prefix + "_mean", l.gen.mean);
      table.set("gen" + prefix + "_stderr", l.gen.stderr_);
      table.set("train" + prefix + "_mean", l.train.mean);
      table.set("train" + prefix + "_stderr", l.train.stderr_);
      table.set("test" + prefix + "_mean", l.test.mean);
      table.set("test" + prefix + "_stderr", l.test.stderr_);
    };
    put("", s.losses[0]);
    for (const auto& l : s.losses) put("_" + l.loss, l);
    table.set("sgd_sde_z", z[cell.index]);
  }
  h5::Handle set = table.write(file, "summary");
  h5::write_attribute(set.id(), "description",
                      std::string("one row per cell at the final step; gen/train/test without a loss name are "
                                  "of the training loss; NaN where a loss does not apply"));
  h5::write_attribute(set.id(), "losses", losses);
}

}  // namespace

void write_results_file(const std::string& path, const RunConfig& config, const ExperimentSetup& setup,
                        const std::vector<CellStatistics>& stats, const std::vector<CellSummary>& summaries,
                        int mpi_ranks) {
  h5::Handle file = h5::create_file(path);
  h5::write_attribute(file.id(), "format", std::string(kResultsFormat));
  h5::write_attribute(file.id(), "format_version", kResultsFormatVersion);
  h5::write_attribute(file.id(), "sdegen_version", std::string(kVersion));
  h5::write_attribute(file.id(), "config", config.effective_text());
  h5::write_attribute(file.id(), "mpi_ranks", static_cast<std::int64_t>(mpi_ranks));
  h5::write_attribute(file.id(), "created", utc_now());
  h5::write_attribute(file.id(), "axes", setup.grid.axes);
  h5::write_attribute(file.id(), "cell_count", static_cast<std::int64_t>(setup.grid.cells.size()));
  h5::Handle cells = h5::create_group(file.id(), "cells");
  for (const auto& cell : setup.grid.cells)
    write_cell(cells.id(), cell, *setup.problems[cell.index], setup.layouts[cell.index], stats[cell.index]);
  write_summary(file.id(), setup, summaries);
}

}  // namespace sdegen
