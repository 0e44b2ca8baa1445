// One MPI_Gatherv of [id, length, data...] records, sent as the caller holds them and left in the
// receive buffer (no copy per item).
// Lengths travel as doubles (exact below 2^53); the total must fit MPI's int counts, checked.
#include <mpi.h>

#include <limits>
#include <stdexcept>

#include "sdegen/mpi/communicator.hpp"

namespace sdegen {

Communicator::Gathered Communicator::gather_items(const std::vector<double>& records, std::int64_t first_id,
                                                  int item_count) const {
  if (records.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw std::runtime_error("results of one rank exceed 2^31 numbers; use fewer steps or cells");
  Gathered out;
  if (uses_mpi_) {
    int count = static_cast<int>(records.size());
    std::vector<int> counts(is_root() ? size_ : 0), offsets;
    MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (is_root()) {
      long long total = 0;
      for (int c : counts) {
        offsets.push_back(static_cast<int>(total));
        total += c;
      }
      if (total > std::numeric_limits<int>::max())
        throw std::runtime_error("gathered results exceed 2^31 numbers; use fewer steps or cells");
      out.data.resize(static_cast<std::size_t>(total));
    }
    MPI_Gatherv(records.data(), count, MPI_DOUBLE, out.data.data(), counts.data(), offsets.data(), MPI_DOUBLE, 0,
                MPI_COMM_WORLD);
  } else {
    out.data = records;
  }
  if (!is_root()) return Gathered();
  out.offset.assign(static_cast<std::size_t>(item_count), 0);
  out.length.assign(static_cast<std::size_t>(item_count), 0);
  for (std::size_t pos = 0; pos < out.data.size();) {
    const auto id = static_cast<std::size_t>(static_cast<std::int64_t>(out.data[pos]) - first_id);
    const auto length = static_cast<std::size_t>(out.data[pos + 1]);
    out.offset.at(id) = pos + 2;
    out.length.at(id) = length;
    pos += 2 + length;
  }
  return out;
}

}  // namespace sdegen
