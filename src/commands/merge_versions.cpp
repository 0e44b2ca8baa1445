// Parts are compared with the first part, then the first part with this program: a merged file
// claims the merging program's version, so its parts must have been written by that version.
#include "sdegen/commands/merge_versions.hpp"

#include "sdegen/config/usage_error.hpp"
#include "sdegen/version.hpp"

namespace sdegen {

namespace {
std::string shown(const std::string& version) { return version.empty() ? "an unknown version" : version; }
}  // namespace

void check_same_sdegen_version(const std::vector<StoredRun>& parts) {
  if (parts.empty()) return;
  const StoredRun& first = parts.front();
  for (const StoredRun& part : parts)
    if (part.sdegen_version != first.sdegen_version)
      throw UsageError("merge: '" + first.path + "' was written by sdegen " + shown(first.sdegen_version) + " and '" +
                       part.path + "' by sdegen " + shown(part.sdegen_version) +
                       ": parts of different versions do not merge; re-run the parts with one version");
  if (first.sdegen_version != kVersion)
    throw UsageError("merge: the parts ('" + first.path + "', ...) were written by sdegen " +
                     shown(first.sdegen_version) + ", and this is sdegen " + kVersion +
                     ": merge them with sdegen " + shown(first.sdegen_version));
}

}  // namespace sdegen
