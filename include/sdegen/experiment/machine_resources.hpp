// What this machine offers a run: the memory one rank may use (physical memory, or the cgroup
// limit a batch system sets, shared by the ranks on the node) and the free space of a file system.
#pragma once
#include <string>

namespace sdegen {

struct MemoryLimit {
  double bytes = 0;
  std::string origin;  // for messages: "option 'output.max_memory'", "physical memory / 2 ranks on this node"
};

// max_memory_gib > 0: that many GiB (option output.max_memory). Otherwise the smaller of the
// physical memory and this process's cgroup memory limit, divided by ranks_on_node.
MemoryLimit memory_per_rank(double max_memory_gib, int ranks_on_node);

// Bytes an unprivileged user may still write on the file system holding `directory`; negative
// when it cannot be told.
double free_disk_bytes(const std::string& directory);

}  // namespace sdegen
