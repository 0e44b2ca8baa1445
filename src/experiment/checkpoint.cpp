// A run's checkpoint directory: one part per rank, each written under a temporary name and renamed
// (the file format is io/checkpoint_file.cpp); resuming from every part; the stop signals.
#include "sdegen/experiment/checkpoint.hpp"

#include <unistd.h>

#include <algorithm>
#include <signal.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "sdegen/config/usage_error.hpp"
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

}  // namespace

std::string checkpoint_directory(const std::string& output_file) { return checkpoint_directory_of(output_file); }

void write_checkpoint_part(const std::string& directory, int rank, const CheckpointContent& content) {
  quiet_checkpoint_errors();
  const std::string path = directory + "/" + checkpoint_part_name(rank);
  const std::string temporary = temporary_name(path, getpid());
  std::error_code error;
  const bool created = !std::filesystem::exists(directory, error);
  try {
    std::filesystem::create_directories(directory, error);
    if (error) throw std::runtime_error(error.message());
    write_checkpoint_file(temporary, content);
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
  quiet_checkpoint_errors();
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
    merged[k] = guarded(parts[k], [&] { return read_checkpoint_header(parts[k], directory, run_key, item_count); });
  RestoredCheckpoint restored;
  const auto best = static_cast<std::size_t>(std::max_element(merged.begin(), merged.end()) - merged.begin());
  restored.merged_items = merged[best];
  for (std::size_t k = 0; k < parts.size(); ++k)
    guarded(parts[k], [&] { read_checkpoint_file(parts[k], directory, item_count, k == best, restored); });
  return restored;
}

void remove_checkpoint(const std::string& directory) {
  std::error_code ignored;
  std::filesystem::remove_all(directory, ignored);
}

void install_stop_signals(bool announce) {
  announce_stop = announce ? 1 : 0;
  for (int signal : {SIGTERM, SIGUSR1}) std::signal(signal, on_stop_signal);
  // SIGINT and SIGHUP stay ignored when the process started with them ignored: nohup, or a
  // background job of a script, means "keep running".
  for (int signal : {SIGINT, SIGHUP}) {
    struct sigaction current {};
    if (sigaction(signal, nullptr, &current) == 0 && current.sa_handler == SIG_IGN) continue;
    std::signal(signal, on_stop_signal);
  }
}

bool stop_requested() { return stop_flag != 0; }

}  // namespace sdegen
