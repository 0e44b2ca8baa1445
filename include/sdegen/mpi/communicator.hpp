// The one door to MPI: rank and size, broadcasts from rank 0, collective decisions and the
// gather of packed blocks. No header includes <mpi.h>; only src/mpi/ calls MPI.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace sdegen {

class Communicator {
 public:
  // Every process of the MPI job (needs a live MpiSession).
  static Communicator world();
  // This process alone, without MPI: for commands that never initialise it, and for tests.
  static Communicator single();

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool is_root() const { return rank_ == 0; }

  // Rank 0's value on every rank (collective).
  void broadcast(std::string& value) const;
  void broadcast(std::vector<double>& values) const;
  void broadcast(std::vector<int>& values) const;
  bool any(bool flag) const;  // true on every rank when it is true on one
  // The element-wise sum over ranks, on every rank (collective; the order of the sum is MPI's:
  // use it for timings, never for results).
  void sum(std::vector<double>& values) const;
  void barrier() const;
  // How many ranks of this job share this rank's node (and so its memory); collective.
  int ranks_on_node() const;

  // Runs `decide` on rank 0 only. A UsageError it throws is thrown on every rank with the same
  // message, so that all ranks leave with the same exit code and none waits for the others.
  void root_decides(const std::function<void()>& decide) const;

  // records: this rank's items as [id, length, data...] records (the id and length as doubles),
  // ids in [first_id, first_id + item_count). On rank 0 returns every rank's records in one
  // received block, each item's data located by id - first_id; elsewhere an empty result.
  struct Gathered {
    std::vector<double> data;
    std::vector<std::size_t> offset, length;  // by id - first_id (length 0: no rank sent it)
  };
  Gathered gather_items(const std::vector<double>& records, std::int64_t first_id, int item_count) const;

 private:
  bool uses_mpi_ = false;
  int rank_ = 0, size_ = 1;
};

// MPI_Init for the lifetime of the object, MPI_Finalize after. Only `sdegen run` starts one:
// report, merge and --version work where a site refuses MPI programs outside its launcher.
class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  static bool active();
  // Ends every process of the job with `code` (an error on one rank must never hang the others).
  [[noreturn]] static void abort(int code);
};

// The rank a parallel launcher gave this process (mpirun, srun), read from its environment
// without initialising MPI; 0 when none did. Commands without MPI act only on rank 0.
int launcher_rank();

// The MPI library's version line (for provenance); callable without an MpiSession.
std::string mpi_library_version();

}  // namespace sdegen
