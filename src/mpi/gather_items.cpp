// One MPI_Gatherv of [id, length, data...] records. Lengths travel as doubles (exact below 2^53);
// the total must fit MPI's int counts, which we check rather than overflow.
#include <mpi.h>

#include <limits>
#include <stdexcept>

#include "sdegen/mpi/communicator.hpp"

namespace sdegen {

std::vector<std::vector<double>> Communicator::gather_items(
    const std::vector<std::pair<int, std::vector<double>>>& mine, int item_count) const {
  std::vector<double> send;
  for (const auto& [id, buffer] : mine) {
    send.push_back(id);
    send.push_back(static_cast<double>(buffer.size()));
    send.insert(send.end(), buffer.begin(), buffer.end());
  }
  if (send.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw std::runtime_error("results of one rank exceed 2^31 numbers; use fewer steps or cells");
  std::vector<double> received;
  if (uses_mpi_) {
    int count = static_cast<int>(send.size());
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
      received.resize(static_cast<std::size_t>(total));
    }
    MPI_Gatherv(send.data(), count, MPI_DOUBLE, received.data(), counts.data(), offsets.data(), MPI_DOUBLE, 0,
                MPI_COMM_WORLD);
  } else {
    received = std::move(send);
  }
  std::vector<std::vector<double>> items;
  if (!is_root()) return items;
  items.resize(static_cast<std::size_t>(item_count));
  for (std::size_t pos = 0; pos < received.size();) {
    const auto id = static_cast<std::size_t>(received[pos]);
    const auto length = static_cast<std::size_t>(received[pos + 1]);
    items.at(id).assign(received.begin() + pos + 2, received.begin() + pos + 2 + length);
    pos += 2 + length;
  }
  return items;
}

}  // namespace sdegen
