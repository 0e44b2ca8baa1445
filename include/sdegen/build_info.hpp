// What a results file and --version say about the build: version, git commit (and whether the
// tree had uncommitted changes), build type, flags, compiler and the library versions linked.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace sdegen {

struct BuildInfo {
  std::string version, git_commit, build_type, compiler, compile_flags;
  bool git_dirty = false, native = false;
  std::string eigen, hdf5, boost, mpi;
};

BuildInfo build_info();

// "sdegen 0.2.0" then one "key: value" line per item.
std::string version_text();

// (name, value) pairs as written to a results file's root attributes.
std::vector<std::pair<std::string, std::string>> build_attributes();

}  // namespace sdegen
