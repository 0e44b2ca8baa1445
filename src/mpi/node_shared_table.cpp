// One table per node through MPI-3 shared memory: split by node, the reader loads, every rank of
// the job agrees on success (one failure message for all), the reader's description is broadcast
// on the node, the numbers are copied once into a shared window that the others map.
#include "sdegen/mpi/node_shared_table.hpp"

#include <mpi.h>

#include <chrono>
#include <cstring>
#include <exception>
#include <optional>
#include <thread>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/data/pipeline.hpp"
#include "sdegen/data/table_info_bytes.hpp"

namespace sdegen {

namespace {

// The ranks sharing one copy and the window holding it. Freeing both is collective over those
// ranks, so it is skipped while an exception unwinds (other ranks may be elsewhere, and the job
// is ending) and after MPI_Finalize.
struct SharedCopy {
  MPI_Comm group = MPI_COMM_NULL;
  MPI_Win window = MPI_WIN_NULL;

  void release() {
    if (window != MPI_WIN_NULL) MPI_Win_free(&window);
    if (group != MPI_COMM_NULL) MPI_Comm_free(&group);
  }
  ~SharedCopy() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized && std::uncaught_exceptions() == 0) release();
  }
};

enum FailureKind : int { kNone = 0, kUsage = 1, kRuntime = 2 };

struct Failure {
  int kind = kNone;
  std::string message;
};

// Waits for a nonblocking collective, sleeping between tests so that ranks waiting for a reader
// leave the cores to it.
void wait_without_spinning(MPI_Request& request) {
  int done = 0;
  for (MPI_Test(&request, &done, MPI_STATUS_IGNORE); !done; MPI_Test(&request, &done, MPI_STATUS_IGNORE))
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

// Every rank learns the failure of the lowest failing rank, if any.
Failure agree_on_failure(const Failure& mine) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  struct {
    int ok, rank;
  } in{mine.kind == kNone ? 1 : 0, rank}, first{};
  MPI_Request request;
  MPI_Iallreduce(&in, &first, 1, MPI_2INT, MPI_MINLOC, MPI_COMM_WORLD, &request);
  wait_without_spinning(request);
  if (first.ok == 1) return {};
  int header[2] = {mine.kind, static_cast<int>(mine.message.size())};
  MPI_Bcast(header, 2, MPI_INT, first.rank, MPI_COMM_WORLD);
  std::string message = mine.message;
  message.resize(static_cast<std::size_t>(header[1]));
  MPI_Bcast(message.data(), header[1], MPI_CHAR, first.rank, MPI_COMM_WORLD);
  return {header[0], message};
}

[[noreturn]] void raise(const Failure& failure) {
  if (failure.kind == kUsage) throw UsageError(failure.message);
  throw std::runtime_error(failure.message);
}

Table with_checksums_if_missing(const Table& table) {
  const auto& p = table.info().provenance;
  return p.features_crc32 && p.labels_crc32 ? table : with_checksums(table);
}

// The ranks of this node, in groups of at most max_ranks (0: all of them).
MPI_Comm node_group(int max_ranks) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm node = MPI_COMM_NULL;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node);
  if (max_ranks <= 0) return node;
  int node_rank = 0;
  MPI_Comm_rank(node, &node_rank);
  MPI_Comm group = MPI_COMM_NULL;
  MPI_Comm_split(node, node_rank / max_ranks, node_rank, &group);
  MPI_Comm_free(&node);
  return group;
}

// "" when every copy in the job has the same shape and checksums, else what differs.
std::string compare_copies(const Table& table) {
  const auto& p = table.info().provenance;
  const long long mine[4] = {static_cast<long long>(table.rows()), static_cast<long long>(table.cols()),
                             static_cast<long long>(p.features_crc32.value_or(0)),
                             static_cast<long long>(p.labels_crc32.value_or(0))};
  long long both[8], extremes[8];  // minima of the values and of their negatives (the maxima)
  for (int k = 0; k < 4; ++k) {
    both[k] = mine[k];
    both[4 + k] = -mine[k];
  }
  MPI_Allreduce(both, extremes, 8, MPI_LONG_LONG, MPI_MIN, MPI_COMM_WORLD);
  static const char* kWhat[4] = {"rows", "columns", "features_crc32", "labels_crc32"};
  std::string difference;
  for (int k = 0; k < 4; ++k)
    if (extremes[k] != -extremes[4 + k])
      difference += (difference.empty() ? "" : ", ") + std::string(kWhat[k]) + " from " + std::to_string(extremes[k]) +
                    " to " + std::to_string(-extremes[4 + k]);
  return difference;
}

}  // namespace

