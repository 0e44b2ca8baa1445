// Finds <name>.tmp<digits> next to the output and in its checkpoint directory, and removes those
// that are both older than this run's lock and not owned by a live process on this host.
#include "sdegen/io/stale_temporaries.hpp"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace sdegen {

namespace {

// The pid of "<prefix>.tmp<pid>" (0 for a bare ".tmp", as older versions named checkpoint part
// temporaries), or -1 when `name` is not of that form.
long temporary_pid(const std::string& name, const std::string& prefix) {
  const std::string stem = prefix + ".tmp";
  if (name.size() <= stem.size() || name.compare(0, stem.size(), stem) != 0) return -1;
  const std::string digits = name.substr(stem.size());
  if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::atol(digits.c_str());
}

bool alive_here(long pid) { return pid > 0 && (kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

bool older(const struct stat& st, const std::timespec& t) {
  return st.st_mtim.tv_sec < t.tv_sec || (st.st_mtim.tv_sec == t.tv_sec && st.st_mtim.tv_nsec < t.tv_nsec);
}

// Removes, in `directory`, the stale "<p>.tmp<pid>" files for each prefix p that `accepts`.
template <class Accept>
void sweep(const std::string& directory, Accept accepts, const std::timespec& locked_at, std::vector<std::string>& out) {
  DIR* dir = opendir(directory.c_str());
  if (dir == nullptr) return;
  std::vector<std::string> stale;
  while (const dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    const auto tmp = name.rfind(".tmp");
    if (tmp == std::string::npos || !accepts(name.substr(0, tmp))) continue;
    const long pid = temporary_pid(name, name.substr(0, tmp));
    const std::string path = directory + "/" + name;
    struct stat st {};
    if (pid < 0 || lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (older(st, locked_at) && !alive_here(pid)) stale.push_back(path);
  }
  closedir(dir);
  for (const auto& path : stale)
    if (std::remove(path.c_str()) == 0) out.push_back(path);
}

}  // namespace

std::vector<std::string> remove_stale_temporaries(const OutputPaths& paths, const std::timespec& locked_at) {
  std::vector<std::string> removed;
  const auto slash = paths.output.rfind('/');
  const std::string base = slash == std::string::npos ? paths.output : paths.output.substr(slash + 1);
  sweep(paths.directory, [&](const std::string& prefix) { return prefix == base; }, locked_at, removed);
  sweep(paths.checkpoint_directory,
        [](const std::string& prefix) { return prefix.rfind("rank-", 0) == 0 && prefix.size() > 8 &&
                                               prefix.compare(prefix.size() - 3, 3, ".h5") == 0; },
        locked_at, removed);
  return removed;
}

}  // namespace sdegen
