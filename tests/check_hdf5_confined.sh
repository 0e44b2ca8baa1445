#!/bin/bash
# HDF5 lives in io/: no other source or header includes an HDF5 header or calls the HDF5 API.
# Usage: check_hdf5_confined.sh SOURCE_DIR
set -euo pipefail
cd "$1"
found=$(grep -rnE '#include[[:space:]]*<(hdf5|H5[A-Za-z]*)\.h>|\bH5[A-Z][A-Za-z0-9]*_?[a-z]*[A-Za-z0-9]*\(' include src \
          --include='*.hpp' --include='*.cpp' \
        | grep -v '^src/io/' | grep -v '^include/sdegen/io/' || true)
if [ -n "$found" ]; then
  echo "HDF5 outside io/:"
  echo "$found"
  exit 1
fi
echo "ok: HDF5 only in io/"
