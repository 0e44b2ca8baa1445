// flock-based output lock. The lock file is removed on release, so a racing process may lock an
// unlinked file: after flock we check that the path still names the locked inode, else retry.
#include "sdegen/io/output_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "sdegen/config/usage_error.hpp"

namespace sdegen {

namespace {

std::string read_all(int fd) {
  std::string text;
  char buf[512];
  for (ssize_t got; (got = pread(fd, buf, sizeof buf, static_cast<off_t>(text.size()))) > 0;)
    text.append(buf, static_cast<std::size_t>(got));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) text.pop_back();
  return text;
}

bool flock_unsupported(int error) { return error == ENOSYS || error == EOPNOTSUPP || error == ENOLCK || error == EINVAL; }

}  // namespace

std::string describe_this_process() {
  char host[256] = "unknown";
  gethostname(host, sizeof host - 1);
  const std::time_t now = std::time(nullptr);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return "pid " + std::to_string(getpid()) + " on host " + host + ", since " + when;
}

OutputLock::OutputLock(OutputLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)), warning_(std::move(other.warning_)),
      acquired_(other.acquired_) {}

OutputLock& OutputLock::operator=(OutputLock&& other) noexcept {
  if (this != &other) {
    release();
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
    warning_ = std::move(other.warning_);
    acquired_ = other.acquired_;
  }
  return *this;
}

OutputLock::~OutputLock() { release(); }

void OutputLock::release() {
  if (fd_ < 0) return;
  unlink(path_.c_str());
  close(fd_);
  fd_ = -1;
}

OutputLock OutputLock::acquire(const std::string& lock_path, const std::string& output, const std::string& holder) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
      throw UsageError("cannot write output file '" + output + "': cannot create its lock file '" + lock_path +
                       "': " + std::strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int error = errno;
      if (error == EWOULDBLOCK) {
        const std::string other = read_all(fd);
        close(fd);
        throw UsageError("output file '" + output + "' is in use by another sdegen run (" +
                         (other.empty() ? std::string("holder unknown") : other) + "; lock file '" + lock_path +
                         "'): wait for it to finish, or choose another output file");
      }
      struct stat st {};
      if (fstat(fd, &st) == 0 && st.st_size == 0) unlink(lock_path.c_str());  // ours, just created
      close(fd);
      OutputLock unheld;
      unheld.warning_ = "cannot lock '" + lock_path + "' (" + std::strerror(error) +
                        (flock_unsupported(error) ? "; the file system does not support flock, e.g. Lustre without "
                                                    "the 'flock' mount option"
                                                  : "") +
                        "): a second run on the same output would not be detected";
      return unheld;
    }
    struct stat locked {}, named {};
    if (fstat(fd, &locked) == 0 && stat(lock_path.c_str(), &named) == 0 && locked.st_dev == named.st_dev &&
        locked.st_ino == named.st_ino) {
      OutputLock lock;
      lock.fd_ = fd;
      lock.path_ = lock_path;
      clock_gettime(CLOCK_REALTIME, &lock.acquired_);
      const std::string text = holder + "\n";
      const bool described =
          ftruncate(fd, 0) == 0 && pwrite(fd, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size());
      (void)described;  // the lock holds without it; a second run then reports "holder unknown"
      return lock;
    }
    close(fd);  // the holder removed the file between our open and flock: try the new one
  }
  throw UsageError("cannot lock output file '" + output + "' (lock file '" + lock_path + "' keeps changing)");
}

}  // namespace sdegen
