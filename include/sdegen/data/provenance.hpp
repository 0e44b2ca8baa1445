// Where a table came from and what was done to it: the files read (with their CRC-32), the shape
// as read, the feature pipeline as text and the checksums of the final numbers.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sdegen {

// One file as stored on disk (a compressed file: its compressed bytes).
struct SourceFile {
  std::string path;
  std::uint64_t bytes = 0;
  std::uint32_t crc32 = 0;
};

// Size and CRC-32 of a whole file; throws UsageError naming the file when it cannot be read.
SourceFile checksum_file(const std::string& path);

struct TableProvenance {
  std::string format;  // how the sources were read, e.g. "csv"
  std::vector<SourceFile> sources;
  std::int64_t original_rows = 0;  // the table as read, before the pipeline
  std::int64_t original_cols = 0;
  std::vector<std::string> pipeline;  // the steps applied, in order, each with all its parameters
  // CRC-32 of the final features (row-major doubles) and labels (doubles); set by apply_pipeline.
  std::optional<std::uint32_t> features_crc32;
  std::optional<std::uint32_t> labels_crc32;

  std::string pipeline_text() const;  // the steps joined by "; ", or "none"
};

// A table's provenance as (key, value) text pairs in a fixed order (provenance_record in
// table.hpp), for results files and logs.
using ProvenanceRecord = std::vector<std::pair<std::string, std::string>>;

// "" when two records describe the same table (same shape, labels, pipeline and checksums of the
// final numbers; the source paths may differ), else the entries that differ, with both values.
std::string table_record_difference(const ProvenanceRecord& recorded, const ProvenanceRecord& current);

std::string crc32_hex(std::uint32_t crc);  // "0x" and eight lower-case hex digits

}  // namespace sdegen
