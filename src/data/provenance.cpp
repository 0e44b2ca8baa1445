// File checksums and the comparison of two tables' provenance records: what makes two tables
// the same is their final numbers, shape, labels and pipeline, not where the files were.
#include "sdegen/data/provenance.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/io/checksum.hpp"

namespace sdegen {

SourceFile checksum_file(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!file) throw UsageError("'" + path + "': cannot open (" + std::strerror(errno) + ")");
  SourceFile source{path, 0, 0};
  std::vector<unsigned char> buffer(1 << 20);
  std::size_t got = 0;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), file.get())) > 0) {
    source.crc32 = crc32_bytes(buffer.data(), got, source.crc32);
    source.bytes += got;
  }
  if (std::ferror(file.get())) throw UsageError("'" + path + "': read error (" + std::strerror(errno) + ")");
  return source;
}

std::string TableProvenance::pipeline_text() const {
  if (pipeline.empty()) return "none";
  std::string text;
  for (const auto& step : pipeline) text += (text.empty() ? "" : "; ") + step;
  return text;
}

std::string crc32_hex(std::uint32_t crc) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", crc);
  return text;
}

std::string table_record_difference(const ProvenanceRecord& recorded, const ProvenanceRecord& current) {
  // Where the files were, how big they were and how they were stored do not make another table.
  static const char* kIdentity[] = {"shape", "labels", "pipeline", "features_crc32", "labels_crc32"};
  auto value = [](const ProvenanceRecord& record, const std::string& key) -> std::string {
    for (const auto& [k, v] : record)
      if (k == key) return v;
    return "(missing)";
  };
  std::string difference;
  for (const char* key : kIdentity) {
    const std::string a = value(recorded, key), b = value(current, key);
    if (a != b) difference += (difference.empty() ? "" : "; ") + std::string(key) + ": '" + a + "' recorded, '" + b + "' now";
  }
  return difference;
}

}  // namespace sdegen
