#!/bin/bash
# MPI lives in src/mpi/ (and main.cpp may start it): no other source or header includes <mpi.h>
# or calls an MPI function. Usage: check_mpi_confined.sh SOURCE_DIR
set -euo pipefail
cd "$1"
found=$(grep -rnE '#include[[:space:]]*<mpi\.h>|\bMPI_[A-Za-z_]+\(' include src --include='*.hpp' --include='*.cpp' \
        | grep -v '^src/mpi/' | grep -v '^src/main\.cpp:' || true)
if [ -n "$found" ]; then
  echo "MPI outside src/mpi/:"
  echo "$found"
  exit 1
fi
echo "ok: MPI only in src/mpi/"
