// The feature pipeline step by step against hand computations: pooling of a known image, the
// projection rebuilt from its seed and its second moments, scaling, class subsets and label
// encoding, checksums and provenance records; plus sampling from the finite population and the
// serial path of the node-shared loader.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <set>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/data/pipeline.hpp"
#include "sdegen/data/population.hpp"
#include "sdegen/data/table_info_bytes.hpp"
#include "sdegen/io/checksum.hpp"
#include "sdegen/mpi/node_shared_table.hpp"

using namespace sdegen;
using Catch::Matchers::Contains;

namespace {

std::string usage_error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const UsageError& e) {
    return e.what();
  }
  FAIL("no UsageError");
  return "";
}

// Two 4 x 4 images: pixel (i, j) is 4 i + j in the first and 100 plus that in the second;
// class codes 3 and 5; declared range [0, 255].
Table two_images() {
  RowMatrix features(2, 16);
  for (int p = 0; p < 16; ++p) {
    features(0, p) = p;
    features(1, p) = 100 + p;
  }
  TableInfo info;
  info.label_kind = LabelKind::class_code;
  info.class_codes = {3, 5};
  info.class_names = {"three", "five"};
  info.feature_shape = {4, 4};
  info.value_range = std::make_pair(0.0, 255.0);
  return Table(features, Eigen::Vector2d(3, 5), info);
}

// Rows (r, 2 r, 7) with class codes r % 4, r = 0..11.
Table small_table() {
  RowMatrix features(12, 3);
  Eigen::VectorXd labels(12);
  for (int r = 0; r < 12; ++r) {
    features.row(r) << r, 2 * r, 7;
    labels[r] = r % 4;
  }
  TableInfo info;
  info.label_kind = LabelKind::class_code;
  info.class_codes = {0, 1, 2, 3};
  info.class_names = {"a", "b", "c", "d"};
  info.feature_names = {"r", "twice", "seven"};
  info.feature_shape = {3};
  info.provenance.format = "test";
  return Table(features, labels, info);
}

}  // namespace

TEST_CASE("pooling averages each block of a known image", "[pipeline]") {
  const Table pooled = pool_images(two_images(), 2);
  REQUIRE(pooled.cols() == 4);
  CHECK(pooled.info().feature_shape == std::vector<int>{2, 2});
  // Blocks {0,1,4,5}, {2,3,6,7}, {8,9,12,13}, {10,11,14,15}.
  const Eigen::RowVector4d first(2.5, 4.5, 10.5, 12.5);
  CHECK(pooled.features().row(0) == first);
  CHECK(pooled.features().row(1) == (first.array() + 100).matrix());
  CHECK(pooled.labels() == two_images().labels());
  CHECK(pool_images(two_images(), 4).features()(0, 0) == 7.5);
  CHECK(pool_images(two_images(), 1).features() == two_images().features());
  CHECK_THAT(usage_error_of([] { pool_images(two_images(), 3); }), Contains("factor 3 does not divide the image size 4 x 4"));
  CHECK_THAT(usage_error_of([] { pool_images(small_table(), 2); }), Contains("pooling needs images"));
}

TEST_CASE("projection: rebuilt from its seed, entries of variance 1/k, P P^T near I", "[pipeline]") {
  const int d = 400, k = 100;
  const std::uint64_t seed = 2024;
  const RowMatrix P = projection_matrix(d, k, seed);
  // The same numbers straight from the stream: normals in row-major order, over sqrt(k).
  std::vector<double> normals(d * k);
  Stream stream(seed, 0, 0, Purpose::projection);
  stream.fill_normal(normals.data(), d * k);
  for (int j = 0; j < d; ++j)
    for (int m = 0; m < k; ++m) REQUIRE(P(j, m) == normals[j * k + m] / 10.0);
  CHECK(projection_matrix(d, k, seed) == P);
  CHECK((projection_matrix(d, k, seed + 1).array() == P.array()).count() == 0);

  // Over the d k = 40000 entries: mean 0 (sd 5e-4), mean square 1/k = 0.01 (sd 7.1e-5); the
  // diagonal of P P^T averages 1 (sd 0.0071), its off-diagonal entries 0 with mean square 1/k.
  const double count = d * k;
  CHECK(std::abs(P.mean()) < 5 * std::sqrt(1.0 / k / count));
  CHECK(std::abs(P.array().square().mean() - 1.0 / k) < 5 * std::sqrt(2.0 / (k * k) / count));
  const Eigen::MatrixXd gram = P * P.transpose();
  CHECK(std::abs(gram.diagonal().mean() - 1) < 5 * std::sqrt(2.0 / k / d));
  const double off_square = (gram.array().square().sum() - gram.diagonal().array().square().sum()) / (d * (d - 1.0));
  CHECK(std::abs(off_square - 1.0 / k) < 0.1 / k);

  const Table table = small_table();
  const Table projected = project_features(table, 5, 9);
  CHECK(projected.cols() == 5);
  CHECK((projected.features() - table.features() * projection_matrix(3, 5, 9)).cwiseAbs().maxCoeff() < 1e-12);
  CHECK(projected.info().feature_names.empty());
  CHECK_THAT(projected.info().provenance.pipeline.back(), Contains("gaussian projection 3 -> 5") && Contains("seed 9"));
}

