// Progress of a run on rank 0's stderr: share done, cells finished, replicates, rate and ETA;
// rewritten in place on a terminal, one line per interval in a log.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace sdegen {

enum class ProgressStyle { off, in_place, lines };

// in_place when stderr is a terminal (also behind a local mpirun, whose own stderr is checked),
// lines otherwise; off when quiet.
ProgressStyle progress_style(bool quiet);
// The interval for `seconds` = 0 (auto): 1 s in place, 30 s in a log.
double progress_interval(ProgressStyle style, double seconds);

class Progress {
 public:
  Progress(ProgressStyle style, double interval_seconds, double total_cost, std::int64_t total_replicates, int cells);
  // Work read back from a checkpoint: done, but not part of the rate.
  void restored(double cost, std::int64_t replicates, int cells_done);
  // A wave starts: its cost and replicates, and this rank's share of them. This rank's progress
  // through its share stands for the wave's (the wave is balanced).
  void start_wave(double wave_cost, double my_cost, std::int64_t wave_replicates, std::int64_t my_replicates);
  // One of this rank's items is done; cells_done: the cells (about) finished so far.
  void advance(double cost, std::int64_t replicates, int cells_done);
  void end_wave(int cells_done);
  void finish();      // ends the line being rewritten in place
  void break_line();  // before another message: ends that line without rewriting it

  double elapsed_seconds() const;

 private:
  void show(bool force);
  std::string line() const;
  using Clock = std::chrono::steady_clock;
  ProgressStyle style_;
  double interval_, total_cost_;
  std::int64_t total_replicates_;
  int cells_, cells_done_ = 0;
  double done_cost_ = 0, restored_cost_ = 0;            // before the current wave
  std::int64_t done_replicates_ = 0, restored_replicates_ = 0;
  double wave_cost_ = 0, my_cost_ = 0, my_done_cost_ = 0;
  std::int64_t wave_replicates_ = 0, my_replicates_ = 0, my_done_replicates_ = 0;
  std::size_t shown_width_ = 0;
  bool shown_once_ = false;
  Clock::time_point start_, last_;
};

}  // namespace sdegen
