#!/bin/bash
# Runs `sdegen run` on this machine with NP ranks (default 2) under SDEGEN_LAUNCHER (default mpirun).
# Usage: jobs/run_local.sh [CONFIG.ini] [sdegen run options...]
#
#   e.g. jobs/run_local.sh jobs/example_sweep.ini --mc.replicates 2000 -o big.h5
#        NP=4 jobs/run_local.sh jobs/paper_claims.ini
# Environment:
#   NP               ranks (default 2)
#   SDEGEN_LAUNCHER  the command put before sdegen (default: mpirun). mpirun/mpiexec get -np NP,
#                    --allow-run-as-root as root and --oversubscribe when NP exceeds the cores;
#                    srun gets -n NP; "none" runs one process without a launcher. The Slurm
#                    scripts read the same variable (there the default is "srun --mpi=pmix").
#   SDEGEN_SETUP     a bash file sourced before the run, e.g. with the site's `module load` lines
#                    (jobs/site_setup.example.sh shows one)
#   SDEGEN_BIN       sdegen executable (default: build/sdegen of the source tree, bin/sdegen of an
#                    installed tree, else sdegen on PATH)
# Exit code: sdegen's (0 ok, 2 bad input, 75 stopped at a checkpoint).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
say() { echo "run_local: $*" >&2; }

# shellcheck source=jobs/local_env.sh
source "$here/local_env.sh"

np=${NP:-2}
if ! [[ $np =~ ^[1-9][0-9]*$ ]]; then
  say "NP must be a positive integer, not '$np'"
  exit 2
fi

read -r -a launcher <<<"${SDEGEN_LAUNCHER:-mpirun}"
case ${launcher[0]:-none} in
  none) launcher=() ;;
  mpirun|mpiexec|orterun|*/mpirun|*/mpiexec|*/orterun)
    launcher+=(-np "$np")
    [ "$(id -u)" -eq 0 ] && launcher+=(--allow-run-as-root)
    [ "$np" -gt "$(nproc)" ] && launcher+=(--oversubscribe) ;;
  srun|*/srun) launcher+=(-n "$np") ;;
esac
if [ ${#launcher[@]} -gt 0 ] && ! command -v "${launcher[0]}" >/dev/null; then
  say "launcher '${launcher[0]}' (SDEGEN_LAUNCHER) not found"
  exit 2
fi

cmd=("${launcher[@]}" "$bin" run "$@")
quiet=0
for a in "$@"; do case $a in -q|--quiet) quiet=1 ;; esac; done
[ "$quiet" = 1 ] || say "${cmd[*]}"
# exec: signals (Ctrl-C, SIGTERM, SIGUSR1 for a checkpoint) go straight to the launcher
exec "${cmd[@]}"
