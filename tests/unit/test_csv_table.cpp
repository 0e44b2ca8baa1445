// The CSV reader: the shipped tiny population against moments enumerated by hand, quoting and
// whitespace, and one message with file, row and column for every kind of malformed file.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/data/csv_table.hpp"
#include "sdegen/data/pipeline.hpp"
#include "sdegen/data/population.hpp"
#include "sdegen/io/checksum.hpp"

namespace fs = std::filesystem;
using namespace sdegen;
using Catch::Matchers::Contains;

#ifndef SDEGEN_TEST_DATA_DIR
#error "SDEGEN_TEST_DATA_DIR must name tests/data"
#endif

namespace {

const std::string kTiny = std::string(SDEGEN_TEST_DATA_DIR) + "/tiny_population.csv";

struct ScratchFile {
  std::string path;
  explicit ScratchFile(const std::string& text)
      : path((fs::temp_directory_path() / ("sdegen_csv_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + ".csv")).string()) {
    std::ofstream(path, std::ios::binary) << text;
  }
  ~ScratchFile() { std::remove(path.c_str()); }
  static inline int counter = 0;
};

std::string usage_error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const UsageError& e) {
    return e.what();
  }
  FAIL("no UsageError");
  return "";
}

}  // namespace

// tiny_population.csv holds the 24 rows x1 in {0,1,2,3}, x2 in {-1,0,1}, e in {-1/2,+1/2},
// x3 = x1 + x2 + e, y = 1 when x3 > 3/2 else 0. By hand: mean (3/2, 0, 3/2); variances 5/4, 2/3
// and 5/4 + 2/3 + 1/4 = 13/6; cov(x1,x2) = 0, cov(x1,x3) = 5/4, cov(x2,x3) = 2/3; 9 rows with y = 1.
TEST_CASE("tiny population: the table equals the hand enumeration, its moments to 1e-12", "[csv][population]") {
  std::vector<std::array<double, 3>> rows;
  std::vector<double> labels;
  for (int x1 = 0; x1 <= 3; ++x1)
    for (int x2 = -1; x2 <= 1; ++x2)
      for (double e : {-0.5, 0.5}) {
        rows.push_back({double(x1), double(x2), x1 + x2 + e});
        labels.push_back(x1 + x2 + e > 1.5 ? 1 : 0);
      }
  const int N = static_cast<int>(rows.size());
  double mean[3] = {0, 0, 0}, cov[3][3] = {};
  for (const auto& r : rows)
    for (int a = 0; a < 3; ++a) mean[a] += r[a] / N;
  for (const auto& r : rows)
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) cov[a][b] += (r[a] - mean[a]) * (r[b] - mean[b]) / N;
  // The enumeration itself against the fractions above.
  CHECK(mean[0] == Approx(1.5).margin(1e-15));
  CHECK(mean[1] == Approx(0.0).margin(1e-15));
  CHECK(mean[2] == Approx(1.5).margin(1e-15));
  CHECK(cov[0][0] == Approx(5.0 / 4));
  CHECK(cov[1][1] == Approx(2.0 / 3));
  CHECK(cov[2][2] == Approx(13.0 / 6));
  CHECK(cov[0][1] == Approx(0.0).margin(1e-15));
  CHECK(cov[0][2] == Approx(5.0 / 4));
  CHECK(cov[1][2] == Approx(2.0 / 3));

  const Table table = read_csv_table(kTiny, {"y", LabelKind::class_code});
  REQUIRE(table.rows() == N);
  REQUIRE(table.cols() == 3);
  CHECK(table.info().feature_names == std::vector<std::string>{"x1", "x2", "x3"});
  CHECK(table.info().class_codes == std::vector<std::int64_t>{0, 1});
  for (int i = 0; i < N; ++i) {
    for (int a = 0; a < 3; ++a) CHECK(table.features()(i, a) == rows[i][a]);
    CHECK(table.labels()(i) == labels[i]);
  }
  for (Eigen::Index block : {Eigen::Index{1}, Eigen::Index{5}, Eigen::Index{4096}}) {
    const FeatureMoments m = feature_moments(table, block);
    for (int a = 0; a < 3; ++a) {
      CHECK(std::abs(m.mean[a] - mean[a]) < 1e-12);
      for (int b = 0; b < 3; ++b) CHECK(std::abs(m.covariance(a, b) - cov[a][b]) < 1e-12);
    }
  }

  // The binary task: 0 -> -1, 1 -> +1, no scaling; the checksums identify the final numbers.
  PipelineConfig config;
  config.scaling = Scaling::none;
  const Table task = apply_pipeline(table, config);
  CHECK(task.info().label_kind == LabelKind::binary);
  CHECK((task.labels().array() == 1).count() == 9);
  CHECK((task.labels().array() == -1).count() == 15);
  CHECK(*task.info().provenance.features_crc32 == crc32_bytes(table.features().data(), 24 * 3 * sizeof(double)));
  const auto& source = task.info().provenance.sources.at(0);
  CHECK(source.path == kTiny);
  CHECK(source.bytes == fs::file_size(kTiny));
}

