// The files a run derives from its output name (temporary, lock, checkpoint directory and its
// parts) and the start-up checks on them, so that no name fails only when it is first written.
#pragma once
#include <cstddef>
#include <string>

namespace sdegen {

struct OutputPaths {
  std::string output;
  std::string directory;             // the output's directory ("." for a bare name)
  std::string temporary;             // <output>.tmp<pid>: written, then renamed to the output
  std::string lock;                  // <output>.lock
  std::string checkpoint_directory;  // <output>.checkpoint
};

// The names derived from `output` for a process with id `pid` (the writer of the temporary).
OutputPaths output_paths(const std::string& output, long pid);

std::string checkpoint_directory_of(const std::string& output);
std::string checkpoint_part_name(int rank);                 // rank-K.h5
std::string temporary_name(const std::string& path, long pid);  // <path>.tmp<pid>

// The longest output file name, in bytes, whose derived names fit NAME_MAX of `directory`
// (with_checkpoint: also <output>.checkpoint). Throws UsageError if the directory is unusable.
std::size_t longest_output_name(const std::string& directory, bool with_checkpoint);

// The output's directory must exist, and every derived name must fit NAME_MAX there and every
// derived path PATH_MAX (checkpoint parts for `ranks` ranks). Throws UsageError naming the file
// and `option`.
void check_output_names(const OutputPaths& paths, bool with_checkpoint, int ranks, const std::string& option);

// An existing output must be a regular file (or a link to one), and is replaced only when
// `overwrite`. Throws UsageError naming the file, `option` and `overwrite_option`.
void check_output_target(const OutputPaths& paths, bool overwrite, const std::string& option,
                         const std::string& overwrite_option);

}  // namespace sdegen
