#!/usr/bin/env bash
# Memory per rank as the replicate count grows: the largest resident set of each of 2 ranks of
# `sdegen run` (sde, n = 200, 40 steps) at 10^3 and 10^4 replicates, for the network (p = 20,
# h = 64) on synthetic data with a held-out population, and (h = 16) on Fashion-MNIST's
# T-shirt/Shirt pair pooled to 7 x 7 (14,000 rows, the table shared by the node's ranks).
# Usage: memory_per_rank.sh BUILD_DIR   (env: SDEGEN, MPIRUN, STEPS default 40)
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
sdegen=${SDEGEN:-$1/sdegen}
mpirun=${MPIRUN:-mpirun}
steps=${STEPS:-40}
root=()
[[ $(id -u) -eq 0 ]] && root=(--allow-run-as-root)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sdegen-memory.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
[[ -x /usr/bin/time ]] || { echo "memory_per_rank.sh: needs /usr/bin/time (Debian package time)" >&2; exit 2; }
declare -A configs=(
  [synthetic]="--problem.dim 20 --problem.width 64"
  [fashion-mnist]="--data.source fashion-mnist --data.classes 0,6 --data.pool 4 --problem.width 16"
)
printf "%-14s %10s %12s %22s\n" population replicates "wall (s)" "max RSS per rank (MiB)"
for name in synthetic fashion-mnist; do
  for replicates in 1000 10000; do
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$mpirun" "${root[@]}" --oversubscribe -np 2 bash -c \
      'exec /usr/bin/time -f "max_rss_kib %M" -o "$0/rss.${OMPI_COMM_WORLD_RANK:-0}" "$@"' "$tmp" \
      "$sdegen" run --problem.name mlp --train.init 1 --data.n 200 --train.batch 20 \
      --train.algorithm sde --train.steps "$steps" --train.log_every "$steps" --mc.replicates "$replicates" \
      ${configs[$name]} -q --output.overwrite -o "$tmp/out.h5" 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
    end=$(date +%s.%N)
    rss=$(cat "$tmp"/rss.* | awk '/max_rss_kib/ { printf "%s%.0f", sep, $2 / 1024; sep = ", " }')
    printf "%-14s %10d %12.1f %22s\n" "$name" "$replicates" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$rss"
    rm -f "$tmp"/rss.*
  done
done
