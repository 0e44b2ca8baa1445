// Prints "progress: 42% | cells 3/10 | 1234 replicates | 310 rep/s | elapsed 0:04 | ETA 0:06".
// The ETA assumes the rate so far holds, measured in estimated cost, not in items.
#include "sdegen/report/progress.hpp"

#include <cstdio>

namespace sdegen {

namespace {
void print_duration(char* buf, std::size_t size, double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  if (s >= 3600)
    std::snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, size, "%ld:%02ld", s / 60, s % 60);
}
}  // namespace

Progress::Progress(double total_cost, int cells, bool enabled, double interval_seconds)
    : total_(total_cost), interval_(interval_seconds), cells_(cells), enabled_(enabled), start_(Clock::now()),
      last_(start_) {}

void Progress::advance(double cost, std::int64_t replicates, int cells_done) {
  done_ += cost;
  replicates_ += replicates;
  cells_done_ = cells_done;
  if (!enabled_) return;
  const auto now = Clock::now();
  if (std::chrono::duration<double>(now - last_).count() < interval_) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double fraction = total_ > 0 ? done_ / total_ : 1.0;
  char el[32], eta[32];
  print_duration(el, sizeof el, elapsed);
  print_duration(eta, sizeof eta, fraction > 0 ? elapsed * (1 - fraction) / fraction : 0);
  std::fprintf(stderr, "progress: %3.0f%% | cells %d/%d | %lld replicates on rank 0 | %.0f rep/s | elapsed %s | ETA %s\n",
               100 * fraction, cells_done_, cells_, static_cast<long long>(replicates_), replicates_ / elapsed, el, eta);
  printed_ = true;
}

void Progress::finish() {
  if (!enabled_) return;
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  char el[32];
  print_duration(el, sizeof el, elapsed);
  std::fprintf(stderr, "done: %d cells | %lld replicates on rank 0 | %.0f rep/s | elapsed %s\n", cells_,
               static_cast<long long>(replicates_), elapsed > 0 ? replicates_ / elapsed : 0.0, el);
}

}  // namespace sdegen
