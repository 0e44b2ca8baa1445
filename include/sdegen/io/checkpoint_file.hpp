// One checkpoint part file (HDF5, format "sdegen-checkpoint" version 3): what a rank writes and
// what a part gives back, with its checksum verified. The directory of parts is experiment/checkpoint.hpp.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sdegen/stats/cell_result.hpp"

namespace sdegen {

// A finished block's packed statistics where they are held.
struct ItemSpan {
  std::int64_t id;
  const double* data;
  std::size_t size;
};

// What one rank writes, by reference (the states can be large).
struct CheckpointContent {
  std::string run_key;  // what identifies the run (config without [output], cells part)
  std::int64_t item_count = 0;
  std::int64_t merged_items = 0;                                            // items [0, merged_items) ...
  std::vector<std::pair<int, const CellResult*>> merged;                    // ... merged into these cells
  std::vector<ItemSpan> items;                                              // finished beyond them
};

// What a checkpoint directory holds: the most advanced merged state among its parts, and every
// finished item at or beyond it.
struct RestoredCheckpoint {
  std::int64_t merged_items = 0;
  std::map<int, std::vector<std::vector<double>>> merged;  // cell -> packed total, then each group
  std::map<std::int64_t, std::vector<double>> items;
};

// Writes `content` to `path`: built in memory, written in one go and synced (a full disk fails a
// plain write). Throws std::runtime_error with one line saying why; `path` may then be partial.
void write_checkpoint_file(const std::string& path, const CheckpointContent& content);

// The header of the part at `path`, checked against this run (`directory` is named in the
// messages): returns its merged_items. Throws UsageError when the file is not a checkpoint part of
// this format version, of this run_key and item_count.
std::int64_t read_checkpoint_header(const std::string& path, const std::string& directory, const std::string& run_key,
                                    std::int64_t item_count);

// Reads the part at `path` whole, verifies its checksum, and adds its items at or beyond
// out.merged_items (and its merged state, when `take_merged`) to `out`. Throws UsageError.
void read_checkpoint_file(const std::string& path, const std::string& directory, std::int64_t item_count,
                          bool take_merged, RestoredCheckpoint& out);

// HDF5's own error printing off (its messages become exceptions with one line each).
void quiet_checkpoint_errors();

}  // namespace sdegen
