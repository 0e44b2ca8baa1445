// Tests of the option table, INI/command-line precedence, sweep grids and option errors.
// Every error must name the option it is about.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "sdegen/config/config.hpp"
#include "sdegen/config/grid.hpp"
#include "sdegen/config/option_rules.hpp"
#include "sdegen/config/option_table.hpp"
#include "sdegen/config/usage_error.hpp"

using namespace sdegen;

namespace {
RunConfig parse(std::vector<std::string> args) { return parse_run_command_line(args).config; }

std::string write_ini(const std::string& text) {
  const std::string path = "test_config_" + std::to_string(std::hash<std::string>{}(text)) + ".ini";
  std::ofstream(path) << text;
  return path;
}

void require_error_naming(std::vector<std::string> args, const std::string& name) {
  try {
    build_grid(parse(args));
    FAIL("no error for " << name);
  } catch (const UsageError& e) {
    INFO(e.what());
    CHECK(std::string(e.what()).find(name) != std::string::npos);
  }
}
}  // namespace

TEST_CASE("defaults make the built-in experiment: linreg, sgd and sde over five n") {
  const RunConfig config = parse({});
  const Grid grid = build_grid(config);
  CHECK(grid.axes == std::vector<std::string>{"data.n", "train.algorithm"});
  REQUIRE(grid.cells.size() == 10);
  CHECK(grid.cells[0].problem == "linreg");
  CHECK(grid.cells[0].n == 50);
  CHECK(grid.cells[0].algorithm == "sgd");
  CHECK(grid.cells[1].algorithm == "sde");
  CHECK(grid.cells[2].n == 100);
  CHECK(config.single("output.file") == "results.h5");
}

TEST_CASE("command line overrides the config file, which overrides the defaults") {
  const std::string ini = write_ini("[train]\nlr = 0.1\nbatch = 7\n[data]\nn = 30 60\n");
  const RunConfig from_file = parse({ini});
  CHECK(from_file.real("train.lr") == 0.1);
  CHECK(from_file.tokens("data.n") == std::vector<std::string>{"30", "60"});
  const RunConfig overridden = parse({ini, "--train.lr", "0.2", "-o", "x.h5"});
  CHECK(overridden.real("train.lr") == 0.2);
  CHECK(overridden.integer("train.batch") == 7);
  CHECK(overridden.single("output.file") == "x.h5");
  std::remove(ini.c_str());
}

TEST_CASE("the effective config text is a config file that reproduces the run") {
  const RunConfig config = parse({"--data.n", "20 40", "--train.algorithm", "gd", "--mc.seed", "9"});
  const std::string ini = write_ini(config.effective_text());
  const RunConfig again = parse({ini});
  CHECK(again.values == config.values);
  std::remove(ini.c_str());
}

TEST_CASE("sweep cells are the Cartesian product, last option fastest") {
  const Grid grid = build_grid(parse({"--problem.name", "gaussian-mean linreg", "--data.n", "20 40",
                                      "--train.lr", "0.1 0.2 0.3", "--train.algorithm", "gd"}));
  REQUIRE(grid.cells.size() == 12);
  CHECK(grid.cells[0].problem == "gaussian-mean");
  CHECK(grid.cells[0].n == 20);
  CHECK(grid.cells[1].lr == 0.2);
  CHECK(grid.cells[3].n == 40);
  CHECK(grid.cells[6].problem == "linreg");
  CHECK(grid.cells[11].lr == 0.3);
  CHECK(grid.cells[11].index == 11);
}

TEST_CASE("logged steps are 0, k, 2k, ... and the last step") {
  CellParams cell;
  cell.steps = 25;
  cell.log_every = 10;
  CHECK(cell.logged_steps() == std::vector<int>{0, 10, 20, 25});
  cell.steps = 20;
  CHECK(cell.logged_steps() == std::vector<int>{0, 10, 20});
}

