// Tests of the option table, INI/command-line precedence, sweep grids and option errors.
// Every error must name the option it is about.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "sdegen/config/config.hpp"
#include "sdegen/config/grid.hpp"
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
