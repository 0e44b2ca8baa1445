# Benchmarks two builds in one run: bench_steps of a git revision (default HEAD~1) against the
# working tree, interleaved on one pinned core, with the medians of old, new and their ratio;
# then whole runs of both sdegen binaries (compare_runs.py: the trajectory statistics' cost and the
# np = 2 speed-up with them on; RUNS=0 skips them).
#
#   bash tests/bench/compare.sh [OLD_REF] [REPEATS]
#
# Environment: COMPARE_DIR (build area, default build-compare/ in the source tree), NEW_BUILD_DIR
# (an existing Release build of the working tree to use instead of COMPARE_DIR/new), BENCH_CPU (the
# core to pin to, default 1), BENCH_MIN_TIME (seconds per benchmark and run, default 0.3),
# BENCH_FILTER (a regex of benchmark names, default all), BUILD_JOBS (default 2). Shared machines
# drift by tens of percent between runs, so only the old/new ratio of one run means much; the
# script says how loaded the machine was.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
old_ref=${1:-HEAD~1}
repeats=${2:-5}
work=${COMPARE_DIR:-$root/build-compare}
cpu=${BENCH_CPU:-1}
min_time=${BENCH_MIN_TIME:-0.3}
filter=${BENCH_FILTER:-.}

old_commit=$(git -C "$root" rev-parse --verify "$old_ref^{commit}")
old_src=$work/src-${old_commit:0:12}
mkdir -p "$work"

launcher=()
if command -v ccache > /dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
jobs=${BUILD_JOBS:-2}

build() {  # build SOURCE_DIR BUILD_DIR NAME: configure as a Release build and make bench_steps and sdegen
  local log=$work/$3
  cmake -S "$1" -B "$2" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" > "$log.configure.log" 2>&1 ||
    { cat "$log.configure.log"; exit 1; }
  cmake --build "$2" -j "$jobs" --target bench_steps sdegen > "$log.build.log" 2>&1 ||
    { tail -50 "$log.build.log"; exit 1; }
}

if [[ ! -d $old_src ]]; then
  echo "exporting $old_ref ($old_commit) to $old_src"
  mkdir -p "$old_src.tmp"
  git -C "$root" archive "$old_commit" | tar -x -C "$old_src.tmp"
  mv "$old_src.tmp" "$old_src"
fi
new_build=${NEW_BUILD_DIR:-$work/new}
echo "building old ($old_ref) in $work/old and new (working tree) in $new_build"
mkdir -p "$work/old" "$new_build"
build "$old_src" "$work/old" old
build "$root" "$new_build" new
old_bin=$work/old/tests/bench/bench_steps
new_bin=$new_build/tests/bench/bench_steps

# Benchmarks of either binary, each run as its own process, old and new alternately (and in
# alternating order), so that both see the same load.
list() { "$1" --benchmark_list_tests --benchmark_filter="$filter" | sed 's|/.*||' | sort -u; }
names=$( (list "$old_bin"; list "$new_bin") | sort -u)
pin=()
if command -v taskset > /dev/null; then pin=(taskset -c "$cpu"); fi
results=$work/results
rm -rf "$results" && mkdir -p "$results"
echo "load before: $(uptime)"
for ((r = 0; r < repeats; r++)); do
  for name in $names; do
    order=(old new)
    if ((r % 2)); then order=(new old); fi
    for side in "${order[@]}"; do
      bin=$old_bin
      [[ $side == new ]] && bin=$new_bin
      "${pin[@]}" "$bin" --benchmark_filter="^$name(/|$)" --benchmark_min_time="$min_time" \
        --benchmark_format=json --benchmark_out="$results/$side-$name-$r.json" --benchmark_out_format=json \
        > /dev/null 2>&1 || true
    done
  done
  echo "repeat $((r + 1))/$repeats done"
done
echo "load after: $(uptime)"

/usr/bin/python3 - "$results" "$old_ref" "$old_commit" "$repeats" << 'EOF'
import glob, json, os, statistics, sys

results, old_ref, old_commit, repeats = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
runs = {}  # (side, benchmark) -> {quantity: [values over repeats]}
for path in glob.glob(os.path.join(results, "*.json")):
    side = os.path.basename(path).split("-", 1)[0]
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError):
        continue
    for b in data.get("benchmarks", []):
        if b.get("run_type", "iteration") != "iteration" or b.get("error_occurred"):
            continue
        q = runs.setdefault((side, b["name"]), {})
        q.setdefault("cpu ns", []).append(b["cpu_time"] * {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b["time_unit"]])
        for key in ("GFLOP/s", "items_per_second"):
            if key in b:
                q.setdefault(key, []).append(b[key])

def median(side, name, quantity):
    values = runs.get((side, name), {}).get(quantity)
    return statistics.median(values) if values else float("nan")

names = sorted({name for _, name in runs})
print(f"\nold = {old_ref} ({old_commit[:12]}), new = working tree; medians of {repeats} interleaved runs, "
      "CPU time per iteration; ratio = old/new (above 1: new is faster)")
print(f"{'benchmark':<40} {'old ns':>12} {'new ns':>12} {'ratio':>7}")
for name in names:
    old, new = median("old", name, "cpu ns"), median("new", name, "cpu ns")
    print(f"{name:<40} {old:12.1f} {new:12.1f} {old / new:7.2f}")

def rate(side, name):
    return median(side, name, "GFLOP/s")

peak = {side: rate(side, "BM_matmul_peak/512") for side in ("old", "new")}
print("\nderived (medians):")
rows = [
    ("normals per second (200-normal fills)", lambda s: 200 * median(s, "BM_part_fill_normal_200", "items_per_second")),
    ("sgd steps per second", lambda s: median(s, "BM_sgd_step", "items_per_second")),
    ("sde steps per second", lambda s: median(s, "BM_sde_step", "items_per_second")),
    ("sde GFLOP/s", lambda s: rate(s, "BM_sde_step")),
    ("dgemm peak GFLOP/s (512x512)", lambda s: peak[s]),
    ("sde % of peak", lambda s: 100 * rate(s, "BM_sde_step") / peak[s]),
]
print(f"{'quantity':<40} {'old':>12} {'new':>12} {'ratio':>7}")
for label, value in rows:
    old, new = value("old"), value("new")
    print(f"{label:<40} {old:12.4g} {new:12.4g} {new / old:7.2f}")
print("(ratio = new/old here: above 1 is more per second)")
EOF

if [[ ${RUNS:-1} != 0 ]]; then
  /usr/bin/python3 "$root/tests/bench/compare_runs.py" "$work/old/sdegen" "$new_build/sdegen" "$repeats"
fi