TEST_CASE("CSV: whitespace around cells and quoted cells", "[csv]") {
  ScratchFile file(
      "\xEF\xBB\xBF \"first, name\" ,\t\"label\"\t, \"say \"\"x\"\"\"\r\n"
      "  1.5 , 2 ,\"-3e-1\"\r\n"
      "\r\n"
      "+4,5,6\n"
      "   \n");
  const Table table = read_csv_table(file.path, {"label", LabelKind::real});
  CHECK(table.info().feature_names == std::vector<std::string>{"first, name", "say \"x\""});
  REQUIRE(table.rows() == 2);
  CHECK(table.features()(0, 0) == 1.5);
  CHECK(table.features()(0, 1) == -0.3);
  CHECK(table.features()(1, 0) == 4);
  CHECK(table.labels()(0) == 2);
  CHECK(table.labels()(1) == 5);
}

TEST_CASE("CSV: every malformed file gets one message with file, row and column", "[csv]") {
  struct Case {
    std::string what, text, label, expected;
    LabelKind kind = LabelKind::real;
  };
  const std::vector<Case> cases = {
      {"ragged (short)", "a,b,y\n1,2,3\n4,5\n", "y", "row 3, column 3 ('y'): missing: the row has 2 cells, the header 3 columns"},
      {"ragged (long)", "a,b,y\n1,2,3\n4,5,6,7\n", "y", "row 3, column 4: extra cell: the row has 4 cells, the header 3 columns"},
      {"non-numeric", "a,b,y\n1,2,3\n4,x5,6\n", "y", "row 3, column 2 ('b'): 'x5' is not a number"},
      {"trailing text", "a,b,y\n1,2.5.1,3\n", "y", "row 2, column 2 ('b'): '2.5.1' is not a number"},
      {"empty cell", "a,b,y\n1,,3\n", "y", "row 2, column 2 ('b'): the cell is empty"},
      {"NaN", "a,b,y\n1,2,3\n\n1,nan,3\n", "y", "row 4, column 2 ('b'): the value is NaN"},
      {"inf", "a,b,y\n-inf,2,3\n", "y", "row 2, column 1 ('a'): the value is infinite"},
      {"overflow", "a,b,y\n1e999,2,3\n", "y", "row 2, column 1 ('a'): '1e999' is out of the range of a double"},
      {"NaN label", "a,b,y\n1,2,NaN\n", "y", "row 2, column 3 ('y'): the value is NaN"},
      {"missing label column", "a,b,c\n1,2,3\n", "y", "row 1: no column named 'y' for the labels (columns: a, b, c)"},
      {"only the label", "y\n1\n", "y", "row 1: no feature column besides the label column 'y'"},
      {"empty file", "", "y", "the file is empty (no header row)"},
      {"blank file", "\n  \n", "y", "the file is empty (no header row)"},
      {"header only", "a,b,y\n", "y", "no data rows after the header"},
      {"duplicate names", "a,b,a,y\n1,2,3,4\n", "y", "row 1, column 3 ('a'): column 1 has the same name"},
      {"unnamed column", "a,,y\n1,2,3\n", "y", "row 1, column 2: the column has no name"},
      {"label not a class code", "a,b,y\n1,2,1\n1,2,0.5\n", "y", "row 3, column 3 ('y'): the label 0.5 is not an integer class code",
       LabelKind::class_code},
      {"unterminated quote", "a,b,y\n1,\"2,3\n", "y", "row 2, column 2: unterminated quote"},
      {"text after quote", "a,b,y\n1,\"2\"x,3\n", "y", "row 2, column 2: text after a closing quote"},
      {"stray quote", "a,b,y\n1,2\"x,3\n", "y", "row 2, column 2: a quote inside an unquoted cell"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    ScratchFile file(c.text);
    const std::string message = usage_error_of([&] { read_csv_table(file.path, {c.label, c.kind}); });
    CHECK_THAT(message, Contains("'" + file.path + "': ") && Contains(c.expected));
  }
  const std::string missing = "/nonexistent/sdegen/table.csv";
  CHECK_THAT(usage_error_of([&] { read_csv_table(missing, {"y", LabelKind::real}); }),
             Contains("'" + missing + "': cannot open"));
}
