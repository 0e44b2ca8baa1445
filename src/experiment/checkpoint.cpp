// Checkpoint files (HDF5, format "sdegen-checkpoint" version 2): attributes run_key, item_count
// and checksum (CRC-32 of the datasets); datasets items, state_offsets, states, kept_offsets, kept.
#include "sdegen/experiment/checkpoint.hpp"

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/io/checksum.hpp"
#include "sdegen/io/h5_read.hpp"
#include "sdegen/io/h5_write.hpp"
#include "sdegen/io/output_paths.hpp"

namespace sdegen {

namespace {

volatile std::sig_atomic_t stop_flag = 0;
void on_stop_signal(int) { stop_flag = 1; }

constexpr const char* kFormat = "sdegen-checkpoint";
constexpr std::int64_t kVersion = 2;

// CRC-32 over every dataset, in file order, so that any flipped bit of the saved state shows.
std::int64_t checksum_of(const std::vector<std::int64_t>& ids, const std::vector<std::int64_t>& state_offsets,
                         const std::vector<double>& states, const std::vector<std::int64_t>& kept_offsets,
                         const std::vector<double>& kept) {
  std::uint32_t crc = crc32_bytes(ids.data(), ids.size() * sizeof(std::int64_t));
  crc = crc32_bytes(state_offsets.data(), state_offsets.size() * sizeof(std::int64_t), crc);
  crc = crc32_doubles(states, crc);
  crc = crc32_bytes(kept_offsets.data(), kept_offsets.size() * sizeof(std::int64_t), crc);
  return crc32_doubles(kept, crc);
}

}  // namespace

std::string checkpoint_directory(const std::string& output_file) { return checkpoint_directory_of(output_file); }

void write_checkpoint_part(const std::string& directory, int rank, const Checkpoint& checkpoint) {
  std::filesystem::create_directories(directory);
  const std::string path = directory + "/" + checkpoint_part_name(rank);
  const std::string temporary = temporary_name(path, getpid());
  std::vector<std::int64_t> ids, state_offsets{0}, kept_offsets{0};
  std::vector<double> states, kept;
  for (const auto& [id, item] : checkpoint.items) {
    ids.push_back(id);
    states.insert(states.end(), item.state.begin(), item.state.end());
    kept.insert(kept.end(), item.kept.begin(), item.kept.end());
    state_offsets.push_back(static_cast<std::int64_t>(states.size()));
    kept_offsets.push_back(static_cast<std::int64_t>(kept.size()));
  }
  {
    h5::Handle file = h5::create_file(temporary);
    h5::write_attribute(file.id(), "format", std::string(kFormat));
    h5::write_attribute(file.id(), "format_version", kVersion);
    h5::write_attribute(file.id(), "run_key", checkpoint.run_key);
    h5::write_attribute(file.id(), "item_count", static_cast<std::int64_t>(checkpoint.item_count));
    h5::write_attribute(file.id(), "checksum", checksum_of(ids, state_offsets, states, kept_offsets, kept));
    h5::write_dataset(file.id(), "items", ids);
    h5::write_dataset(file.id(), "state_offsets", state_offsets);
    h5::write_dataset(file.id(), "states", states);
    h5::write_dataset(file.id(), "kept_offsets", kept_offsets);
    h5::write_dataset(file.id(), "kept", kept);
  }
  std::filesystem::rename(temporary, path);
}

Checkpoint read_checkpoint(const std::string& directory, const std::string& run_key, int item_count) {
  if (!std::filesystem::is_directory(directory))
    throw UsageError("option '--resume': no checkpoint at '" + directory + "'");
  h5::silence_error_printing();
  Checkpoint checkpoint;
  checkpoint.run_key = run_key;
  checkpoint.item_count = item_count;
  std::vector<std::string> parts;
  for (const auto& entry : std::filesystem::directory_iterator(directory))
    if (entry.path().extension() == ".h5") parts.push_back(entry.path().string());
  std::sort(parts.begin(), parts.end());
  if (parts.empty()) throw UsageError("option '--resume': checkpoint '" + directory + "' holds no part");
  for (const auto& path : parts) {
    try {
      if (h5::is_hdf5_file(path) != 1) throw UsageError("checkpoint '" + path + "' is not an HDF5 file");
      h5::Handle file = h5::open_file_read_only(path);
      if (!h5::has_attribute(file.id(), "format") || h5::read_string_attribute(file.id(), "format") != kFormat ||
          h5::read_integer_attribute(file.id(), "format_version") != kVersion)
        throw UsageError("'" + path + "' is not an sdegen checkpoint of format version " + std::to_string(kVersion) +
                         ": delete '" + directory + "', or run without option '--resume' and with option "
                         "'output.overwrite', which discards it");
      if (h5::read_string_attribute(file.id(), "run_key") != run_key ||
          h5::read_integer_attribute(file.id(), "item_count") != item_count)
        throw UsageError("checkpoint '" + path + "' is of another run: its config or --cells part differs from "
                         "this one (resume with the options of the interrupted run)");
      const auto ids = h5::read_integer_dataset(file.id(), "items");
      const auto state_offsets = h5::read_integer_dataset(file.id(), "state_offsets");
      const auto states = h5::read_real_dataset(file.id(), "states");
      const auto kept_offsets = h5::read_integer_dataset(file.id(), "kept_offsets");
      const auto kept = h5::read_real_dataset(file.id(), "kept");
      if (state_offsets.size() != ids.size() + 1 || kept_offsets.size() != ids.size() + 1 ||
          static_cast<std::size_t>(state_offsets.back()) != states.size() ||
          static_cast<std::size_t>(kept_offsets.back()) != kept.size())
        throw UsageError("checkpoint '" + path + "' is inconsistent (truncated?)");
      if (!h5::has_attribute(file.id(), "checksum") ||
          h5::read_integer_attribute(file.id(), "checksum") != checksum_of(ids, state_offsets, states, kept_offsets, kept))
        throw UsageError("checkpoint '" + path + "' is corrupted (its CRC-32 checksum does not match its data): "
                         "delete '" + directory + "', or run without option '--resume' and with option "
                         "'output.overwrite', which discards it");
      for (std::size_t k = 0; k < ids.size(); ++k) {
        if (ids[k] < 0 || ids[k] >= item_count) throw UsageError("checkpoint '" + path + "' has an unknown block");
        FinishedItem& item = checkpoint.items[static_cast<int>(ids[k])];
        item.state.assign(states.begin() + state_offsets[k], states.begin() + state_offsets[k + 1]);
        item.kept.assign(kept.begin() + kept_offsets[k], kept.begin() + kept_offsets[k + 1]);
      }
    } catch (const UsageError&) {
      throw;
    } catch (const std::exception& e) {
      throw UsageError("cannot read checkpoint '" + path + "': " + e.what());
    }
  }
  return checkpoint;
}

void remove_checkpoint(const std::string& directory) {
  std::error_code ignored;
  std::filesystem::remove_all(directory, ignored);
}

void install_stop_signals() {
  std::signal(SIGTERM, on_stop_signal);
  std::signal(SIGUSR1, on_stop_signal);
}

bool stop_requested() { return stop_flag != 0; }

}  // namespace sdegen
