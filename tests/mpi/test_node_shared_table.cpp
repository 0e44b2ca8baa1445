// One table copy per node under mpiexec at 1, 2 and 3 ranks: identical bytes on every rank, one
// memory shared by a node's ranks (a write seen by all, resident memory counted once), and a load
// error that reaches every rank of every node as the same message, never a hang.
#include <catch2/catch.hpp>
#include <mpi.h>

#include <cstring>
#include <fstream>
#include <string>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/data/fashion_mnist.hpp"
#include "sdegen/data/pipeline.hpp"
#include "sdegen/io/checksum.hpp"
#include "sdegen/mpi/node_shared_table.hpp"

using namespace sdegen;

namespace {

int world_rank() {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}
int world_size() {
  int size = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size;
}

// The same value on every rank?
bool same_everywhere(long long value) {
  long long low = 0, high = 0;
  MPI_Allreduce(&value, &low, 1, MPI_LONG_LONG, MPI_MIN, MPI_COMM_WORLD);
  MPI_Allreduce(&value, &high, 1, MPI_LONG_LONG, MPI_MAX, MPI_COMM_WORLD);
  return low == high;
}

long long sum_everywhere(long long value) {
  long long total = 0;
  MPI_Allreduce(&value, &total, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
  return total;
}

// This process's resident memory in kB: "Rss" counts shared pages fully, "Pss" divides them
// among the processes that map them, so the Pss of a node's ranks adds up to one copy.
long long resident_kb(const std::string& field) {
  std::ifstream status("/proc/self/smaps_rollup");
  std::string key;
  long long kb = 0;
  while (status >> key) {
    if (key == field + ":") {
      status >> kb;
      return kb;
    }
    status.ignore(1 << 20, '\n');
  }
  return -1;
}

std::uint32_t crc_of(const Table& table) {
  const auto bytes = [](Eigen::Index n) { return static_cast<std::size_t>(n) * sizeof(double); };
  return crc32_bytes(table.labels().data(), bytes(table.rows()),
                     crc32_bytes(table.features().data(), bytes(table.features().size())));
}

// Rows (r + rank-independent pattern) so every reader builds the same table.
Table synthetic(Eigen::Index rows, Eigen::Index cols, double offset = 0) {
  RowMatrix features = RowMatrix::NullaryExpr(rows, cols, [](Eigen::Index i, Eigen::Index j) { return double(i) - 0.5 * j; });
  features.array() += offset;
  TableInfo info;
  info.feature_shape = {static_cast<int>(cols)};
  info.provenance.format = "synthetic";
  info.provenance.pipeline = {"none"};
  return Table(std::move(features), Eigen::VectorXd::LinSpaced(rows, 0, 1), std::move(info));
}

}  // namespace

TEST_CASE("Fashion-MNIST shared per node: identical bytes on every rank, one resident copy") {
  const long long pss_before = resident_kb("Pss"), rss_before = resident_kb("Rss");
  PipelineConfig config;
  config.pool = 2;
  const double start = MPI_Wtime();
  {
    const Table table = load_once_per_node([&] { return apply_pipeline(read_fashion_mnist(), config); });
    const double seconds = MPI_Wtime() - start;
    REQUIRE(table.rows() == 70000);
    REQUIRE(table.cols() == 196);
    CHECK(table.shared_by() == world_size());  // one machine: one node
    // The bytes every rank sees: the checksums the reader recorded, numpy's figure, and equal on all ranks.
    CHECK(crc32_bytes(table.features().data(), 70000 * 196 * sizeof(double)) == 0x40b57a2au);
    CHECK(*table.info().provenance.features_crc32 == 0x40b57a2au);
    CHECK(*table.info().provenance.labels_crc32 == 0xd8b057cbu);
    CHECK(same_everywhere(crc_of(table)));
    CHECK(same_everywhere(std::hash<std::string>{}(table.info().provenance.pipeline_text())));

    const long long table_kb = (table.rows() * (table.cols() + 1) * 8) / 1024;
    const long long pss_growth = sum_everywhere(resident_kb("Pss") - pss_before);
    const long long rss_growth = sum_everywhere(resident_kb("Rss") - rss_before);
    if (world_rank() == 0)
      std::printf("shared table: %lld kB; over %d ranks resident growth Rss %lld kB, Pss %lld kB; load %.2f s\n", table_kb,
                  world_size(), rss_growth, pss_growth, seconds);
    // One copy per node (plus the Fashion-MNIST reader's freed heap and Catch's own), not one per rank.
    CHECK(pss_growth < table_kb + 40 * 1024);
    CHECK(pss_growth > table_kb - 1024);
    MPI_Barrier(MPI_COMM_WORLD);
  }
}

TEST_CASE("a node's ranks map the same memory: a write by the reader is seen by all") {
  const Table table = load_once_per_node([] { return synthetic(1000, 50); });
  REQUIRE(table.shared_by() == world_size());
  const double original = table.features()(999, 49);
  CHECK(original == 999 - 0.5 * 49);
  MPI_Barrier(MPI_COMM_WORLD);
  // The table is immutable for its users; the test writes through the mapping on purpose.
  auto* writable = const_cast<double*>(table.features().data());
  if (world_rank() == 0) writable[999 * 50 + 49] = -12345.0;
  MPI_Barrier(MPI_COMM_WORLD);
  const double seen = table.features()(999, 49);
  MPI_Barrier(MPI_COMM_WORLD);
  if (world_rank() == 0) writable[999 * 50 + 49] = original;
  CHECK((world_size() == 1 || seen == -12345.0));
  MPI_Barrier(MPI_COMM_WORLD);
  CHECK(table.features()(999, 49) == original);
}

TEST_CASE("copies per group of ranks (nodes emulated): every group has its own copy, the same bytes") {
  const Table table = load_once_per_node([] { return synthetic(300, 7); }, NodeSharing{2});
  const int expected_group = (world_rank() / 2 == (world_size() - 1) / 2) ? world_size() - 2 * (world_rank() / 2) : 2;
  CHECK(table.shared_by() == expected_group);
  CHECK(same_everywhere(crc_of(table)));
  CHECK(crc_of(table) == crc_of(synthetic(300, 7)));
}

TEST_CASE("a load error on one node's reader reaches every rank of every node as the same message") {
  // Groups of two ranks act as nodes; the reader of the last group fails, the others succeed.
  const int failing_reader = (world_size() - 1) / 2 * 2;
  auto load = [&](bool usage) {
    return [=]() -> Table {
      if (world_rank() != failing_reader) return synthetic(100, 3);
      const std::string message = "'table.csv': row 3, column 2 ('b'): 'x' is not a number (read on rank " +
                                  std::to_string(failing_reader) + ")";
      if (usage) throw UsageError(message);
      throw std::runtime_error(message);
    };
  };
  std::string caught;
  try {
    load_once_per_node(load(true), NodeSharing{2});
  } catch (const UsageError& e) {
    caught = e.what();
  }
  CHECK(caught == "'table.csv': row 3, column 2 ('b'): 'x' is not a number (read on rank " + std::to_string(failing_reader) + ")");
  CHECK(same_everywhere(crc32_bytes(caught.data(), caught.size())));

  std::string runtime;
  bool was_usage = false;
  try {
    load_once_per_node(load(false), NodeSharing{2});
  } catch (const UsageError&) {
    was_usage = true;
  } catch (const std::runtime_error& e) {
    runtime = e.what();
  }
  CHECK_FALSE(was_usage);
  CHECK(runtime == caught);

  // A real reader's error: the file is missing on every node.
  std::string missing;
  try {
    load_once_per_node([] { return read_fashion_mnist("/nonexistent/fashion-mnist"); });
  } catch (const UsageError& e) {
    missing = e.what();
  }
  CHECK(missing.find("install the Debian package dataset-fashion-mnist") != std::string::npos);
  CHECK(same_everywhere(crc32_bytes(missing.data(), missing.size())));

  // Afterwards the ranks still work together: a good load succeeds.
  CHECK(load_once_per_node([] { return synthetic(10, 2); }).rows() == 10);
}

TEST_CASE("nodes that read different tables are told so, on every rank") {
  std::string caught;
  try {
    load_once_per_node([] { return synthetic(20, 3, world_rank()); }, NodeSharing{1});
  } catch (const UsageError& e) {
    caught = e.what();
  }
  if (world_size() == 1) {
    CHECK(caught.empty());
  } else {
    CHECK(caught.find("the nodes read different tables (features_crc32 from") != std::string::npos);
    CHECK(same_everywhere(crc32_bytes(caught.data(), caught.size())));
  }
}
