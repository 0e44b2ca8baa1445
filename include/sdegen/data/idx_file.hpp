// Reader of IDX files of unsigned bytes (the MNIST format: magic 0x0000 08 <rank>, big-endian
// 32-bit extents, then the values), gzip-compressed or plain, through zlib.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sdegen {

struct IdxArray {
  std::vector<std::uint32_t> shape;  // the extents, outermost first
  std::vector<std::uint8_t> values;  // row-major, as in the file
};

// Reads a whole IDX file of unsigned bytes and checks its magic number, that it has
// `expected_rank` dimensions and exactly as many values as they declare (neither fewer nor more).
// Every failure is a UsageError naming the file.
IdxArray read_idx_bytes(const std::string& path, int expected_rank);

}  // namespace sdegen
