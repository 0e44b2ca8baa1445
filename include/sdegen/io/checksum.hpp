// CRC-32 (zlib's) of byte buffers and of double vectors: detects corrupted checkpoints, raw
// accumulator state and data tables when they are read back.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sdegen {

// CRC-32 of `size` bytes at `data`, continuing from `previous` (0 starts a new checksum).
std::uint32_t crc32_bytes(const void* data, std::size_t size, std::uint32_t previous = 0);

// CRC-32 of the bytes of a vector of doubles (native byte order, as stored in HDF5 here).
std::uint32_t crc32_doubles(const std::vector<double>& values, std::uint32_t previous = 0);

}  // namespace sdegen