TEST_CASE("bad options are rejected with a message naming the option") {
  require_error_naming({"--bogus.key", "1"}, "bogus.key");
  require_error_naming({"--problem.name", "nosuch"}, "problem.name");
  require_error_naming({"--data.n", "10", "--train.batch", "20"}, "train.batch");
  require_error_naming({"--train.lr", "0"}, "train.lr");
  require_error_naming({"--train.lr", "-1"}, "train.lr");
  require_error_naming({"--train.lr", "abc"}, "train.lr");
  require_error_naming({"--mc.replicates", "0"}, "mc.replicates");
  require_error_naming({"--mc.replicates", "1 2"}, "mc.replicates");
  require_error_naming({"--data.n", "0"}, "data.n");
  require_error_naming({"--train.steps", "0"}, "train.steps");
  require_error_naming({"--problem.name", "logistic", "--problem.noise", "0"}, "problem.noise");
  require_error_naming({"missing-config.ini"}, "missing-config.ini");
  const std::string ini = write_ini("[train]\nbogus = 3\n");
  require_error_naming({ini}, "bogus");
  std::remove(ini.c_str());
}

namespace {
std::string usage_error_of(std::vector<std::string> args) {
  try {
    build_grid(parse(args));
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("integer options do not wrap at 32 bits: 2^32 + 5 is out of range for every one", "[limits]") {
  for (const auto& spec : run_options()) {
    if (spec.kind != OptionKind::integer) continue;
    if (spec.name.size() >= 4 && spec.name.compare(spec.name.size() - 4, 4, "seed") == 0) continue;  // any int64 is a valid seed
    INFO(spec.name);
    const std::string message = usage_error_of({"--" + spec.name, "4294967301"});
    CHECK(message.find(spec.name) != std::string::npos);
    CHECK(message.find("out of range") != std::string::npos);
  }
  CHECK(usage_error_of({"--mc.replicates", "3000000000"}).find("mc.replicates") != std::string::npos);
  CHECK(usage_error_of({"--data.n", "4294967346"}).find("data.n") != std::string::npos);
  CHECK(usage_error_of({"--mc.seed", "99999999999999999999"}).find("mc.seed") != std::string::npos);
  CHECK(usage_error_of({"--cells", "0/4294967297"}).find("--cells") != std::string::npos);
  // The largest accepted values stay accepted.
  CHECK(usage_error_of({"--mc.seed", "9223372036854775807", "--mc.replicates", "1000000000"}).empty());
}

TEST_CASE("every number option has a maximum, shown in the help", "[limits]") {
  std::string help;  // with the line wrapping undone
  for (const auto& word : split_tokens(parse_run_command_line({"--help"}).help_text)) help += word + " ";
  for (const auto& spec : run_options()) {
    if (spec.kind != OptionKind::integer && spec.kind != OptionKind::real) continue;
    INFO(spec.name);
    CHECK(spec.max_value > spec.min_value);
    CHECK(help.find(option_range_text(spec)) != std::string::npos);
  }
  CHECK(help.find("1 to 1e9") != std::string::npos);  // mc.replicates
}

TEST_CASE("real options whose value would overflow later are rejected up front", "[limits]") {
  CHECK(usage_error_of({"--problem.noise", "1e160"}).find("problem.noise") != std::string::npos);
  CHECK(usage_error_of({"--problem.clip", "1e308"}).find("problem.clip") != std::string::npos);
  CHECK(usage_error_of({"--train.lr", "1e200"}).find("train.lr") != std::string::npos);
  CHECK(usage_error_of({"--train.lr_decay", "1.5"}).find("train.lr_decay") != std::string::npos);
  CHECK(usage_error_of({"--problem.name", "gaussian-mean", "--problem.noise", "1e-200"}).find("problem.noise") !=
        std::string::npos);
}

TEST_CASE("cross-option limits name the options", "[limits]") {
  CHECK(usage_error_of({"--data.n", "20000", "--problem.dim", "10000"}).find("'data.n' x 'problem.dim'") !=
        std::string::npos);
  CHECK(usage_error_of({"--train.steps", "100000000", "--train.log_every", "1"}).find("train.log_every") !=
        std::string::npos);
  CHECK(usage_error_of({"--train.lr_schedule", "step", "--train.lr_decay", "1e-300", "--train.lr_decay_every", "1"})
            .find("train.lr_decay") != std::string::npos);
}

TEST_CASE("a sweep lists every value once, compared as numbers", "[sweep]") {
  CHECK(usage_error_of({"--train.lr", "0.1 0.1"}).find("train.lr") != std::string::npos);
  CHECK(usage_error_of({"--train.lr", "0.1 1e-1"}).find("train.lr") != std::string::npos);
  CHECK(usage_error_of({"--data.n", "50 50"}).find("data.n") != std::string::npos);
  CHECK(usage_error_of({"--data.n", "50 050"}).find("data.n") != std::string::npos);
  CHECK(usage_error_of({"--train.algorithm", "sgd sde sgd"}).find("train.algorithm") != std::string::npos);
  CHECK(usage_error_of({"--train.lr", "0.1 0.2", "--data.n", "50 60"}).empty());
}

TEST_CASE("the options -o and --output.file must not name different files", "[output]") {
  CHECK(usage_error_of({"-o", "a.h5", "--output.file", "b.h5"}).find("output.file") != std::string::npos);
  CHECK(parse({"-o", "a.h5", "--output.file", "a.h5"}).single("output.file") == "a.h5");
  // A config file's output is overridden by -o, as any file value is by the command line.
  const std::string ini = write_ini("[output]\nfile = from_file.h5\n");
  CHECK(parse({ini, "-o", "a.h5"}).single("output.file") == "a.h5");
  std::remove(ini.c_str());
}

TEST_CASE("a directory or a file with a NUL byte is not a config file", "[config-file]") {
  const std::string dir = "test_config_directory.ini";
  std::filesystem::create_directory(dir);
  CHECK(usage_error_of({dir}).find(dir) != std::string::npos);
  std::filesystem::remove(dir);
  const std::string ini = "test_config_nul.ini";
  std::ofstream(ini, std::ios::binary) << std::string("[train]\nlr = 0.1\0junk\n", 22);
  const std::string message = usage_error_of({ini});
  CHECK(message.find(ini) != std::string::npos);
  CHECK(message.find("NUL") != std::string::npos);
  std::remove(ini.c_str());
}

TEST_CASE("options without effect in the configuration are reported once each", "[warnings]") {
  const RunConfig defaults = parse({});
  CHECK(no_effect_warnings(defaults, build_grid(defaults)).empty());
  const RunConfig config = parse({"--bounds.stationary_steps", "5", "--train.algorithm", "sgd", "--train.substeps",
                                  "3", "--train.lr_decay", "0.5", "--problem.spectrum_decay", "1"});
  const auto warnings = no_effect_warnings(config, build_grid(config));
  REQUIRE(warnings.size() == 3);
  CHECK(warnings[0].find("'bounds.stationary_steps'") != std::string::npos);
  CHECK(warnings[1].find("'train.substeps'") != std::string::npos);
  CHECK(warnings[2].find("'train.lr_decay'") != std::string::npos);
  // With the option that gives them an effect, they are silent.
  const RunConfig used = parse({"--bounds.terminal", "--bounds.stationary_steps", "5", "--train.algorithm", "sgd sde",
                                "--train.substeps", "3", "--train.lr_schedule", "step", "--train.lr_decay", "0.5"});
  CHECK(no_effect_warnings(used, build_grid(used)).empty());
}

TEST_CASE("the supersample options warn without bounds.supersample and give jackknife_groups an effect", "[warnings]") {
  const RunConfig alone = parse({"--bounds.supersample_levels", "16", "--bounds.supersample_masks", "4",
                                 "--bounds.jackknife_groups", "10"});
  const auto warnings = no_effect_warnings(alone, build_grid(alone));
  REQUIRE(warnings.size() == 3);
  CHECK(warnings[0].find("'bounds.jackknife_groups'") != std::string::npos);
  CHECK(warnings[1].find("'bounds.supersample_levels'") != std::string::npos);
  CHECK(warnings[2].find("'bounds.supersample_masks'") != std::string::npos);
  const RunConfig used = parse({"--bounds.supersample", "--bounds.supersample_levels", "16",
                                "--bounds.supersample_masks", "4", "--bounds.jackknife_groups", "10"});
  CHECK(no_effect_warnings(used, build_grid(used)).empty());
}