TEST_CASE("scaling: by the declared range, per feature to [0, 1], standardized", "[pipeline]") {
  const Table unit_images = scale_features(two_images(), Scaling::unit);
  CHECK(unit_images.features()(1, 15) == 115.0 / 255);
  CHECK(unit_images.info().value_range == std::make_pair(0.0, 1.0));

  const Table table = small_table();
  const Table unit = scale_features(table, Scaling::unit);
  CHECK(unit.features()(11, 0) == 1.0);
  CHECK(unit.features()(0, 1) == 0.0);
  CHECK(unit.features()(3, 1) == 6.0 / 22);
  CHECK(unit.features().col(2).isZero(0));  // constant feature
  CHECK_THAT(unit.info().provenance.pipeline.back(), Contains("1 constant features set to 0"));

  const Table standard = scale_features(table, Scaling::standardize);
  const FeatureMoments m = feature_moments(standard);
  CHECK(m.mean.cwiseAbs().maxCoeff() < 1e-12);
  CHECK(std::abs(m.covariance(0, 0) - 1) < 1e-12);
  CHECK(std::abs(m.covariance(1, 1) - 1) < 1e-12);
  CHECK(std::abs(m.covariance(0, 1) - 1) < 1e-12);  // twice r is r, standardized
  CHECK(standard.features().col(2).isZero(0));
  // r = 0..11 has mean 5.5 and variance (144 - 1) / 12: row 0 is -5.5 / sqrt(143 / 12).
  CHECK(std::abs(standard.features()(0, 0) + 5.5 / std::sqrt(143.0 / 12)) < 1e-12);

  CHECK(scale_features(table, Scaling::none).features() == table.features());
}

TEST_CASE("class subsets: two classes are -1/+1 in the order listed, more are 0..K-1", "[pipeline]") {
  const Table table = small_table();
  const Table binary = select_classes(table, {2, 0});
  REQUIRE(binary.rows() == 6);
  CHECK(binary.info().label_kind == LabelKind::binary);
  CHECK(binary.info().class_codes == std::vector<std::int64_t>{2, 0});
  CHECK(binary.info().class_names == std::vector<std::string>{"c", "a"});
  // Rows 0, 2, 4, 6, 8, 10 in their order; code 2 -> -1, code 0 -> +1.
  for (int i = 0; i < 6; ++i) {
    CHECK(binary.features()(i, 0) == 2 * i);
    CHECK(binary.labels()(i) == (i % 2 == 0 ? 1 : -1));
  }
  const Table three = select_classes(table, {3, 1, 2});
  CHECK(three.info().label_kind == LabelKind::multiclass);
  CHECK(three.rows() == 9);
  CHECK(three.labels()(0) == 1);  // row 1, code 1
  CHECK(three.labels()(2) == 0);  // row 3, code 3
  const Table all = select_classes(table, {});
  CHECK(all.labels() == table.labels());
  CHECK(all.features().data() == table.features().data());  // every row kept: features shared
  CHECK(all.info().class_codes == std::vector<std::int64_t>{0, 1, 2, 3});

  CHECK_THAT(usage_error_of([&] { select_classes(table, {1, 7}); }),
             Contains("class 7 is not a class of the table (classes: 0, 1, 2, 3)"));
  CHECK_THAT(usage_error_of([&] { select_classes(table, {1, 1}); }), Contains("class 1 is listed twice"));
  CHECK_THAT(usage_error_of([&] { select_classes(table, {2}); }), Contains("the class subset lists 1"));
  PipelineConfig config;
  config.classes = {0, 1};
  const Table real = Table(table.features(), table.labels(), TableInfo{});
  CHECK_THAT(usage_error_of([&] { apply_pipeline(real, config); }), Contains("a class subset needs class labels"));
}

