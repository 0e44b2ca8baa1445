#!/usr/bin/env bash
# Cost of the trajectory bounds: wall time of `sdegen run` (linreg n=200, d=20, b=20, one rank)
# with and without [bounds] trajectory, for sgd and sde and log det every 1 or 4 steps.
# Usage: bounds_overhead.sh BUILD_DIR   (env: REPLICATES, default 1600: fewer let start-up and output dominate; SDEGEN)
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
sdegen=${SDEGEN:-$1/sdegen}
replicates=${REPLICATES:-1600}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sdegen-bounds.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
seconds() {  # seconds for one run with the given extra options
  local start end
  start=$(date +%s.%N)
  "$sdegen" run --data.n 200 --problem.dim 20 --train.batch 20 --train.steps 400 --mc.replicates "$replicates" \
    -q --output.overwrite -o "$tmp/out.h5" "$@"
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}
printf "%-10s %10s %14s %14s %14s\n" algorithm "no bounds" "every step" "logdet_every 4" "ratios"
for algorithm in sgd sde; do
  base=$(seconds --train.algorithm "$algorithm")
  full=$(seconds --train.algorithm "$algorithm" --bounds.trajectory)
  thin=$(seconds --train.algorithm "$algorithm" --bounds.trajectory --bounds.logdet_every 4)
  ratios=$(awk -v b="$base" -v f="$full" -v t="$thin" 'BEGIN { printf "%.2fx / %.2fx", f / b, t / b }')
  printf "%-10s %9ss %13ss %13ss %14s\n" "$algorithm" "$base" "$full" "$thin" "$ratios"
done
