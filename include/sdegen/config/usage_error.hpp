// The error for bad user input (options, values, files): reported in one line, exit code 2.
// Everything else that fails is a runtime error and aborts the MPI job.
#pragma once
#include <stdexcept>
#include <string>

namespace sdegen {

struct UsageError : std::runtime_error {
  explicit UsageError(const std::string& what) : std::runtime_error(what) {}
};

inline constexpr int kExitUsage = 2;

}  // namespace sdegen
