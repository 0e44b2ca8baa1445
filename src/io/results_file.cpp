// Layout of a results file (kResultsFormatVersion, documented in docs/results-format.md):
//   /            format, format_version, sdegen_version, config, mpi_ranks, created, axes
//   /cells/cell_NNNN/   cell options as attributes; step (dimension scale); one group per quantity
//                       with count, mean, stderr, m2 per logged step; bounds/ when asked for
//   /summary            one row per cell at the final step (pandas.DataFrame(f["summary"][()]))
#include "sdegen/io/results_file.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <set>
#include <variant>

#include "sdegen/build_info.hpp"
#include "sdegen/config/option_table.hpp"
#include "sdegen/io/checksum.hpp"
#include "sdegen/io/h5_memory_file.hpp"
#include "sdegen/io/h5_write.hpp"
#include "sdegen/io/table_records.hpp"
#include "sdegen/version.hpp"

namespace sdegen {

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return buf;
}

std::string quoted_command_line(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    const bool plain = !w.empty() && w.find_first_of(" \t\n'\"\\$`*?[]{}()<>|&;#~") == std::string::npos;
    std::string word = w;
    if (!plain) {
      word = "'";
      for (char c : w) word += c == '\'' ? std::string("'\\''") : std::string(1, c);
      word += "'";
    }
    out += (out.empty() ? "" : " ") + word;
  }
  return out;
}

