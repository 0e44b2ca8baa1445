// Prints "progress:  42% | cells 3/10 | 4200 of 10000 replicates | 310 rep/s | elapsed 0:04 |
// ETA 0:06". Shares are of estimated cost, not of items; the rate leaves restored work out.
#include "sdegen/experiment/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sdegen/experiment/run_estimate.hpp"

namespace sdegen {

namespace {

// Under a local mpirun, a rank's stderr is a pipe to mpirun, which writes to its own stderr: the
// terminal the person watches is mpirun's (the rank's parent).
bool parent_stderr_is_terminal() {
  if (std::getenv("OMPI_COMM_WORLD_SIZE") == nullptr) return false;
  const std::string link = "/proc/" + std::to_string(getppid()) + "/fd/2";
  char target[256];
  const ssize_t length = readlink(link.c_str(), target, sizeof target - 1);
  if (length <= 0) return false;
  const std::string path(target, static_cast<std::size_t>(length));
  return path.rfind("/dev/pts/", 0) == 0 || path.rfind("/dev/tty", 0) == 0;
}

}  // namespace

ProgressStyle progress_style(bool quiet) {
  if (quiet) return ProgressStyle::off;
  return isatty(STDERR_FILENO) || parent_stderr_is_terminal() ? ProgressStyle::in_place : ProgressStyle::lines;
}

double progress_interval(ProgressStyle style, double seconds) {
  if (seconds > 0) return seconds;
  return style == ProgressStyle::in_place ? 1.0 : 30.0;
}

Progress::Progress(ProgressStyle style, double interval_seconds, double total_cost, std::int64_t total_replicates,
                   int cells)
    : style_(style),
      interval_(interval_seconds),
      total_cost_(total_cost),
      total_replicates_(total_replicates),
      cells_(cells),
      start_(Clock::now()),
      last_(start_) {}

double Progress::elapsed_seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

void Progress::restored(double cost, std::int64_t replicates, int cells_done) {
  restored_cost_ = done_cost_ = cost;
  restored_replicates_ = done_replicates_ = replicates;
  cells_done_ = cells_done;
}

void Progress::start_wave(double wave_cost, double my_cost, std::int64_t wave_replicates, std::int64_t my_replicates) {
  wave_cost_ = wave_cost;
  my_cost_ = my_cost;
  wave_replicates_ = wave_replicates;
  my_replicates_ = my_replicates;
  my_done_cost_ = 0;
  my_done_replicates_ = 0;
}

void Progress::advance(double cost, std::int64_t replicates, int cells_done) {
  my_done_cost_ += cost;
  my_done_replicates_ += replicates;
  cells_done_ = std::max(cells_done_, cells_done);
  show(false);
}

void Progress::end_wave(int cells_done) {
  done_cost_ += wave_cost_;
  done_replicates_ += wave_replicates_;
  wave_cost_ = my_cost_ = my_done_cost_ = 0;
  wave_replicates_ = my_replicates_ = my_done_replicates_ = 0;
  cells_done_ = cells_done;
  show(false);
}

std::string Progress::line() const {
  const double share = my_cost_ > 0 ? my_done_cost_ / my_cost_ : 0.0;
  const double cost = done_cost_ + share * wave_cost_;
  const auto replicates = done_replicates_ + static_cast<std::int64_t>(
                              my_replicates_ > 0 ? double(my_done_replicates_) / my_replicates_ * wave_replicates_ : 0.0);
  const double fraction = total_cost_ > 0 ? cost / total_cost_ : 1.0;
  const double elapsed = elapsed_seconds();
  const double new_fraction =
      total_cost_ > restored_cost_ ? (cost - restored_cost_) / (total_cost_ - restored_cost_) : 1.0;
  const double rate = elapsed > 0 ? (replicates - restored_replicates_) / elapsed : 0.0;
  char buf[256];
  std::snprintf(buf, sizeof buf, "progress: %3.0f%% | cells %d/%d | %lld of %lld replicates | %.0f rep/s | elapsed %s | ETA %s",
                100 * fraction, cells_done_, cells_, static_cast<long long>(replicates),
                static_cast<long long>(total_replicates_), rate, duration_text(elapsed).c_str(),
                new_fraction > 0 ? duration_text(elapsed * (1 - new_fraction) / new_fraction).c_str() : "-");
  return buf;
}

void Progress::show(bool force) {
  if (style_ == ProgressStyle::off) return;
  const auto now = Clock::now();
  // The first line comes early, so that a log shows soon that the run is under way.
  const double due = shown_once_ ? interval_ : std::min(interval_, 5.0);
  if (!force && std::chrono::duration<double>(now - last_).count() < due) return;
  shown_once_ = true;
  last_ = now;
  const std::string text = line();
  if (style_ == ProgressStyle::lines) {
    std::fprintf(stderr, "%s\n", text.c_str());
  } else {  // rewrite the line: carriage return, the text, blanks over a longer previous text
    const std::size_t pad = shown_width_ > text.size() ? shown_width_ - text.size() : 0;
    std::fprintf(stderr, "\r%s%*s", text.c_str(), static_cast<int>(pad), "");
    shown_width_ = text.size();
  }
  std::fflush(stderr);
}

void Progress::break_line() {
  if (style_ == ProgressStyle::in_place && shown_width_ > 0) {
    std::fprintf(stderr, "\n");
    shown_width_ = 0;
  }
}

void Progress::finish() {
  if (style_ == ProgressStyle::in_place && shown_width_ > 0) {
    show(true);
    std::fprintf(stderr, "\n");
    std::fflush(stderr);
    shown_width_ = 0;
  }
}

}  // namespace sdegen
