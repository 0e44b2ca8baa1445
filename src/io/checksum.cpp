// CRC-32 through zlib, fed in chunks because zlib's length argument is a 32-bit unsigned int.
// One implementation for every checksum sdegen writes or verifies.
#include "sdegen/io/checksum.hpp"

#include <zlib.h>

#include <algorithm>

namespace sdegen {

std::uint32_t crc32_bytes(const void* data, std::size_t size, std::uint32_t previous) {
  uLong crc = previous;
  const auto* bytes = static_cast<const Bytef*>(data);
  constexpr std::size_t kChunk = 1u << 30;
  while (size > 0) {
    const std::size_t part = std::min(size, kChunk);
    crc = crc32(crc, bytes, static_cast<uInt>(part));
    bytes += part;
    size -= part;
  }
  return static_cast<std::uint32_t>(crc);
}

std::uint32_t crc32_doubles(const std::vector<double>& values, std::uint32_t previous) {
  return crc32_bytes(values.data(), values.size() * sizeof(double), previous);
}

}  // namespace sdegen
