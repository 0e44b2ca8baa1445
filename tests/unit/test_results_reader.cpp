// Unit tests of the results-file reader behind `sdegen report`: round trips through the writer
// (h5::TableBuilder, attributes), generic column types, the file errors, and the report formats.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/io/h5_read.hpp"
#include "sdegen/io/h5_write.hpp"
#include "sdegen/io/results_file.hpp"
#include "sdegen/io/results_reader.hpp"
#include "sdegen/report/results_report.hpp"

namespace fs = std::filesystem;
using namespace sdegen;

namespace {

struct ScratchDir {
  fs::path dir;
  ScratchDir() : dir(fs::temp_directory_path() / ("sdegen_results_reader_" + std::to_string(getpid()))) {
    fs::create_directories(dir);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  std::string path(const std::string& name) const { return (dir / name).string(); }
};

struct FileOptions {
  std::string format = "sdegen-results";
  std::int64_t format_version = 1;
  bool summary = true;
};

// A small results file in the layout `sdegen run` writes: two n, one algorithm, gen = 1/n.
void write_small_results(const std::string& path, const FileOptions& options = {}) {
  h5::silence_error_printing();
  h5::Handle file = h5::create_file(path);
  h5::write_attribute(file.id(), "format", options.format);
  h5::write_attribute(file.id(), "format_version", options.format_version);
  h5::write_attribute(file.id(), "sdegen_version", std::string("9.8.7"));
  h5::write_attribute(file.id(), "mpi_ranks", std::int64_t{3});
  h5::write_attribute(file.id(), "axes", std::vector<std::string>{"data.n", "train.algorithm"});
  h5::write_attribute(file.id(), "cell_count", std::int64_t{3});
  if (!options.summary) return;
  h5::TableBuilder table;
  table.add_integer("cell");
  table.add_string("problem", 8);
  table.add_integer("n");
  table.add_string("algorithm", 8);
  table.add_real("lr");
  table.add_integer("replicates");
  table.add_integer("diverged");
  table.add_string("training_loss", 8);
  table.add_real("gen_mean");
  table.add_real("gen_stderr");
  table.add_real("gen_sq_mean");
  table.add_real("gen_sq_stderr");
  table.add_real("gen_clip_mean");
  table.add_real("gen_clip_stderr");
  const std::vector<std::int64_t> ns = {10, 40, 160};
  for (std::int64_t c = 0; c < 3; ++c) {
    table.new_row();
    table.set("cell", c);
    table.set("problem", std::string(c == 2 ? "ab,\"cde" : "linreg"));  // 7 characters fill width 8
    table.set("n", ns[c]);
    table.set("algorithm", std::string(c == 1 ? "" : "sgd"));
    table.set("lr", 0.05);
    table.set("replicates", std::int64_t{32});
    table.set("diverged", c == 1 ? std::int64_t{-5} : std::int64_t{0});
    table.set("training_loss", std::string("sq"));
    table.set("gen_mean", c == 1 ? NAN : 2.0 / static_cast<double>(ns[c]));
    table.set("gen_stderr", 0.1 / static_cast<double>(ns[c]));
    table.set("gen_sq_mean", 2.0 / static_cast<double>(ns[c]));
    table.set("gen_sq_stderr", 0.1 / static_cast<double>(ns[c]));
    table.set("gen_clip_mean", 1.0 / static_cast<double>(ns[c]));
    table.set("gen_clip_stderr", 0.01 / static_cast<double>(ns[c]));
  }
  h5::Handle set = table.write(file.id(), "summary");
  h5::write_attribute(set.id(), "losses", std::vector<std::string>{"sq", "clip"});
}

}  // namespace

TEST_CASE("results reader: root attributes and /summary round-trip", "[results_reader]") {
  ScratchDir scratch;
  const std::string path = scratch.path("small.h5");
  write_small_results(path);
  const ResultsFile r = read_results_file(path);
  CHECK(r.path == path);
  CHECK(r.format == "sdegen-results");
  CHECK(r.format_version == 1);
  CHECK(r.sdegen_version == "9.8.7");
  CHECK(r.mpi_ranks == 3);
  CHECK(r.cell_count == 3);
  CHECK(r.created.empty());  // absent attributes are empty, not errors
  CHECK(r.axes == std::vector<std::string>{"data.n", "train.algorithm"});
  CHECK(r.summary_losses == std::vector<std::string>{"sq", "clip"});

  REQUIRE(r.summary.rows == 3);
  REQUIRE(r.summary.columns.size() == 14);
  CHECK(r.summary.columns[0].name == "cell");
  CHECK(r.summary.columns[13].name == "gen_clip_stderr");
  const h5::Column* problem = r.summary.find("problem");
  REQUIRE(problem != nullptr);
  CHECK(problem->kind == h5::Kind::string);
  CHECK(problem->strings == std::vector<std::string>{"linreg", "linreg", "ab,\"cde"});
  CHECK(r.summary.find("algorithm")->strings == std::vector<std::string>{"sgd", "", "sgd"});
  const h5::Column* n = r.summary.find("n");
  REQUIRE(n != nullptr);
  CHECK(n->kind == h5::Kind::integer);
  CHECK(n->integers == std::vector<std::int64_t>{10, 40, 160});
  CHECK(r.summary.find("diverged")->integers == std::vector<std::int64_t>{0, -5, 0});
  const h5::Column* gen = r.summary.find("gen_mean");
  REQUIRE(gen != nullptr);
  CHECK(gen->kind == h5::Kind::real);
  CHECK(gen->reals[0] == 0.2);
  CHECK(std::isnan(gen->reals[1]));
  CHECK(gen->reals[2] == 2.0 / 160);
  CHECK(r.summary.find("lr")->reals == std::vector<double>{0.05, 0.05, 0.05});
  CHECK(r.summary.find("gen_clip_mean")->reals[2] == 1.0 / 160);
  CHECK(r.summary.find("no_such_column") == nullptr);
}

TEST_CASE("results reader: typed attributes", "[results_reader]") {
  ScratchDir scratch;
  const std::string path = scratch.path("attributes.h5");
  {
    h5::Handle file = h5::create_file(path);
    h5::write_attribute(file.id(), "text", std::string("a ± b"));
    h5::write_attribute(file.id(), "empty", std::string());
    h5::write_attribute(file.id(), "count", std::int64_t{-7});
    h5::write_attribute(file.id(), "nan", static_cast<double>(NAN));
    h5::write_attribute(file.id(), "reals", std::vector<double>{1.5, NAN});
    h5::write_attribute(file.id(), "words", std::vector<std::string>{"x", "", "zz"});
  }
  h5::silence_error_printing();
  h5::Handle file = h5::open_file_read_only(path);
  CHECK(h5::attribute_names(file.id()) == std::vector<std::string>{"count", "empty", "nan", "reals", "text", "words"});
  CHECK(h5::read_string_attribute(file.id(), "text") == "a ± b");
  CHECK(h5::read_string_attribute(file.id(), "empty").empty());
  CHECK(h5::read_integer_attribute(file.id(), "count") == -7);
  CHECK(h5::read_real_attribute(file.id(), "count") == -7.0);
  CHECK(std::isnan(h5::read_real_attribute(file.id(), "nan")));
  const h5::Attribute reals = h5::read_attribute(file.id(), "reals");
  CHECK(reals.kind == h5::Kind::real);
  CHECK_FALSE(reals.scalar);
  REQUIRE(reals.reals.size() == 2);
  CHECK(reals.reals[0] == 1.5);
  CHECK(std::isnan(reals.reals[1]));
  CHECK(h5::read_string_list_attribute(file.id(), "words") == std::vector<std::string>{"x", "", "zz"});
  CHECK(h5::read_string_list_attribute(file.id(), "text") == std::vector<std::string>{"a ± b"});
  CHECK_THROWS_WITH(h5::read_integer_attribute(file.id(), "text"), Catch::Contains("text"));
  CHECK_THROWS_WITH(h5::read_string_attribute(file.id(), "words"), Catch::Contains("3 values"));
  CHECK_THROWS_WITH(h5::read_attribute(file.id(), "missing"), Catch::Contains("missing"));
}

TEST_CASE("results reader: generic compound columns convert to int64, double and text", "[results_reader]") {
  ScratchDir scratch;
  const std::string path = scratch.path("generic.h5");
  struct Row {
    const char* name;  // variable-length string
    std::int32_t count;
    float x;
    char tag[4];  // fixed-length, null-padded (no terminator when full)
  };
  const Row rows[2] = {{"first", 3, 0.5f, {'a', 'b', 'c', 'd'}}, {"", -2, NAN, {'z', 0, 0, 0}}};
  {
    h5::Handle file = h5::create_file(path);
    h5::Handle vstr(H5Tcopy(H5T_C_S1), H5Tclose, "vstr");
    H5Tset_size(vstr.id(), H5T_VARIABLE);
    h5::Handle fstr(H5Tcopy(H5T_C_S1), H5Tclose, "fstr");
    H5Tset_size(fstr.id(), 4);
    H5Tset_strpad(fstr.id(), H5T_STR_NULLPAD);
    h5::Handle type(H5Tcreate(H5T_COMPOUND, sizeof(Row)), H5Tclose, "compound");
    H5Tinsert(type.id(), "name", HOFFSET(Row, name), vstr.id());
    H5Tinsert(type.id(), "count", HOFFSET(Row, count), H5T_NATIVE_INT32);
    H5Tinsert(type.id(), "x", HOFFSET(Row, x), H5T_NATIVE_FLOAT);
    H5Tinsert(type.id(), "tag", HOFFSET(Row, tag), fstr.id());
    const hsize_t size = 2;
    h5::Handle space(H5Screate_simple(1, &size, nullptr), H5Sclose, "space");
    h5::Handle set(H5Dcreate2(file.id(), "table", type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                   H5Dclose, "table");
    REQUIRE(H5Dwrite(set.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) >= 0);
  }
  h5::Handle file = h5::open_file_read_only(path);
  const h5::Table t = h5::read_table(file.id(), "table");
  REQUIRE(t.rows == 2);
  REQUIRE(t.columns.size() == 4);
  CHECK(t.find("name")->strings == std::vector<std::string>{"first", ""});
  CHECK(t.find("count")->kind == h5::Kind::integer);
  CHECK(t.find("count")->integers == std::vector<std::int64_t>{3, -2});
  CHECK(t.find("x")->kind == h5::Kind::real);
  CHECK(t.find("x")->reals[0] == 0.5);
  CHECK(std::isnan(t.find("x")->reals[1]));
  CHECK(t.find("tag")->strings == std::vector<std::string>{"abcd", "z"});
}

TEST_CASE("results reader: unusable files are usage errors naming the file", "[results_reader]") {
  ScratchDir scratch;
  auto error_of = [](const std::string& path) -> std::string {
    try {
      read_results_file(path);
    } catch (const UsageError& e) {
      return e.what();
    }
    return "no error";
  };
  const std::string missing = scratch.path("missing.h5");
  CHECK_THAT(error_of(missing), Catch::Contains(missing) && Catch::Contains("No such file"));

  const std::string text = scratch.path("text.h5");
  std::ofstream(text) << "not HDF5 at all\n";
  CHECK_THAT(error_of(text), Catch::Contains(text) && Catch::Contains("not an HDF5 file"));

  const std::string truncated = scratch.path("truncated.h5");
  write_small_results(truncated);
  fs::resize_file(truncated, fs::file_size(truncated) / 2);
  CHECK_THAT(error_of(truncated), Catch::Contains(truncated) && Catch::Contains("truncated or corrupt"));

  const std::string foreign = scratch.path("foreign.h5");
  write_small_results(foreign, {"something-else", 1, true});
  CHECK_THAT(error_of(foreign), Catch::Contains(foreign) && Catch::Contains("not an sdegen results file"));

  const std::string newer = scratch.path("newer.h5");
  write_small_results(newer, {"sdegen-results", kResultsFormatVersion + 1, true});
  CHECK_THAT(error_of(newer), Catch::Contains(newer) &&
                                  Catch::Contains("format_version " + std::to_string(kResultsFormatVersion + 1)));

  const std::string no_summary = scratch.path("no_summary.h5");
  write_small_results(no_summary, {"sdegen-results", 1, false});
  CHECK_THAT(error_of(no_summary), Catch::Contains(no_summary) && Catch::Contains("/summary"));

  CHECK_THAT(error_of(scratch.dir.string()), Catch::Contains("directory"));
}

TEST_CASE("report: formats and slopes of a small file", "[results_reader]") {
  ScratchDir scratch;
  const std::string path = scratch.path("report.h5");
  write_small_results(path);
  const ResultsFile r = read_results_file(path);

  // Without bounds the losses other than the training loss are fitted: gen_clip = 1/n at n = 10
  // and 160 in the group of algorithm "sgd"; the other group (algorithm "") has one n only.
  const std::vector<ReportSlope> slopes = report_slopes(r);
  REQUIRE(slopes.size() == 1);
  CHECK(slopes[0].quantity == "gen_clip_mean");
  CHECK(slopes[0].rows == std::vector<std::size_t>{0, 2});
  CHECK(slopes[0].fit.points == 2);
  CHECK(slopes[0].fit.slope == Approx(-1.0));

  std::ostringstream csv;
  write_report(csv, r, ReportFormat::csv);
  std::istringstream lines(csv.str());
  std::string header, first, second, third, extra;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  std::getline(lines, third);
  CHECK(header.rfind("cell,problem,n,algorithm,lr,replicates,diverged,training_loss,gen_mean,", 0) == 0);
  CHECK(first.rfind("0,linreg,10,sgd,0.05,32,0,sq,0.2,", 0) == 0);
  CHECK(second.rfind("1,linreg,40,,0.05,32,-5,sq,,", 0) == 0);  // empty string and NaN: empty fields
  CHECK(third.rfind("2,\"ab,\"\"cde\",160,sgd,", 0) == 0);  // RFC 4180 quoting
  CHECK_FALSE(std::getline(lines, extra));

  std::ostringstream json;
  write_report(json, r, ReportFormat::json);
  CHECK_THAT(json.str(), Catch::Contains("\"format_version\": 1") && Catch::Contains("\"gen_mean\": null") &&
                             Catch::Contains("\"group\": {\"algorithm\": \"sgd\"}") &&
                             Catch::Contains("\"quantity\": \"gen_clip_mean\"") &&
                             Catch::Contains("\"problem\": \"ab,\\\"cde\""));

  std::ostringstream text;
  write_report(text, r, ReportFormat::text);
  CHECK_THAT(text.str(), Catch::Contains("sdegen_version: 9.8.7") && Catch::Contains("mpi_ranks: 3") &&
                             Catch::Contains("gen (clip)") && Catch::Contains("slopes") &&
                             Catch::Contains("0.2 ± 0.01"));

  std::ostringstream markdown;
  write_report(markdown, r, ReportFormat::markdown);
  CHECK_THAT(markdown.str(), Catch::Contains("| cell | n | algorithm |") && Catch::Contains("|---|"));

  ResultsFile unswept = r;  // n not among the axes: no slopes
  unswept.axes = {"train.algorithm"};
  CHECK(report_slopes(unswept).empty());
  std::ostringstream unswept_text, unswept_json;
  write_report(unswept_text, unswept, ReportFormat::text);
  write_report(unswept_json, unswept, ReportFormat::json);
  CHECK_THAT(unswept_text.str(), Catch::Contains("data.n is not among the swept options"));
  CHECK_THAT(unswept_json.str(), Catch::Contains("\"slopes\": []"));

  CHECK(parse_report_format("json") == ReportFormat::json);
  CHECK_THROWS_AS(parse_report_format("xml"), UsageError);
}
