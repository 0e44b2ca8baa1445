// Progress of a run on rank 0's terminal (stderr): cells and replicates done, rate and ETA, at
// most every few seconds, from rank 0's own share of the (balanced) work; one closing line.
#pragma once
#include <chrono>
#include <cstdint>

namespace sdegen {

class Progress {
 public:
  Progress(double total_cost, int cells, bool enabled, double interval_seconds = 3.0);
  // cells_done: cells whose blocks on this rank are all finished.
  void advance(double cost, std::int64_t replicates, int cells_done);
  void finish();  // one closing summary line

 private:
  using Clock = std::chrono::steady_clock;
  double total_, done_ = 0, interval_;
  std::int64_t replicates_ = 0;
  int cells_ = 0, cells_done_ = 0;
  bool enabled_, printed_ = false;
  Clock::time_point start_, last_;
};

}  // namespace sdegen
