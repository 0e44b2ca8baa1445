// Checkpoints of a run: each rank's finished replicate blocks (exact packed state, and the
// terminal states term_xr's second pass needs) in <output>.checkpoint/rank-K.h5, plus stop signals.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace sdegen {

inline constexpr int kExitCheckpointed = 75;  // stopped by a signal after writing a checkpoint

struct FinishedItem {
  std::vector<double> state;  // packed CellStatistics of the block
  std::vector<double> kept;   // (w*, Lambda) of each kept terminal state, concatenated
};

struct Checkpoint {
  std::string run_key;  // what identifies the run (config without [output], cells part)
  int item_count = 0;
  std::map<int, FinishedItem> items;  // by item id
};

std::string checkpoint_directory(const std::string& output_file);

// Writes rank `rank`'s part atomically (temporary name, then rename).
void write_checkpoint_part(const std::string& directory, int rank, const Checkpoint& checkpoint);

// The union of every part in `directory`. Throws UsageError naming the file when a part is
// unreadable, or is of another run than `run_key` / `item_count`.
Checkpoint read_checkpoint(const std::string& directory, const std::string& run_key, int item_count);

void remove_checkpoint(const std::string& directory);

// SIGTERM and SIGUSR1 (Slurm's warning before the time limit) request a stop.
void install_stop_signals();
bool stop_requested();

}  // namespace sdegen
