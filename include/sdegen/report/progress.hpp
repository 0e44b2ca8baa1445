// Progress of a run on rank 0's terminal (stderr): fraction done, replicates, rate and ETA,
// at most every few seconds, from rank 0's own share of the (balanced) work.
#pragma once
#include <chrono>
#include <cstdint>

namespace sdegen {

class Progress {
 public:
  Progress(double total_cost, bool enabled, double interval_seconds = 3.0);
  void advance(double cost, std::int64_t replicates);
  void finish();  // one closing line when anything was printed

 private:
  using Clock = std::chrono::steady_clock;
  double total_, done_ = 0, interval_;
  std::int64_t replicates_ = 0;
  bool enabled_, printed_ = false;
  Clock::time_point start_, last_;
};

}  // namespace sdegen
