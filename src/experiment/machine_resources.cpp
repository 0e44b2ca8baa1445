// Physical memory from sysconf, the cgroup limit from /proc/self/cgroup (v2: memory.max up the
// tree; v1: memory.limit_in_bytes), free space from statvfs.
#include "sdegen/experiment/machine_resources.hpp"

#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace sdegen {

namespace {

// A limit file's value in bytes; 0 when absent or unlimited ("max", or v1's huge sentinel).
double read_limit(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text == "max") return 0;
  try {
    const double value = std::stod(text);
    return value > 0 && value < 1e18 ? value : 0;
  } catch (const std::exception&) {
    return 0;
  }
}

// The smallest memory limit on this process's cgroup and its ancestors; 0 when none.
double cgroup_memory_limit() {
  std::ifstream in("/proc/self/cgroup");
  double limit = 0;
  auto take = [&](double value) {
    if (value > 0) limit = limit > 0 ? std::min(limit, value) : value;
  };
  for (std::string line; std::getline(in, line);) {
    const auto first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    std::string path = line.substr(second + 1);
    const bool v2 = line.compare(0, first, "0") == 0 && controllers.empty();
    const bool v1 = ("," + controllers + ",").find(",memory,") != std::string::npos;
    if (!v1 && !v2) continue;
    const std::string root = v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory";
    const std::string file = v2 ? "/memory.max" : "/memory.limit_in_bytes";
    for (;;) {  // the limit of an ancestor applies as well
      take(read_limit(root + (path == "/" ? "" : path) + file));
      if (path.empty() || path == "/") break;
      path = path.substr(0, std::max<std::size_t>(path.rfind('/'), 1));
    }
  }
  return limit;
}

std::string gib(double bytes) {
  std::ostringstream out;
  out.precision(3);
  out << bytes / (1024.0 * 1024 * 1024) << " GiB";
  return out.str();
}

}  // namespace

MemoryLimit memory_per_rank(double max_memory_gib, int ranks_on_node) {
  MemoryLimit out;
  if (max_memory_gib > 0) {
    out.bytes = max_memory_gib * 1024 * 1024 * 1024;
    out.origin = "option 'output.max_memory'";
    return out;
  }
  const double physical = double(sysconf(_SC_PHYS_PAGES)) * double(sysconf(_SC_PAGESIZE));
  const double cgroup = cgroup_memory_limit();
  const bool limited = cgroup > 0 && cgroup < physical;
  const int ranks = std::max(ranks_on_node, 1);
  out.bytes = (limited ? cgroup : physical) / ranks;
  out.origin = (limited ? "the cgroup memory limit " + gib(cgroup) : "physical memory " + gib(physical)) + " / " +
               std::to_string(ranks) + " rank(s) on this node";
  return out;
}

double free_disk_bytes(const std::string& directory) {
  struct statvfs fs {};
  if (statvfs(directory.empty() ? "." : directory.c_str(), &fs) != 0) return -1;
  return double(fs.f_bavail) * double(fs.f_frsize);
}

}  // namespace sdegen
