#!/bin/bash
# Runs `sdegen run` on this machine under mpirun with NP ranks (default 2), adding --allow-run-as-root
# as root and --oversubscribe when NP exceeds the cores. Usage: jobs/run_local.sh [CONFIG.ini] [sdegen run options...]
#
#   e.g. jobs/run_local.sh jobs/example_sweep.ini --mc.replicates 2000 -o big.h5
#        NP=4 jobs/run_local.sh jobs/paper_claims.ini
# Environment: NP (ranks, default 2), SDEGEN_BIN (default: build/sdegen next to this jobs/ directory),
# MPIRUN (default mpirun). Exit code: sdegen's (0 ok, 2 bad input, 75 stopped at a checkpoint).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
np=${NP:-2}
bin=${SDEGEN_BIN:-$(cd "$here/.." && pwd)/build/sdegen}
if ! [[ $np =~ ^[1-9][0-9]*$ ]]; then
  echo "run_local: NP must be a positive integer, not '$np'" >&2
  exit 2
fi
if [ ! -x "$bin" ]; then
  echo "run_local: sdegen executable '$bin' not found: build it (cmake --build build) or set SDEGEN_BIN" >&2
  exit 2
fi

cmd=("${MPIRUN:-mpirun}" -np "$np")
[ "$(id -u)" -eq 0 ] && cmd+=(--allow-run-as-root)
[ "$np" -gt "$(nproc)" ] && cmd+=(--oversubscribe)
cmd+=("$bin" run "$@")
quiet=0
for a in "$@"; do case $a in -q|--quiet) quiet=1 ;; esac; done
[ "$quiet" = 1 ] || echo "run_local: ${cmd[*]}" >&2
# exec: signals (Ctrl-C, SIGTERM, SIGUSR1 for a checkpoint) go straight to mpirun
exec "${cmd[@]}"
