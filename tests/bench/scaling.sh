#!/usr/bin/env bash
# MPI strong scaling of a whole `sdegen run`: wall time at mpirun -np 1 and -np 2 and the speed-up.
# Usage: scaling.sh BUILD_DIR [RUN OPTIONS...]   (env: REPLICATES, default 2500, ~15 s at np=1
# without bounds; MPIRUN; SDEGEN). E.g. scaling.sh build --bounds.trajectory: cells of unequal cost.
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 BUILD_DIR [RUN OPTIONS...]" >&2
  exit 2
fi
[[ -d $1 ]] || { echo "scaling.sh: no build directory $1" >&2; exit 1; }
build_dir=$(cd "$1" && pwd)  # absolute: the runs below start in their own directories
sdegen=$(realpath -e "${SDEGEN:-$build_dir/sdegen}" 2>/dev/null) || sdegen=${SDEGEN:-$build_dir/sdegen}
mpirun=${MPIRUN:-mpirun}
replicates=${REPLICATES:-2500}
[[ -x $sdegen ]] || { echo "scaling.sh: no executable $sdegen (build the sdegen target)" >&2; exit 1; }
command -v "$mpirun" >/dev/null || { echo "scaling.sh: $mpirun not found" >&2; exit 1; }

mpi_flags=(--oversubscribe --bind-to core)
[[ $(id -u) -eq 0 ]] && mpi_flags+=(--allow-run-as-root)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sdegen-scaling.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# The built-in default experiment (linreg d=10, n in {50,100,200,400}, sgd and sde, 400 steps),
# with more replicates: 8 cells x REPLICATES training runs. Each np writes out.h5 in its own
# directory, so the two files differ only in the root attributes of time and `mpi_ranks`.
run_args=(run --mc.replicates "$replicates" -q --output.overwrite -o out.h5 "${@:2}")

declare -A seconds launch
for np in 1 2; do
  mkdir "$tmp/np$np"
  start=$(now)
  "$mpirun" "${mpi_flags[@]}" -np "$np" "$sdegen" --version >/dev/null
  end=$(now)
  launch[$np]=$(elapsed "$start" "$end")
  start=$(now)
  (cd "$tmp/np$np" && "$mpirun" "${mpi_flags[@]}" -np "$np" "$sdegen" "${run_args[@]}")
  end=$(now)
  seconds[$np]=$(elapsed "$start" "$end")
  echo "np=$np: ${seconds[$np]} s  (sdegen run --mc.replicates $replicates, default grid;" \
       "mpirun launch alone ${launch[$np]} s)"
done

awk -v t1="${seconds[1]}" -v t2="${seconds[2]}" \
  'BEGIN { s = t1 / t2; printf "speed-up np2/np1: %.3f (parallel efficiency %.1f%%)\n", s, 50 * s }'

# Sanity check, not part of the timing: both runs must produce the same statistics.
if command -v h5diff >/dev/null; then
  # Drop each expected root-attribute report and the "N differences found" line after it (for a
  # string h5diff counts differing characters).
  other=$(h5diff "$tmp/np1/out.h5" "$tmp/np2/out.h5" |
          awk '/^attribute: <(created|started|finished|wall_seconds|mpi_ranks) of <\/>> and/ { skip = 1; next }
               skip && /^[0-9]+ differences? found$/ { skip = 0; next }
               { skip = 0; print }' || true)
  if [[ -z $other ]]; then
    echo "np=1 and np=2 results identical (h5diff: only the times and mpi_ranks differ)"
  else
    echo "WARNING: np=1 and np=2 results differ:" >&2
    printf '%s\n' "$other" | head -20 >&2
  fi
fi
