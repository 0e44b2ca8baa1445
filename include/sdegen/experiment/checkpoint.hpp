// Checkpoints of a run in <output>.checkpoint/rank-K.h5: rank 0's part holds the merged state of
// the items merged so far, every part the finished items its rank holds beyond them. Stop signals.
#pragma once
#include <cstdint>
#include <string>

#include "sdegen/io/checkpoint_file.hpp"

namespace sdegen {

inline constexpr int kExitCheckpointed = 75;  // stopped by a signal after writing a checkpoint

std::string checkpoint_directory(const std::string& output_file);

// Writes rank `rank`'s part atomically (temporary name, then rename). On failure removes the
// temporary, keeps the previous part, and throws std::runtime_error with one line saying why.
void write_checkpoint_part(const std::string& directory, int rank, const CheckpointContent& content);

// Every part in `directory`. Throws UsageError naming the file when a part is unreadable,
// damaged, or of another run than `run_key` / `item_count`.
RestoredCheckpoint read_checkpoint(const std::string& directory, const std::string& run_key, std::int64_t item_count);

void remove_checkpoint(const std::string& directory);

// SIGTERM, SIGUSR1 (Slurm's warning before the time limit), SIGINT (Ctrl-C) and SIGHUP (the
// terminal went away) request a stop; a second SIGINT ends the process at once. SIGINT and SIGHUP
// are left alone when they were ignored at start (nohup). `announce`: say on stderr that a stop
// was requested (rank 0).
void install_stop_signals(bool announce);
bool stop_requested();

}  // namespace sdegen
