// Communicator over MPI_COMM_WORLD, or over this process alone. Broadcasts send the length
// first, so that variable-sized values need no agreement on sizes beforehand.
#include "sdegen/mpi/communicator.hpp"

#include <mpi.h>

#include "sdegen/config/usage_error.hpp"

namespace sdegen {

Communicator Communicator::world() {
  Communicator c;
  c.uses_mpi_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &c.rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &c.size_);
  return c;
}

Communicator Communicator::single() { return Communicator(); }

namespace {

template <class T>
void broadcast_buffer(std::vector<T>& values, MPI_Datatype type) {
  int length = static_cast<int>(values.size());
  MPI_Bcast(&length, 1, MPI_INT, 0, MPI_COMM_WORLD);
  values.resize(static_cast<std::size_t>(length));
  MPI_Bcast(values.data(), length, type, 0, MPI_COMM_WORLD);
}

}  // namespace

void Communicator::broadcast(std::string& value) const {
  if (!uses_mpi_) return;
  std::vector<char> buffer(value.begin(), value.end());
  broadcast_buffer(buffer, MPI_CHAR);
  value.assign(buffer.begin(), buffer.end());
}

void Communicator::broadcast(std::vector<double>& values) const {
  if (uses_mpi_) broadcast_buffer(values, MPI_DOUBLE);
}

void Communicator::broadcast(std::vector<int>& values) const {
  if (uses_mpi_) broadcast_buffer(values, MPI_INT);
}

void Communicator::sum(std::vector<double>& values) const {
  if (uses_mpi_ && !values.empty())
    MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
}

bool Communicator::any(bool flag) const {
  if (!uses_mpi_) return flag;
  int mine = flag ? 1 : 0, any = 0;
  MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return any != 0;
}

void Communicator::barrier() const {
  if (uses_mpi_) MPI_Barrier(MPI_COMM_WORLD);
}

int Communicator::ranks_on_node() const {
  if (!uses_mpi_) return 1;
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node);
  int size = 1;
  MPI_Comm_size(node, &size);
  MPI_Comm_free(&node);
  return size;
}

void Communicator::root_decides(const std::function<void()>& decide) const {
  std::string error;
  if (is_root()) {
    try {
      decide();
    } catch (const UsageError& e) {
      error = e.what();
    }
  }
  broadcast(error);
  if (!error.empty()) throw UsageError(error);
}

}  // namespace sdegen
