// An exclusive lock on a run's output and its checkpoint directory: a non-blocking flock on
// <output>.lock, held by rank 0 for the run's lifetime and released by the kernel if it dies.
#pragma once
#include <ctime>
#include <string>

namespace sdegen {

class OutputLock {
 public:
  OutputLock() = default;
  OutputLock(OutputLock&& other) noexcept;
  OutputLock& operator=(OutputLock&& other) noexcept;
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;
  ~OutputLock();  // release()

  // Takes the lock at `lock_path` for `output`, recording `holder` (who, where, since when) in it.
  // Throws UsageError naming the output and the holder when another process has it. When the
  // file system does not support flock, returns an unheld lock whose warning() says so.
  static OutputLock acquire(const std::string& lock_path, const std::string& output, const std::string& holder);

  bool held() const { return fd_ >= 0; }
  const std::string& warning() const { return warning_; }
  // When the lock was taken: files of this output older than that belong to no live run.
  const std::timespec& acquired_at() const { return acquired_; }
  // Removes the lock file while still holding it, then unlocks (a no-op when not held).
  void release();

 private:
  int fd_ = -1;
  std::string path_;
  std::string warning_;
  std::timespec acquired_{};
};

// "pid 1234 on host node7, since 2024-05-01T12:00:00Z": what a lock file records.
std::string describe_this_process();

}  // namespace sdegen
