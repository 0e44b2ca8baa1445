// The IDX reader on small hand-made files (valid, wrong magic, truncated, extra bytes, counts that
// disagree) and on the real files of Debian's dataset-fashion-mnist, against numbers computed
// independently from the same files with Python (gzip, numpy, zlib.crc32).
#include <catch2/catch.hpp>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/data/fashion_mnist.hpp"
#include "sdegen/data/idx_file.hpp"
#include "sdegen/data/pipeline.hpp"

namespace fs = std::filesystem;
using namespace sdegen;
using Catch::Matchers::Contains;

namespace {

struct ScratchDir {
  fs::path dir;
  explicit ScratchDir(const std::string& tag)
      : dir(fs::temp_directory_path() / ("sdegen_" + tag + "_" + std::to_string(getpid()))) {
    fs::create_directories(dir);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  std::string path(const std::string& name) const { return (dir / name).string(); }
};

// An IDX file's bytes: magic 0 0 type rank, big-endian extents, then the values.
std::vector<unsigned char> idx_bytes(const std::vector<std::uint32_t>& shape, const std::vector<unsigned char>& values,
                                     unsigned char type = 0x08) {
  std::vector<unsigned char> bytes = {0, 0, type, static_cast<unsigned char>(shape.size())};
  for (std::uint32_t extent : shape)
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<unsigned char>(extent >> shift));
  bytes.insert(bytes.end(), values.begin(), values.end());
  return bytes;
}

void write_plain(const std::string& path, const std::vector<unsigned char>& bytes) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

void write_gzip(const std::string& path, const std::vector<unsigned char>& bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  REQUIRE(file != nullptr);
  REQUIRE(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())) == static_cast<int>(bytes.size()));
  REQUIRE(gzclose(file) == Z_OK);
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

std::vector<unsigned char> counting(std::size_t size) {
  std::vector<unsigned char> values(size);
  for (std::size_t i = 0; i < size; ++i) values[i] = static_cast<unsigned char>(i % 251);
  return values;
}

}  // namespace

TEST_CASE("IDX: plain and gzip files give the declared shape and the values in order", "[idx]") {
  ScratchDir scratch("idx_valid");
  const auto values = counting(2 * 3 * 4);
  write_plain(scratch.path("a.idx"), idx_bytes({2, 3, 4}, values));
  write_gzip(scratch.path("a.idx.gz"), idx_bytes({2, 3, 4}, values));
  for (const char* name : {"a.idx", "a.idx.gz"}) {
    const IdxArray array = read_idx_bytes(scratch.path(name), 3);
    CHECK(array.shape == std::vector<std::uint32_t>{2, 3, 4});
    CHECK(array.values == values);
  }
}

