#!/bin/bash
# Keeps a library inside its folder: no source or header outside the allowed paths matches the
# pattern (an include of the library's header, or a call into its API).
# Usage: check_confined.sh SOURCE_DIR WHAT PATTERN ALLOWED_PATH_PREFIX...
set -euo pipefail
cd "$1"
what=$2 pattern=$3
shift 3
found=$(grep -rnE "$pattern" include src --include='*.hpp' --include='*.cpp' || true)
for allowed in "$@"; do
  found=$(grep -v "^$allowed" <<<"$found" || true)
done
if [ -n "$found" ]; then
  echo "$what outside $*:"
  echo "$found"
  exit 1
fi
echo "ok: $what only in $*"