Table load_once_per_node(const std::function<Table()>& load, const NodeSharing& sharing) {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (!initialized || finalized) return with_checksums_if_missing(load());

  auto copy = std::make_shared<SharedCopy>();
  copy->group = node_group(sharing.max_ranks_per_copy);
  int group_rank = 0, group_size = 1;
  MPI_Comm_rank(copy->group, &group_rank);
  MPI_Comm_size(copy->group, &group_size);
  const bool reader = group_rank == 0;

  Table loaded;
  Failure failure;
  if (reader) {
    try {
      loaded = with_checksums_if_missing(load());
    } catch (const UsageError& e) {
      failure = {kUsage, e.what()};
    } catch (const std::exception& e) {
      failure = {kRuntime, e.what()};
    } catch (...) {
      failure = {kRuntime, "unknown exception while loading a table"};
    }
  }
  const Failure agreed = agree_on_failure(failure);
  if (agreed.kind != kNone) {
    copy->release();  // every rank is here: the collective free is safe
    raise(agreed);
  }

  // The reader's description and shape, to every rank of the group.
  std::string info_bytes = reader ? pack_table_info(loaded.info()) : std::string();
  long long header[3] = {loaded.rows(), loaded.cols(), static_cast<long long>(info_bytes.size())};
  MPI_Bcast(header, 3, MPI_LONG_LONG, 0, copy->group);
  const Eigen::Index rows = header[0], cols = header[1];
  info_bytes.resize(static_cast<std::size_t>(header[2]));
  MPI_Bcast(info_bytes.data(), static_cast<int>(header[2]), MPI_CHAR, 0, copy->group);

  Table table;
  if (group_size == 1) {
    table = loaded;  // nobody to share with: keep the reader's own memory, no copy
  } else {
    const MPI_Aint values = reader ? static_cast<MPI_Aint>(rows * cols + rows) : 0;
    double* mine = nullptr;
    MPI_Win_allocate_shared(values * static_cast<MPI_Aint>(sizeof(double)), sizeof(double), MPI_INFO_NULL, copy->group,
                            &mine, &copy->window);
    MPI_Aint size = 0;
    int unit = 0;
    double* shared = nullptr;
    MPI_Win_shared_query(copy->window, 0, &size, &unit, &shared);
    // The reader's stores must be visible to the others before they read: sync, barrier, sync.
    MPI_Win_lock_all(MPI_MODE_NOCHECK, copy->window);
    if (reader) {
      std::memcpy(shared, loaded.features().data(), sizeof(double) * static_cast<std::size_t>(rows * cols));
      std::memcpy(shared + rows * cols, loaded.labels().data(), sizeof(double) * static_cast<std::size_t>(rows));
      loaded = Table();  // the private copy is no longer needed
    }
    MPI_Win_sync(copy->window);
    MPI_Barrier(copy->group);
    MPI_Win_sync(copy->window);
    MPI_Win_unlock_all(copy->window);
    table = Table(copy, shared, shared + rows * cols, rows, cols, unpack_table_info(info_bytes), group_size);
  }
  if (group_size == 1) copy->release();  // no window to keep alive; free the group now

  const std::string difference = compare_copies(table);
  if (!difference.empty()) {
    const std::string format = table.info().provenance.format;
    table = Table();  // every rank is here: releasing the shared copy is safe
    copy.reset();
    throw UsageError("the nodes read different tables (" + difference + "); every node must read the same files (" +
                     format + ")");
  }
  return table;
}

}  // namespace sdegen
