// The HDF5 table reader: the documented convention (features rows x cols, labels one per row,
// optional feature_names) read back exactly, and one message naming file, dataset, row and column
// for every malformed file.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/io/hdf5_table.hpp"
#include "sdegen/io/h5_write.hpp"

namespace fs = std::filesystem;
using namespace sdegen;
using Catch::Matchers::Contains;

namespace {

struct ScratchDir {
  fs::path dir;
  ScratchDir() : dir(fs::temp_directory_path() / ("sdegen_hdf5_table_" + std::to_string(getpid()))) {
    fs::create_directories(dir);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  std::string path(const std::string& name) const { return (dir / name).string(); }
};

// Features r + c / 10 (row r, column c) of a rows x cols table, labels r % 3.
std::vector<double> grid(hsize_t rows, hsize_t cols) {
  std::vector<double> values;
  for (hsize_t r = 0; r < rows; ++r)
    for (hsize_t c = 0; c < cols; ++c) values.push_back(r + c / 10.0);
  return values;
}
std::vector<std::int64_t> codes(hsize_t rows) {
  std::vector<std::int64_t> labels;
  for (hsize_t r = 0; r < rows; ++r) labels.push_back(static_cast<std::int64_t>(r % 3));
  return labels;
}

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

TEST_CASE("HDF5 table: features, labels and feature names read back exactly", "[hdf5table]") {
  ScratchDir scratch;
  const std::string path = scratch.path("good.h5");
  {
    h5::Handle file = h5::create_file(path);
    h5::Handle features = h5::write_matrix(file.id(), "features", grid(5, 3), 5, 3);
    h5::write_attribute(features.id(), "feature_names", std::vector<std::string>{"u", "v", "w"});
    h5::write_dataset(file.id(), "labels", codes(5));
    h5::Handle group = h5::create_group(file.id(), "other");
    h5::write_matrix(group.id(), "x", grid(4, 2), 4, 2);
    h5::write_dataset(group.id(), "target", std::vector<double>{0.5, -1.5, 2.0, 7.25});
  }
  const Table table = read_hdf5_table(path, {"features", "labels", LabelKind::class_code});
  REQUIRE(table.rows() == 5);
  REQUIRE(table.cols() == 3);
  CHECK(table.features()(4, 2) == 4.2);
  CHECK(table.features()(1, 0) == 1.0);
  CHECK(table.labels()(4) == 1.0);
  CHECK(table.info().feature_names == std::vector<std::string>{"u", "v", "w"});
  CHECK(table.info().class_codes == std::vector<std::int64_t>{0, 1, 2});
  CHECK(table.info().provenance.sources.at(0).bytes == fs::file_size(path));

  const Table other = read_hdf5_table(path, {"other/x", "other/target", LabelKind::real});
  CHECK(other.rows() == 4);
  CHECK(other.labels()(3) == 7.25);
  CHECK(other.info().feature_names.empty());
}

TEST_CASE("HDF5 table: every malformed file is one message naming file, dataset, row and column", "[hdf5table]") {
  ScratchDir scratch;
  auto make = [&](const std::string& name, const std::function<void(hid_t)>& fill) {
    const std::string path = scratch.path(name);
    h5::Handle file = h5::create_file(path);
    fill(file.id());
    return path;
  };
  struct Case {
    std::string name;
    std::function<void(hid_t)> fill;
    LabelKind kind;
    std::string expected;
  };
  const auto nan_at = [](std::size_t r, std::size_t c, double value) {
    auto values = grid(4, 3);
    values[r * 3 + c] = value;
    return values;
  };
  const std::vector<Case> cases = {
      {"nolabels.h5", [](hid_t f) { h5::write_matrix(f, "features", grid(4, 3), 4, 3); }, LabelKind::real,
       "no dataset 'labels'"},
      {"rank.h5", [](hid_t f) { h5::write_dataset(f, "features", grid(4, 1)); h5::write_dataset(f, "labels", codes(4)); },
       LabelKind::real, "dataset 'features' has 1 dimensions, not 2"},
      {"count.h5", [](hid_t f) { h5::write_matrix(f, "features", grid(4, 3), 4, 3); h5::write_dataset(f, "labels", codes(5)); },
       LabelKind::real, "dataset 'labels' has 5 labels for the 4 rows of 'features'"},
      {"empty.h5", [](hid_t f) { h5::write_matrix(f, "features", {}, 0, 3); h5::write_dataset(f, "labels", codes(0)); },
       LabelKind::real, "dataset 'features' is empty (0 x 3)"},
      {"nan.h5", [&](hid_t f) { h5::write_matrix(f, "features", nan_at(2, 1, NAN), 4, 3); h5::write_dataset(f, "labels", codes(4)); },
       LabelKind::real, "dataset 'features', row 2, column 1: the value is NaN"},
      {"inf.h5", [&](hid_t f) { h5::write_matrix(f, "features", nan_at(3, 0, -INFINITY), 4, 3); h5::write_dataset(f, "labels", codes(4)); },
       LabelKind::real, "dataset 'features', row 3, column 0: the value is infinite"},
      {"kind.h5",
       [](hid_t f) {
         h5::write_matrix(f, "features", grid(4, 3), 4, 3);
         h5::write_dataset(f, "labels", std::vector<double>{0, 1, 2.5, 1});
       },
       LabelKind::class_code, "dataset 'labels', row 2: the label 2.5 is not an integer class code"},
      {"strings.h5",
       [](hid_t f) {
         h5::write_matrix(f, "features", grid(4, 3), 4, 3);
         h5::Handle labels = h5::write_dataset(f, "labels", codes(4));
         h5::write_attribute(f, "note", std::string("x"));
         h5::TableBuilder builder;
         builder.add_string("name", 8);
         builder.new_row();
         builder.set("name", std::string("a"));
         builder.write(f, "names");
       },
       LabelKind::real, ""},
      {"names.h5",
       [](hid_t f) {
         h5::Handle features = h5::write_matrix(f, "features", grid(4, 3), 4, 3);
         h5::write_attribute(features.id(), "feature_names", std::vector<std::string>{"a", "b", "a"});
         h5::write_dataset(f, "labels", codes(4));
       },
       LabelKind::real, "attribute 'feature_names' of 'features', column 2: the name 'a' repeats"},
      {"namecount.h5",
       [](hid_t f) {
         h5::Handle features = h5::write_matrix(f, "features", grid(4, 3), 4, 3);
         h5::write_attribute(features.id(), "feature_names", std::vector<std::string>{"a", "b"});
         h5::write_dataset(f, "labels", codes(4));
       },
       LabelKind::real, "attribute 'feature_names' of 'features' has 2 names for 3 columns"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const std::string path = make(c.name, c.fill);
    if (c.expected.empty()) continue;  // the string-table file is used below
    CHECK_THAT(usage_error_of([&] { read_hdf5_table(path, {"features", "labels", c.kind}); }),
               Contains("'" + path + "': ") && Contains(c.expected));
  }
  const std::string strings = scratch.path("strings.h5");
  CHECK_THAT(usage_error_of([&] { read_hdf5_table(strings, {"names", "labels", LabelKind::real}); }),
             Contains("'" + strings + "': dataset 'names' is not numeric"));
  CHECK_THAT(usage_error_of([&] { read_hdf5_table(strings, {"features", "nowhere/labels", LabelKind::real}); }),
             Contains("no dataset 'nowhere/labels'"));

  const std::string text = scratch.path("text.h5");
  std::ofstream(text) << "not hdf5\n";
  CHECK_THAT(usage_error_of([&] { read_hdf5_table(text); }), Contains("'" + text + "': not an HDF5 file"));
}
