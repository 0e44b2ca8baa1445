// Derived output names and their checks against the target directory's NAME_MAX and PATH_MAX
// and the kind of an existing output (a device or directory is never replaced).
#include "sdegen/io/output_paths.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <vector>

#include "sdegen/config/usage_error.hpp"

namespace sdegen {

namespace {

constexpr const char* kCheckpointSuffix = ".checkpoint";
constexpr const char* kLockSuffix = ".lock";
// As wide as any pid (Linux caps pid_max at 2^22 = 4194304), so the checks hold for every process.
constexpr long kWidestPid = 9999999;

std::string base_name(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::size_t name_max(const std::string& directory, const std::string& output, const std::string& option) {
  struct stat st {};
  if (stat(directory.c_str(), &st) != 0)
    throw UsageError("cannot write output file '" + output + "' (option '" + option + "'): directory '" +
                     directory + "': " + std::strerror(errno));
  if (!S_ISDIR(st.st_mode))
    throw UsageError("cannot write output file '" + output + "' (option '" + option + "'): '" + directory +
                     "' is not a directory");
  errno = 0;
  const long limit = pathconf(directory.c_str(), _PC_NAME_MAX);
  return limit > 0 ? static_cast<std::size_t>(limit) : static_cast<std::size_t>(NAME_MAX);
}

// The longest suffix appended to the output's name in its directory.
std::size_t longest_suffix(bool with_checkpoint) {
  std::size_t longest = std::strlen(kLockSuffix);
  longest = std::max(longest, temporary_name("", kWidestPid).size());
  if (with_checkpoint) longest = std::max(longest, std::strlen(kCheckpointSuffix));
  return longest;
}

}  // namespace

std::string checkpoint_directory_of(const std::string& output) { return output + kCheckpointSuffix; }
std::string checkpoint_part_name(int rank) { return "rank-" + std::to_string(rank) + ".h5"; }
std::string temporary_name(const std::string& path, long pid) { return path + ".tmp" + std::to_string(pid); }

OutputPaths output_paths(const std::string& output, long pid) {
  OutputPaths p;
  p.output = output;
  p.directory = directory_of(output);
  p.temporary = temporary_name(output, pid);
  p.lock = output + kLockSuffix;
  p.checkpoint_directory = checkpoint_directory_of(output);
  return p;
}

std::size_t longest_output_name(const std::string& directory, bool with_checkpoint) {
  const std::size_t limit = name_max(directory, directory, "output.file");
  const std::size_t suffix = longest_suffix(with_checkpoint);
  return limit > suffix ? limit - suffix : 0;
}

void check_output_names(const OutputPaths& paths, bool with_checkpoint, int ranks, const std::string& option) {
  const std::string base = base_name(paths.output);
  if (base.empty() || base == "." || base == "..")
    throw UsageError("output file '" + paths.output + "' (option '" + option + "') names a directory, not a file");
  const std::size_t limit = name_max(paths.directory, paths.output, option);
  struct Derived {
    std::string what, path, name;  // how the message names it, the full path, its last component
  };
  std::vector<Derived> derived = {{"output file '<name>'", paths.output, base}};
  if (with_checkpoint)
    derived.push_back({"checkpoint directory '<name>" + std::string(kCheckpointSuffix) + "'",
                       paths.checkpoint_directory, base + kCheckpointSuffix});
  derived.push_back({"temporary '<name>.tmp<pid>'", temporary_name(paths.output, kWidestPid),
                     temporary_name(base, kWidestPid)});
  derived.push_back({"lock file '<name>" + std::string(kLockSuffix) + "'", paths.lock, base + kLockSuffix});
  if (with_checkpoint) {
    const std::string part = temporary_name(checkpoint_part_name(std::max(ranks - 1, 0)), kWidestPid);
    derived.push_back({"checkpoint part temporary", paths.checkpoint_directory + "/" + part, part});
  }
  for (const Derived& d : derived) {
    if (d.path.size() >= PATH_MAX)
      throw UsageError("output file '" + paths.output + "' (option '" + option + "') is too long: its " + d.what +
                       " would have a path of " + std::to_string(d.path.size()) + " bytes, more than the " +
                       std::to_string(PATH_MAX - 1) + " a path may have");
    if (d.name.size() > limit) {
      const std::size_t suffix = longest_suffix(with_checkpoint);
      throw UsageError("output file name '" + base + "' (option '" + option + "') is too long: its " + d.what +
                       " would need " + std::to_string(d.name.size()) + " of the " + std::to_string(limit) +
                       " bytes a name may have in '" + paths.directory + "'; the longest output name accepted there is " +
                       std::to_string(limit > suffix ? limit - suffix : 0) + " bytes");
    }
  }
}

void check_output_target(const OutputPaths& paths, bool overwrite, const std::string& option,
                         const std::string& overwrite_option) {
  struct stat link {};
  if (lstat(paths.output.c_str(), &link) != 0) {
    if (errno == ENOENT) return;
    throw UsageError("cannot write output file '" + paths.output + "' (option '" + option +
                     "'): " + std::strerror(errno));
  }
  struct stat target {};
  const bool resolves = stat(paths.output.c_str(), &target) == 0;  // false for a dangling link
  if (resolves && S_ISDIR(target.st_mode))
    throw UsageError("output file '" + paths.output + "' (option '" + option + "') is a directory; '" +
                     overwrite_option + "' replaces only regular files");
  if (resolves && !S_ISREG(target.st_mode))
    throw UsageError("output file '" + paths.output + "' (option '" + option +
                     "') is not a regular file (a device, pipe or socket); '" + overwrite_option +
                     "' replaces only regular files");
  if (!overwrite)
    throw UsageError("output file '" + paths.output + "' exists (option '" + overwrite_option + "' replaces it)");
}

}  // namespace sdegen
