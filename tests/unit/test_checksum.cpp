// CRC-32 against the standard check value and chunked continuation; a flipped bit must show.
// The checksum guards checkpoints, raw accumulator state and data tables.
#include <catch2/catch.hpp>
#include <cstring>
#include <vector>

#include "sdegen/io/checksum.hpp"

using namespace sdegen;

TEST_CASE("CRC-32 matches the standard check value and continues across chunks", "[checksum]") {
  const char* text = "123456789";
  CHECK(crc32_bytes(text, 9) == 0xCBF43926u);
  CHECK(crc32_bytes(text + 4, 5, crc32_bytes(text, 4)) == 0xCBF43926u);
}

TEST_CASE("CRC-32 of doubles changes when one bit flips", "[checksum]") {
  std::vector<double> values = {1.0, -2.5, 3.25e-7, 4e100};
  const auto before = crc32_doubles(values);
  std::uint64_t bits;
  std::memcpy(&bits, &values[2], sizeof bits);
  bits ^= 1ull << 17;
  std::memcpy(&values[2], &bits, sizeof bits);
  CHECK(crc32_doubles(values) != before);
}
