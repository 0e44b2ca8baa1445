#!/bin/bash
# catch_discover_tests reads test names as a CMake list, so a name with ';' becomes two tests that
# match nothing and pass without running: no unit test name may contain one.
set -euo pipefail
found=$(grep -rnE 'TEST_CASE\("[^"]*;' "$1" || true)
if [ -n "$found" ]; then
  echo "test names with ';' (ctest would run none of them):"
  echo "$found"
  exit 1
fi
echo "ok: no unit test name contains ';'"