namespace {

// Writes the cell's options as typed attributes: problem, n, lr, ...
void write_cell_attributes(hid_t group, const CellParams& cell) {
  for (const auto& [name, value] : cell.settings) {
    const OptionSpec& spec = find_option(name);
    if (spec.kind == OptionKind::integer)
      h5::write_attribute(group, option_key(name), static_cast<std::int64_t>(parse_integer(name, value)));
    else if (spec.kind == OptionKind::real)
      h5::write_attribute(group, option_key(name), parse_real(name, value));
    else
      h5::write_attribute(group, option_key(name), value);
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

void write_bounds(hid_t cell_group, const CellSetup& setup, const CellStatistics& stats, const CellBounds& bounds,
                  hid_t step_scale);

// The exact accumulator state of the cell and of each jackknife group, packed as CellStatistics
// packs it: what `sdegen merge` reads back to rebuild the cell bit for bit.
void write_state(hid_t group, const CellResult& result) {
  std::vector<double> packed;
  result.total.pack(packed);
  h5::Handle set = h5::write_dataset(group, "state", packed);
  h5::write_attribute(set.id(), "description",
                      std::string("raw accumulator state of the cell (counts, then count/mean/m2 of each accumulator)"));
  h5::write_attribute(set.id(), "crc32", static_cast<std::int64_t>(crc32_doubles(packed)));
  // One group's row at a time: the groups together can be the largest part of the file.
  h5::Handle grouped =
      h5::create_matrix(group, "group_states", result.groups.size(), result.groups.empty() ? 0 : packed.size());
  std::uint32_t crc = 0;  // of the rows in order, as if concatenated
  for (std::size_t g = 0; g < result.groups.size(); ++g) {
    std::vector<double> row;
    result.groups[g].pack(row);
    h5::write_row(grouped.id(), g, row);
    crc = crc32_doubles(row, crc);
  }
  h5::write_attribute(grouped.id(), "description",
                      std::string("the same per jackknife group (replicate blocks with block index mod G = row)"));
  h5::write_attribute(grouped.id(), "crc32", static_cast<std::int64_t>(crc));
}

void write_cell(hid_t cells, const CellSetup& setup, const CellResult& result, const CellSummary& summary, bool bounds) {
  const CellParams& cell = setup.cell;
  const Problem& problem = *setup.problem;
  const QuantityLayout& layout = setup.layout;
  const CellStatistics& stats = result.total;
  char name[32];
  std::snprintf(name, sizeof name, "cell_%04d", cell.index);
  h5::Handle group = h5::create_group(cells, name);
  h5::write_attribute(group.id(), "cell", static_cast<std::int64_t>(cell.index));
  write_cell_attributes(group.id(), cell);
  h5::write_attribute(group.id(), "replicates", stats.values.count());
  h5::write_attribute(group.id(), "diverged", stats.diverged);
  h5::write_attribute(group.id(), "kappa", static_cast<double>(cell.n - cell.batch) / (cell.batch * (cell.n - 1.0)));
  // How the population risk, gradient and covariance were obtained (and from how many examples).
  h5::write_attribute(group.id(), "population_source", population_source_name(setup.population));
  h5::write_attribute(group.id(), "population_sample_size",
                      static_cast<std::int64_t>(setup.population == PopulationSource::held_out ? cell.holdout
                                                : setup.finite ? setup.finite->sample_size()
                                                               : 0));
  if (setup.table >= 0) h5::write_attribute(group.id(), "table", table_record_name(setup.table));
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
  if (bounds) write_bounds(group.id(), setup, stats, summary.bounds, step.id());
  write_state(group.id(), result);
}

void write_accumulator(hid_t parent, const std::string& name, const MomentAccumulator& acc, const std::string& what) {
  h5::Handle group = h5::create_group(parent, name);
  h5::write_attribute(group.id(), "count", acc.count());
  h5::write_attribute(group.id(), "description", what);
  h5::write_dataset(group.id(), "mean", std::vector<double>(acc.mean().data(), acc.mean().data() + acc.size()));
  h5::write_dataset(group.id(), "m2", std::vector<double>(acc.m2().data(), acc.m2().data() + acc.size()));
}

void write_comoments(hid_t parent, const std::string& name, const CoMomentAccumulator& acc, const std::string& what) {
  h5::Handle group = h5::create_group(parent, name);
  h5::write_attribute(group.id(), "count", acc.count());
  h5::write_attribute(group.id(), "description", what);
  h5::write_dataset(group.id(), "mean", std::vector<double>(acc.mean().data(), acc.mean().data() + acc.size()));
  const auto size = static_cast<hsize_t>(acc.size());  // symmetric: row- and column-major agree
  h5::write_matrix(group.id(), "comoment",
                   std::vector<double>(acc.comoment().data(), acc.comoment().data() + acc.comoment().size()), size, size);
}

void write_named_attribute(hid_t object, const NamedAttribute& attribute) {
  std::visit([&](const auto& value) { h5::write_attribute(object, attribute.name, value); }, attribute.value);
}

// A bound against its free parameter: group `curve` with the parameter's values (a dimension
// scale named after it), the bound and its error bar at each, and the named components.
void write_curve(hid_t bound_group, const BoundCurve& curve) {
  h5::Handle group = h5::create_group(bound_group, "curve");
  h5::write_attribute(group.id(), "parameter", curve.parameter);
  h5::write_attribute(group.id(), "description", curve.description);
  h5::Handle at = h5::write_dataset(group.id(), curve.parameter, curve.at);
  h5::make_scale(at.id(), curve.parameter);
  auto column = [&](const std::string& name, const std::vector<double>& values) {
    h5::Handle set = h5::write_dataset(group.id(), name, values);
    h5::attach_scale(set.id(), at.id());
  };
  column("value", curve.value);
  column("stderr", curve.stderr_);
  for (const auto& [name, values] : curve.parts) column(name, values);
}

void write_bounds(hid_t cell_group, const CellSetup& setup, const CellStatistics& stats, const CellBounds& bounds,
                  hid_t step_scale) {
  h5::Handle group = h5::create_group(cell_group, "bounds");
  h5::write_attribute(group.id(), "loss", bounds.loss);
  h5::write_attribute(group.id(), "R", bounds.r);
  h5::write_attribute(group.id(), "jackknife_groups", static_cast<std::int64_t>(bounds.jackknife_groups));
  h5::write_attribute(group.id(), "stderr_method",
                      std::string("delete-a-group jackknife over groups of replicate blocks (block index mod G)"));
  h5::write_attribute(group.id(), "population_covariance_source", population_source_name(setup.population));
  std::vector<std::string> warnings;
  for (const auto& family : bounds.estimators) {
    for (const auto& attribute : family.attributes) write_named_attribute(group.id(), attribute);
    warnings.insert(warnings.end(), family.warnings.begin(), family.warnings.end());
    for (const auto& b : family.bounds) {
      h5::Handle g = h5::create_group(group.id(), b.name);
      h5::write_attribute(g.id(), "family", family.family);
      h5::write_attribute(g.id(), "defined", static_cast<std::int64_t>(b.defined));
      h5::write_attribute(g.id(), "reason", b.reason);
      h5::write_attribute(g.id(), "valid", static_cast<std::int64_t>(b.valid));
      h5::write_attribute(g.id(), "value", b.value);
      h5::write_attribute(g.id(), "stderr", b.stderr_);
      h5::write_attribute(g.id(), "mi_nats", b.mi);
      for (const auto& [name, value] : b.extras) h5::write_attribute(g.id(), name, value);
      if (!b.note.empty()) h5::write_attribute(g.id(), "note", b.note);
      if (!b.running.empty()) {
        h5::Handle set = h5::write_dataset(g.id(), "running", b.running);
        h5::write_attribute(set.id(), "description", std::string("the bound from the steps up to each logged step"));
        h5::attach_scale(set.id(), step_scale);
      }
      if (!b.curve.parameter.empty()) write_curve(g.id(), b.curve);
    }
  }
  h5::write_attribute(group.id(), "warning_count", static_cast<std::int64_t>(warnings.size()));
  if (!warnings.empty()) h5::write_attribute(group.id(), "warnings", warnings);
  h5::Handle raw = h5::create_group(group.id(), "raw");
  h5::write_attribute(raw.id(), "description",
                      std::string("accumulator state of the bound ingredients (layout: docs/results-format.md)"));
  for (std::size_t e = 0; e < setup.estimators.size(); ++e) {
    const BoundEstimator& estimator = *setup.estimators[e];
    const EstimatorStatistics& s = stats.estimators[e];
    if (s.moments.size() > 0)
      write_accumulator(raw.id(), estimator.family(), s.moments, estimator.record_description());
    if (s.comoments.size() > 0)
      write_comoments(raw.id(), estimator.comoment_name(), s.comoments, estimator.comoment_description());
    if (!s.counts.empty()) {
      h5::Handle counts = h5::write_dataset(raw.id(), estimator.family() + "_counts", s.counts);
      h5::write_attribute(counts.id(), "description", estimator.family() + " integer counts (layout: docs/results-format.md)");
    }
  }
}

// A string attribute when every row has the same value, else one value per row.
void write_per_row_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values) {
  bool same = true;
  for (const auto& v : values) same = same && v == values.front();
  if (same && !values.empty()) h5::write_attribute(object, name, values.front());
  else h5::write_attribute(object, name, values);
}

void write_summary(hid_t file, const ExperimentSetup& setup, const std::vector<CellResult>& results,
                   const std::vector<CellSummary>& summaries) {
  std::vector<std::string> losses;  // union over cells, in first-seen order
  std::set<std::string> seen;
  for (int c : setup.active)
    for (const auto& l : summaries[c].losses)
      if (seen.insert(l.loss).second) losses.push_back(l.loss);

  h5::TableBuilder table;
  table.add_integer("cell");
  for (const auto& spec : run_options()) {
    if (!spec.sweepable) continue;
    const std::string key = option_key(spec.name);
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
  for (const auto& loss : losses) {
    table.add_real("surrogate_gap_" + loss);
    table.add_real("surrogate_gap_" + loss + "_stderr");
    table.add_real("surrogate_gap_" + loss + "_stderr_unpaired");
  }
  const bool with_bounds = setup.bounds.any();
  const EstimatorSet& estimators = setup.cells.front().estimators;  // the same families in every cell
  std::vector<std::string> bound_names;
  if (with_bounds) {
    table.add_string("bounded_loss", 32);
    table.add_real("R");
    for (const auto& e : estimators)
      for (const auto& name : e->bound_names()) {
        bound_names.push_back(name);
        table.add_real("bound_" + name);
        table.add_real("bound_" + name + "_stderr");
        table.add_real("mi_" + name);
        table.add_integer("valid_" + name);
      }
    for (const auto& e : estimators)
      for (const auto& [bound, extra] : e->extra_names()) table.add_real(bound + "_" + extra);
    for (const auto& e : estimators)
      for (const auto& q : e->reference_names()) {
        table.add_real(q + "_mean");
        table.add_real(q + "_stderr");
      }
    for (const auto& e : estimators) table.add_integer(e->family() + "_failed");
  }

  for (int c : setup.active) {
    const CellParams& cell = setup.grid.cells[c];
    const CellSummary& s = summaries[cell.index];
    table.new_row();
    table.set("cell", static_cast<std::int64_t>(cell.index));
    for (const auto& [name, value] : cell.settings) {
      const OptionSpec& spec = find_option(name);
      if (spec.kind == OptionKind::integer) table.set(option_key(name), static_cast<std::int64_t>(parse_integer(name, value)));
      else if (spec.kind == OptionKind::real) table.set(option_key(name), parse_real(name, value));
      else table.set(option_key(name), value);
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
    if (s.surrogate.defined)
      for (std::size_t l = 0; l < s.losses.size(); ++l) {
        const std::string name = "surrogate_gap_" + s.losses[l].loss;
        table.set(name, s.surrogate.gap[l].mean);
        table.set(name + "_stderr", s.surrogate.gap[l].stderr_);
        table.set(name + "_stderr_unpaired", s.surrogate.unpaired_stderr[l]);
      }
    if (!with_bounds) continue;
    const CellBounds& b = s.bounds;
    table.set("bounded_loss", b.loss);
    table.set("R", b.r);
    for (const auto& family : b.estimators) {
      for (const auto& v : family.bounds) {
        table.set("bound_" + v.name, v.value);
        table.set("bound_" + v.name + "_stderr", v.stderr_);
        table.set("mi_" + v.name, v.mi);
        table.set("valid_" + v.name, static_cast<std::int64_t>(v.valid));
        if (v.defined)
          for (const auto& [extra, value] : v.extras) table.set(v.name + "_" + extra, value);
      }
      for (const auto& r : family.references) {
        if (!r.defined) continue;
        table.set(r.name + "_mean", r.mean);
        table.set(r.name + "_stderr", r.stderr_);
      }
    }
    for (std::size_t e = 0; e < estimators.size(); ++e)
      table.set(estimators[e]->family() + "_failed", results[cell.index].total.estimators[e].failed());
  }
  h5::Handle set = table.write(file, "summary");
  h5::write_attribute(set.id(), "description",
                      std::string("one row per cell at the final step; gen/train/test without a loss name are "
                                  "of the training loss; NaN where a loss does not apply; surrogate_gap_<loss>: gen "
                                  "of a dynamics minus gen of its surrogate (sgd - sde) on the same training sets, "
                                  "with its paired (jackknife) and unpaired standard errors"));
  h5::write_attribute(set.id(), "losses", losses);
  if (with_bounds) {
    std::vector<std::string> loss_per_row;
    std::vector<double> r;
    for (int c : setup.active) {
      loss_per_row.push_back(summaries[c].bounds.loss);
      r.push_back(summaries[c].bounds.r);
    }
    for (const auto& name : bound_names) {
      // names the gen_<loss>_mean column each bound applies to; R is also the column R
      write_per_row_attribute(set.id(), "loss_" + name, loss_per_row);
      bool same = true;
      for (double v : r) same = same && v == r.front();
      if (same && !r.empty()) h5::write_attribute(set.id(), "R_" + name, r.front());
      else h5::write_attribute(set.id(), "R_" + name, r);
    }
    h5::write_attribute(set.id(), "bound_stderr_method", std::string("delete-a-group jackknife over replicate blocks"));
  }
}

}  // namespace

void write_results_file(const std::string& path, const RunConfig& config, const ExperimentSetup& setup,
                        const ExperimentResult& result, const std::vector<CellSummary>& summaries,
                        const RunRecord& record) {
  h5::MemoryFile file;  // written to disk in one go: a full disk fails a plain write, not HDF5
  h5::write_attribute(file.id(), "format", std::string(kResultsFormat));
  h5::write_attribute(file.id(), "format_version", kResultsFormatVersion);
  h5::write_attribute(file.id(), "sdegen_version", std::string(kVersion));
  h5::write_attribute(file.id(), "config", config.effective_text());
  h5::write_attribute(file.id(), "mpi_ranks", static_cast<std::int64_t>(record.mpi_ranks));
  h5::write_attribute(file.id(), "created", utc_now());
  // Provenance: the build, the command, when and how long.
  for (const auto& [name, value] : build_attributes()) h5::write_attribute(file.id(), name, value);
  h5::write_attribute(file.id(), "command_line", record.command_line);
  h5::write_attribute(file.id(), "started", record.started);
  h5::write_attribute(file.id(), "finished", record.finished);
  h5::write_attribute(file.id(), "wall_seconds", record.wall_seconds);
  h5::write_attribute(file.id(), "axes", setup.grid.axes);
  h5::write_attribute(file.id(), "cell_count", static_cast<std::int64_t>(setup.grid.cells.size()));
  h5::write_attribute(file.id(), "cells_in_file", std::vector<std::int64_t>(setup.active.begin(), setup.active.end()));
  {
    h5::Handle cells = h5::create_group(file.id(), "cells");
    for (int c : setup.active) write_cell(cells.id(), setup.cells[c], result.cells[c], summaries[c], setup.bounds.any());
  }
  write_summary(file.id(), setup, result.cells, summaries);
  write_table_records(file.id(), setup);
  file.write_to(path);
}

}  // namespace sdegen
