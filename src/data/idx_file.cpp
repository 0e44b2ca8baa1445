// IDX reading over zlib's gzopen/gzread, which read gzip files and plain files alike. The values
// are read in pieces so that a header declaring more data than the file holds costs no memory.
#include "sdegen/data/idx_file.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "sdegen/config/usage_error.hpp"

namespace sdegen {

namespace {

struct GzCloser {
  void operator()(gzFile_s* file) const { gzclose(file); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

// Reads up to `size` bytes; throws on a zlib error (corrupt or truncated compressed data).
std::size_t read_some(gzFile file, void* into, std::size_t size, const std::string& path) {
  const int got = gzread(file, into, static_cast<unsigned>(size));
  int code = Z_OK;
  const char* message = gzerror(file, &code);
  if (code == Z_BUF_ERROR) throw UsageError("'" + path + "': truncated (the compressed data ends early)");
  if (got < 0 || (code != Z_OK && code != Z_STREAM_END))
    throw UsageError("'" + path + "': cannot decompress (" + (message ? message : "zlib error") + ")");
  return static_cast<std::size_t>(got);
}

std::uint32_t big_endian(const unsigned char* bytes) {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) | bytes[3];
}

}  // namespace

IdxArray read_idx_bytes(const std::string& path, int expected_rank) {
  errno = 0;
  GzFile file(gzopen(path.c_str(), "rb"));
  if (!file) throw UsageError("'" + path + "': cannot open (" + std::strerror(errno ? errno : ENOMEM) + ")");
  gzbuffer(file.get(), 1 << 18);

  unsigned char magic[4];
  if (read_some(file.get(), magic, 4, path) != 4) throw UsageError("'" + path + "': too short for an IDX header");
  if (magic[0] != 0 || magic[1] != 0)
    throw UsageError("'" + path + "': not an IDX file (magic number starts with " + std::to_string(magic[0]) + " " +
                     std::to_string(magic[1]) + ", not 0 0)");
  if (magic[2] != 0x08)
    throw UsageError("'" + path + "': IDX value type " + std::to_string(magic[2]) + " is not 8 (unsigned byte)");
  if (magic[3] != expected_rank)
    throw UsageError("'" + path + "': IDX file of " + std::to_string(magic[3]) + " dimensions, expected " +
                     std::to_string(expected_rank));

  IdxArray array;
  std::vector<unsigned char> extents(4 * static_cast<std::size_t>(expected_rank));
  if (read_some(file.get(), extents.data(), extents.size(), path) != extents.size())
    throw UsageError("'" + path + "': truncated in the IDX header (" + std::to_string(expected_rank) + " extents)");
  std::uint64_t count = 1;
  for (int k = 0; k < expected_rank; ++k) {
    array.shape.push_back(big_endian(&extents[4 * k]));
    count *= array.shape.back();
    if (count > (std::uint64_t{1} << 40)) throw UsageError("'" + path + "': IDX header declares more than 2^40 values");
  }

  constexpr std::size_t kPiece = 1 << 22;
  while (array.values.size() < count) {
    const std::size_t have = array.values.size();
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(kPiece, count - have));
    array.values.resize(have + want);
    const std::size_t got = read_some(file.get(), array.values.data() + have, want, path);
    if (got < want)
      throw UsageError("'" + path + "': truncated: the header declares " + std::to_string(count) + " values, the file holds " +
                       std::to_string(have + got));
  }
  unsigned char extra[64];
  const std::size_t trailing = read_some(file.get(), extra, sizeof extra, path);
  if (trailing > 0)
    throw UsageError("'" + path + "': has bytes after the " + std::to_string(count) + " values its header declares");
  return array;
}

}  // namespace sdegen