TEST_CASE("IDX: every malformed file is a UsageError naming the file and the problem", "[idx]") {
  ScratchDir scratch("idx_bad");
  const auto values = counting(2 * 3 * 4);
  struct Case {
    std::string name;
    std::vector<unsigned char> bytes;
    bool gzip;
    std::string problem;
  };
  auto truncated = idx_bytes({2, 3, 4}, values);
  truncated.resize(truncated.size() - 5);
  auto extra = idx_bytes({2, 3, 4}, values);
  extra.push_back(7);
  auto bad_magic = idx_bytes({2, 3, 4}, values);
  bad_magic[0] = 0x1f;
  const std::vector<Case> cases = {
      {"magic.idx", bad_magic, false, "not an IDX file"},
      {"type.idx", idx_bytes({2, 3, 4}, values, 0x0D), false, "value type 13 is not 8"},
      {"rank.idx", idx_bytes({24}, values), false, "1 dimensions, expected 3"},
      {"short.idx", {0, 0}, false, "too short for an IDX header"},
      {"header.idx", {0, 0, 8, 3, 0, 0, 0, 2, 0, 0}, false, "truncated in the IDX header"},
      {"truncated.idx", truncated, false, "truncated: the header declares 24 values, the file holds 19"},
      {"truncated_gz.idx.gz", truncated, true, "truncated: the header declares 24 values, the file holds 19"},
      {"extra.idx", extra, false, "has bytes after the 24 values"},
      {"extra_gz.idx.gz", extra, true, "has bytes after the 24 values"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const std::string path = scratch.path(c.name);
    c.gzip ? write_gzip(path, c.bytes) : write_plain(path, c.bytes);
    const std::string message = usage_error_of([&] { read_idx_bytes(path, 3); });
    CHECK_THAT(message, Contains("'" + path + "'") && Contains(c.problem));
  }

  SECTION("a gzip stream cut short") {
    const std::string whole = scratch.path("whole.gz"), cut = scratch.path("cut.gz");
    write_gzip(whole, idx_bytes({50, 28, 28}, counting(50 * 28 * 28)));
    std::ifstream in(whole, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
    bytes.resize(bytes.size() / 2);
    std::ofstream(cut, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    CHECK_THAT(usage_error_of([&] { read_idx_bytes(cut, 3); }), Contains("'" + cut + "'") && Contains("truncated"));
  }
  SECTION("a missing file") {
    const std::string missing = scratch.path("missing.idx");
    CHECK_THAT(usage_error_of([&] { read_idx_bytes(missing, 3); }),
               Contains("'" + missing + "'") && Contains("No such file"));
  }
}

TEST_CASE("Fashion-MNIST reader: counts that disagree, bad labels, wrong image size, missing files", "[idx][fashion]") {
  ScratchDir scratch("fashion_bad");
  auto write_split = [&](const std::string& prefix, std::uint32_t images, std::uint32_t side, std::uint32_t labels,
                         unsigned char label) {
    write_gzip(scratch.path(prefix + "-images-idx3-ubyte.gz"), idx_bytes({images, side, side}, counting(images * side * side)));
    write_gzip(scratch.path(prefix + "-labels-idx1-ubyte.gz"), idx_bytes({labels}, std::vector<unsigned char>(labels, label)));
  };
  const std::string dir = scratch.dir.string();
  write_split("t10k", 2, 28, 2, 1);

  write_split("train", 3, 28, 3, 4);
  const Table small = read_fashion_mnist(dir);
  CHECK(small.rows() == 5);
  CHECK(small.cols() == 784);
  CHECK(small.features()(3, 5) == 5.0);  // t10k image 0, pixel 5
  CHECK(small.features()(1, 0) == 784 % 251);
  CHECK(small.labels()(0) == 4.0);
  CHECK(small.labels()(4) == 1.0);

  write_split("train", 3, 28, 2, 4);
  CHECK_THAT(usage_error_of([&] { read_fashion_mnist(dir); }),
             Contains("train-labels-idx1-ubyte.gz': 2 labels for the 3 images of '") && Contains("train-images-idx3-ubyte.gz"));
  write_split("train", 3, 28, 3, 10);
  CHECK_THAT(usage_error_of([&] { read_fashion_mnist(dir); }),
             Contains("train-labels-idx1-ubyte.gz': label 10 of image 0 is not a class 0..9"));
  write_split("train", 3, 27, 3, 4);
  CHECK_THAT(usage_error_of([&] { read_fashion_mnist(dir); }), Contains("images are 27 x 27, not 28 x 28"));

  fs::remove(scratch.path("train-images-idx3-ubyte.gz"));
  CHECK_THAT(usage_error_of([&] { read_fashion_mnist(dir); }),
             Contains("train-images-idx3-ubyte.gz' not found") && Contains("install the Debian package dataset-fashion-mnist") &&
                 Contains("apt-get install dataset-fashion-mnist"));
  CHECK_THAT(usage_error_of([&] { read_fashion_mnist(scratch.path("nowhere")); }), Contains("dataset-fashion-mnist"));
}

// The package is a declared dependency (jobs/install-deps.sh): its absence is a failure here.
TEST_CASE("Fashion-MNIST from the Debian package: 70000 x 784, 7000 per class, recorded checksums", "[fashion]") {
  const Table table = read_fashion_mnist();
  REQUIRE(table.rows() == 70000);
  REQUIRE(table.cols() == 784);
  CHECK(table.info().feature_shape == std::vector<int>{28, 28});
  for (int k = 0; k < 10; ++k) CHECK((table.labels().array() == k).count() == 7000);
  // Independent figures (Python over the same files): the first training image is an ankle boot
  // (9) with pixel sum 76247, the first test image (row 60000) one with sum 33456, the last a
  // sandal (5) with 24390; all pixels sum to 4004583251.
  CHECK(table.labels()(0) == 9);
  CHECK(table.features().row(0).sum() == 76247);
  CHECK(table.labels()(60000) == 9);
  CHECK(table.features().row(60000).sum() == 33456);
  CHECK(table.labels()(69999) == 5);
  CHECK(table.features().row(69999).sum() == 24390);
  CHECK(table.features().sum() == 4004583251.0);

  const auto& sources = table.info().provenance.sources;
  REQUIRE(sources.size() == 4);
  const std::uint32_t file_crcs[4] = {0x39b5f967u, 0x11c7bd79u, 0xf3050a72u, 0x8f874fbbu};  // zlib.crc32 of each file
  const std::uint64_t file_bytes[4] = {26421856, 29491, 4422079, 5125};
  for (int k = 0; k < 4; ++k) {
    CHECK(sources[k].crc32 == file_crcs[k]);
    CHECK(sources[k].bytes == file_bytes[k]);
  }
  CHECK_THAT(sources[0].path, Contains("train-images-idx3-ubyte.gz"));
  CHECK_THAT(sources[3].path, Contains("t10k-labels-idx1-ubyte.gz"));

  // The default pipeline (every class, x / 255) and a binary task (T-shirt/top -1 against Shirt
  // +1, pooled to 14 x 14): CRC-32 of the final doubles as numpy computes them.
  const Table all = apply_pipeline(table, PipelineConfig{});
  CHECK(all.info().label_kind == LabelKind::multiclass);
  CHECK(*all.info().provenance.features_crc32 == 0x4d7f41e3u);
  CHECK(*all.info().provenance.labels_crc32 == 0xd8b057cbu);
  PipelineConfig binary;
  binary.classes = {0, 6};
  binary.pool = 2;
  const Table shirts = apply_pipeline(table, binary);
  CHECK(shirts.rows() == 14000);
  CHECK(shirts.cols() == 196);
  CHECK(shirts.info().class_names == std::vector<std::string>{"T-shirt/top", "Shirt"});
  CHECK(*shirts.info().provenance.features_crc32 == 0xbd80f309u);
  CHECK(*shirts.info().provenance.labels_crc32 == 0xb44555b7u);
  CHECK(shirts.info().provenance.pipeline_text() ==
        "classes 0 (T-shirt/top) -> -1 [7000 rows], 6 (Shirt) -> +1 [7000 rows]: 14000 of 70000 rows; "
        "average pooling 2 x 2: 28 x 28 -> 14 x 14; scaling unit: (x - 0) / 255 (the format's value range [0, 255])");
}