TEST_CASE("apply_pipeline: steps in order, recorded with their parameters, checksums of the result", "[pipeline]") {
  PipelineConfig config;
  config.classes = {5, 3};
  config.pool = 2;
  config.projection_dim = 3;
  config.projection_seed = 11;
  const Table out = apply_pipeline(two_images(), config);
  CHECK(out.cols() == 3);
  CHECK(out.labels() == Eigen::Vector2d(1, -1));
  const auto& p = out.info().provenance;
  REQUIRE(p.pipeline.size() == 4);
  CHECK_THAT(p.pipeline[0], Contains("classes 5 (five) -> -1 [1 rows], 3 (three) -> +1 [1 rows]"));
  CHECK_THAT(p.pipeline[1], Contains("average pooling 2 x 2: 4 x 4 -> 2 x 2"));
  CHECK_THAT(p.pipeline[2], Contains("scaling unit: (x - 0) / 255"));
  CHECK_THAT(p.pipeline[3], Contains("gaussian projection 4 -> 3") && Contains("seed 11"));
  // By hand: the pooled first image (row 0, code 3, label +1) is (2.5, 4.5, 10.5, 12.5), scaled by 1/255, then projected.
  const Eigen::RowVector4d pooled(2.5, 4.5, 10.5, 12.5);
  const Eigen::RowVectorXd expected = (pooled / 255) * projection_matrix(4, 3, 11);
  CHECK((out.features().row(0) - expected).cwiseAbs().maxCoeff() < 1e-14);
  CHECK(*p.features_crc32 == crc32_bytes(out.features().data(), 6 * sizeof(double)));
  CHECK(*p.labels_crc32 == crc32_bytes(out.labels().data(), 2 * sizeof(double)));

  CHECK_THAT(usage_error_of([] { apply_pipeline(two_images(), PipelineConfig{{}, 0}); }), Contains("pooling factor must be at least 1"));
}

TEST_CASE("provenance records tell the same table from a different one", "[pipeline]") {
  const Table table = apply_pipeline(small_table(), PipelineConfig{});
  const ProvenanceRecord record = provenance_record(table);
  REQUIRE(record.size() == 8);
  CHECK(record[0].first == "format");
  CHECK(record[4] == std::make_pair(std::string("labels"), std::string("multiclass (0..K-1): 0 = a (code 0), 1 = b (code 1), "
                                                                          "2 = c (code 2), 3 = d (code 3)")));
  CHECK(table_record_difference(record, provenance_record(apply_pipeline(small_table(), PipelineConfig{}))).empty());

  ProvenanceRecord moved = record;  // the same table read from elsewhere
  moved[1].second = "/elsewhere/table.csv (10 bytes, crc32 0x00000000)";
  CHECK(table_record_difference(record, moved).empty());

  PipelineConfig standardize;
  standardize.scaling = Scaling::standardize;
  const std::string difference = table_record_difference(record, provenance_record(apply_pipeline(small_table(), standardize)));
  CHECK_THAT(difference, Contains("pipeline: '") && Contains("features_crc32: '"));
  CHECK_THAT(difference, !Contains("labels_crc32"));
}

TEST_CASE("table information survives packing into bytes", "[pipeline]") {
  PipelineConfig config;
  config.classes = {3, 5};
  const Table table = apply_pipeline(two_images(), config);
  TableInfo info = table.info();
  info.provenance.sources = {{"a b.csv", 123, 0xdeadbeefu}, {"c", 0, 1}};
  info.feature_names = {"x", "", "z"};
  const TableInfo back = unpack_table_info(pack_table_info(info));
  CHECK(pack_table_info(back) == pack_table_info(info));
  CHECK(back.provenance.sources[0].crc32 == 0xdeadbeefu);
  CHECK(back.value_range == info.value_range);
  CHECK(back.provenance.features_crc32 == info.provenance.features_crc32);
  CHECK(back.class_names == info.class_names);
  std::string cut = pack_table_info(info);
  cut.pop_back();
  CHECK_THROWS_AS(unpack_table_info(cut), std::runtime_error);
}

TEST_CASE("the finite population: rows drawn uniformly with replacement, gathered exactly", "[population]") {
  const Table table = small_table();
  Stream stream(5, 0, 0, Purpose::data);
  const Eigen::VectorXi rows = draw_row_indices(table.rows(), 120000, stream);
  // Each of the 12 rows: 10000 draws expected, sd sqrt(120000 (1/12)(11/12)) = 95.7.
  for (int r = 0; r < 12; ++r) CHECK(std::abs((rows.array() == r).count() - 10000.0) < 5 * 95.7);
  Stream again(5, 0, 0, Purpose::data);
  CHECK(draw_row_indices(table.rows(), 120000, again) == rows);

  const Eigen::VectorXi twelve = rows.head(12);
  CHECK(std::set<int>(twelve.data(), twelve.data() + 12).size() < 12);  // with replacement: repeats
  const Dataset data = gather_rows(table, twelve);
  for (int i = 0; i < 12; ++i) {
    CHECK(data.X(i, 0) == twelve[i]);
    CHECK(data.X(i, 1) == 2 * twelve[i]);
    CHECK(data.y[i] == twelve[i] % 4);
  }
}

// unit_tests never initialise MPI: the loader then runs `load` itself.
TEST_CASE("load_once_per_node without MPI: the loaded table with checksums, errors as thrown", "[population]") {
  const Table table = load_once_per_node([] { return small_table(); });
  CHECK(table.shared_by() == 1);
  CHECK(table.features() == small_table().features());
  CHECK(*table.info().provenance.features_crc32 == crc32_bytes(table.features().data(), 36 * sizeof(double)));
  CHECK_THAT(usage_error_of([] { load_once_per_node([]() -> Table { throw UsageError("'x.csv': row 3: bad"); }); }),
             Contains("'x.csv': row 3: bad"));
}
