// Checkpoint part files: attributes format, format_version, run_key, item_count, merged_items and
// checksum (CRC-32 of the datasets, in this order); datasets items, state_offsets, states (finished
// items), merged_cells, and merged/cell_NNNN (rank 0's merged state, the total then each group).
#include "sdegen/io/checkpoint_file.hpp"

#include <cstdio>
#include <map>
#include <vector>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/io/checksum.hpp"
#include "sdegen/io/h5_memory_file.hpp"
#include "sdegen/io/h5_read.hpp"
#include "sdegen/io/h5_write.hpp"

namespace sdegen {

namespace {

constexpr const char* kFormat = "sdegen-checkpoint";
constexpr std::int64_t kVersion = 3;

std::string merged_name(int cell) {
  char name[32];
  std::snprintf(name, sizeof name, "cell_%04d", cell);
  return name;
}

std::uint32_t crc_of(const std::vector<std::int64_t>& values, std::uint32_t crc) {
  return crc32_bytes(values.data(), values.size() * sizeof(std::int64_t), crc);
}

// The header of an open part, checked against this run; returns its merged_items.
std::int64_t check_header(hid_t file, const std::string& path, const std::string& directory,
                          const std::string& run_key, std::int64_t item_count) {
  if (!h5::has_attribute(file, "format") || h5::read_string_attribute(file, "format") != kFormat ||
      h5::read_integer_attribute(file, "format_version") != kVersion)
    throw UsageError("'" + path + "' is not an sdegen checkpoint of format version " + std::to_string(kVersion) +
                     ": delete '" + directory + "', or run without option '--resume' and with option "
                     "'output.overwrite', which discards it");
  if (h5::read_string_attribute(file, "run_key") != run_key ||
      h5::read_integer_attribute(file, "item_count") != item_count)
    throw UsageError("checkpoint '" + path + "' is of another run: its config or --cells part differs from "
                     "this one (resume with the options of the interrupted run)");
  const std::int64_t merged = h5::read_integer_attribute(file, "merged_items");
  if (merged < 0 || merged > item_count) throw UsageError("checkpoint '" + path + "' is inconsistent (merged_items)");
  return merged;
}

}  // namespace

void write_checkpoint_file(const std::string& path, const CheckpointContent& content) {
  std::vector<std::int64_t> ids, state_offsets{0}, merged_cells;
  std::vector<double> states;
  for (const ItemSpan& item : content.items) {
    ids.push_back(item.id);
    states.insert(states.end(), item.data, item.data + item.size);
    state_offsets.push_back(static_cast<std::int64_t>(states.size()));
  }
  for (const auto& entry : content.merged) merged_cells.push_back(entry.first);
  h5::MemoryFile file;  // written to disk in one go: a full disk fails a plain write
  h5::write_attribute(file.id(), "format", std::string(kFormat));
  h5::write_attribute(file.id(), "format_version", kVersion);
  h5::write_attribute(file.id(), "run_key", content.run_key);
  h5::write_attribute(file.id(), "item_count", content.item_count);
  h5::write_attribute(file.id(), "merged_items", content.merged_items);
  h5::write_dataset(file.id(), "items", ids);
  h5::write_dataset(file.id(), "state_offsets", state_offsets);
  h5::write_dataset(file.id(), "states", states);
  h5::write_dataset(file.id(), "merged_cells", merged_cells);
  std::uint32_t crc = crc_of(merged_cells, crc32_doubles(states, crc_of(state_offsets, crc_of(ids, 0))));
  states.clear();
  states.shrink_to_fit();
  {
    h5::Handle group = h5::create_group(file.id(), "merged");
    for (const auto& [cell, result] : content.merged) {  // rows: the total, then each jackknife group
      std::vector<double> row;
      result->total.pack(row);
      h5::Handle matrix = h5::create_matrix(group.id(), merged_name(cell), result->groups.size() + 1, row.size());
      for (std::size_t r = 0; r <= result->groups.size(); ++r) {  // one row at a time besides the file
        if (r > 0) {
          row.clear();
          result->groups[r - 1].pack(row);
        }
        h5::write_row(matrix.id(), r, row);
        crc = crc32_doubles(row, crc);
      }
    }
  }
  h5::write_attribute(file.id(), "checksum", static_cast<std::int64_t>(crc));
  file.write_to(path);
}

void read_checkpoint_file(const std::string& path, const std::string& directory, std::int64_t item_count,
                          bool take_merged, RestoredCheckpoint& out) {
  h5::Handle file = h5::open_file_read_only(path);
  const auto ids = h5::read_integer_dataset(file.id(), "items");
  const auto state_offsets = h5::read_integer_dataset(file.id(), "state_offsets");
  const auto states = h5::read_real_dataset(file.id(), "states");
  const auto merged_cells = h5::read_integer_dataset(file.id(), "merged_cells");
  if (state_offsets.size() != ids.size() + 1 || state_offsets.front() != 0 ||
      static_cast<std::size_t>(state_offsets.back()) != states.size())
    throw UsageError("checkpoint '" + path + "' is inconsistent (truncated?)");
  for (std::size_t k = 0; k + 1 < state_offsets.size(); ++k)
    if (state_offsets[k] > state_offsets[k + 1]) throw UsageError("checkpoint '" + path + "' is inconsistent");
  std::uint32_t crc = crc_of(merged_cells, crc32_doubles(states, crc_of(state_offsets, crc_of(ids, 0))));
  std::map<int, std::vector<std::vector<double>>> merged;
  h5::Handle group(H5Gopen2(file.id(), "merged", H5P_DEFAULT), H5Gclose, "open group merged");
  for (const auto cell : merged_cells) {
    std::vector<hsize_t> dims;
    const std::vector<double> rows = h5::read_real_dataset(group.id(), merged_name(static_cast<int>(cell)), &dims);
    crc = crc32_doubles(rows, crc);
    if (!take_merged) continue;
    if (dims.size() != 2) throw UsageError("checkpoint '" + path + "' is inconsistent (merged state)");
    auto& cell_rows = merged[static_cast<int>(cell)];
    for (hsize_t r = 0; r < dims[0]; ++r)
      cell_rows.emplace_back(rows.begin() + static_cast<long>(r * dims[1]), rows.begin() + static_cast<long>((r + 1) * dims[1]));
  }
  if (!h5::has_attribute(file.id(), "checksum") ||
      h5::read_integer_attribute(file.id(), "checksum") != static_cast<std::int64_t>(crc))
    throw UsageError("checkpoint '" + path + "' is corrupted (its CRC-32 checksum does not match its data): "
                     "delete '" + directory + "', or run without option '--resume' and with option "
                     "'output.overwrite', which discards it");
  if (take_merged) out.merged = std::move(merged);
  for (std::size_t k = 0; k < ids.size(); ++k) {
    if (ids[k] < 0 || ids[k] >= item_count) throw UsageError("checkpoint '" + path + "' has an unknown block");
    if (ids[k] < out.merged_items) continue;  // already in the merged state
    out.items[ids[k]].assign(states.begin() + state_offsets[k], states.begin() + state_offsets[k + 1]);
  }
}

std::int64_t read_checkpoint_header(const std::string& path, const std::string& directory, const std::string& run_key,
                                    std::int64_t item_count) {
  if (h5::is_hdf5_file(path) != 1) throw UsageError("checkpoint '" + path + "' is not an HDF5 file");
  h5::Handle file = h5::open_file_read_only(path);
  return check_header(file.id(), path, directory, run_key, item_count);
}

void quiet_checkpoint_errors() { h5::silence_error_printing(); }

}  // namespace sdegen
