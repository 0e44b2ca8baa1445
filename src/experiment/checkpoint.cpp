// Checkpoint files (HDF5, format "sdegen-checkpoint" version 3): attributes run_key, item_count,
// merged_items and checksum (CRC-32 of the datasets, in this order); datasets items,
// state_offsets, states (finished items), merged_cells, and merged/cell_NNNN (rank 0's merged state).
#include "sdegen/experiment/checkpoint.hpp"

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/io/checksum.hpp"
#include "sdegen/io/h5_memory_file.hpp"
#include "sdegen/io/h5_read.hpp"
#include "sdegen/io/h5_write.hpp"
#include "sdegen/io/output_paths.hpp"

namespace sdegen {

namespace {

volatile std::sig_atomic_t stop_flag = 0;
volatile std::sig_atomic_t announce_stop = 0;

// Async-signal-safe: a flag, write(2), and for a second Ctrl-C the default action.
void on_stop_signal(int signal) {
  if (signal == SIGINT && stop_flag != 0) {
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
    return;
  }
  stop_flag = 1;
  if (announce_stop != 0 && (signal == SIGINT || signal == SIGHUP)) {
    const char message[] = "\nsdegen: stopping after the current replicate to write a checkpoint"
                           " (Ctrl-C again quits without one)\n";
    [[maybe_unused]] const auto written = ::write(STDERR_FILENO, message, sizeof message - 1);
  }
}

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

void write_part(const std::string& temporary, const CheckpointContent& content) {
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
  file.write_to(temporary);
}

// The header of a part: checked against this run; returns its merged_items.
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

// Reads one part whole, verifies its checksum, and adds its items at or beyond `merged_items`
// (and its merged state, when `take_merged`) to `out`.
void read_part(const std::string& path, const std::string& directory, std::int64_t item_count, bool take_merged,
               RestoredCheckpoint& out) {
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

}  // namespace

std::string checkpoint_directory(const std::string& output_file) { return checkpoint_directory_of(output_file); }

void write_checkpoint_part(const std::string& directory, int rank, const CheckpointContent& content) {
  h5::silence_error_printing();
  const std::string path = directory + "/" + checkpoint_part_name(rank);
  const std::string temporary = temporary_name(path, getpid());
  std::error_code error;
  const bool created = !std::filesystem::exists(directory, error);
  try {
    std::filesystem::create_directories(directory, error);
    if (error) throw std::runtime_error(error.message());
    write_part(temporary, content);
    if (std::rename(temporary.c_str(), path.c_str()) != 0) throw std::runtime_error(std::strerror(errno));
  } catch (const std::exception& e) {
    std::remove(temporary.c_str());
    if (created) std::filesystem::remove_all(directory, error);  // no empty checkpoint to trip a later run
    std::string reason = e.what();
    if (reason.rfind("HDF5: ", 0) == 0) reason = reason.substr(6);
    throw std::runtime_error("cannot write checkpoint '" + path + "': " + reason);
  }
}

RestoredCheckpoint read_checkpoint(const std::string& directory, const std::string& run_key, std::int64_t item_count) {
  if (!std::filesystem::is_directory(directory))
    throw UsageError("option '--resume': no checkpoint at '" + directory + "'");
  h5::silence_error_printing();
  std::vector<std::string> parts;
  for (const auto& entry : std::filesystem::directory_iterator(directory))
    if (entry.path().extension() == ".h5") parts.push_back(entry.path().string());
  std::sort(parts.begin(), parts.end());
  if (parts.empty()) throw UsageError("option '--resume': checkpoint '" + directory + "' holds no part");
  // Every failure names the part it is about.
  auto guarded = [](const std::string& path, const auto& action) {
    try {
      return action();
    } catch (const UsageError&) {
      throw;
    } catch (const std::exception& e) {
      throw UsageError("cannot read checkpoint '" + path + "': " + e.what());
    }
  };
  // The part with the most merged items supplies the merged state; every part its items beyond.
  std::vector<std::int64_t> merged(parts.size());
  for (std::size_t k = 0; k < parts.size(); ++k)
    merged[k] = guarded(parts[k], [&] {
      if (h5::is_hdf5_file(parts[k]) != 1) throw UsageError("checkpoint '" + parts[k] + "' is not an HDF5 file");
      h5::Handle file = h5::open_file_read_only(parts[k]);
      return check_header(file.id(), parts[k], directory, run_key, item_count);
    });
  RestoredCheckpoint restored;
  const auto best = static_cast<std::size_t>(std::max_element(merged.begin(), merged.end()) - merged.begin());
  restored.merged_items = merged[best];
  for (std::size_t k = 0; k < parts.size(); ++k)
    guarded(parts[k], [&] { read_part(parts[k], directory, item_count, k == best, restored); });
  return restored;
}

void remove_checkpoint(const std::string& directory) {
  std::error_code ignored;
  std::filesystem::remove_all(directory, ignored);
}

void install_stop_signals(bool announce) {
  announce_stop = announce ? 1 : 0;
  for (int signal : {SIGTERM, SIGUSR1, SIGINT, SIGHUP}) std::signal(signal, on_stop_signal);
}

bool stop_requested() { return stop_flag != 0; }

}  // namespace sdegen
