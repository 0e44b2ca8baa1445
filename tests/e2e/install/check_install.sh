#!/bin/bash
# Installs the build into a fresh prefix with `cmake --install` and uses only the installed tree:
# the executable, the local run script, the figure script and the Python module, and the docs.
#
# Usage: check_install.sh BUILD_DIR WORK_DIR PYTHON
# Exit 1 on the first missing or broken piece; PATH is left as it was (the tree must not need it).
set -uo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 BUILD_DIR WORK_DIR PYTHON" >&2
  exit 2
fi
build=$(realpath "$1")
work=$(realpath -m "$2")
python=$3
prefix=$work/prefix
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

rm -rf "$work"
mkdir -p "$work/run"
cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; fail "cmake --install failed"; }
ok "installed into $prefix ($(grep -c 'Installing:' "$work/install.log") files)"

bin=$prefix/bin/sdegen
share=$prefix/share/sdegen
[ -x "$bin" ] || fail "no executable $bin"
version=$("$bin" --version) || fail "$bin --version failed"
[[ $version =~ ^sdegen\ [0-9]+\.[0-9]+ ]] || fail "$bin --version printed '$version'"
ok "$bin --version: $version"

for script in run_local.sh sweep_local.sh slurm_sweep.sh plot_results.py examples/analyse.py; do
  [ -x "$share/jobs/$script" ] || fail "$share/jobs/$script is missing or not executable"
done
for file in slurm_run.sbatch slurm_array.sbatch slurm_merge.sbatch site_setup.example.sh default.ini \
            python/sdegen_results/__init__.py; do
  case $file in python/*) path=$share/$file ;; *) path=$share/jobs/$file ;; esac
  [ -f "$path" ] || fail "$path is missing"
done
for doc in README.md docs/results-format.md docs/bounds.md docs/engine.md; do
  [ -f "$prefix/share/doc/sdegen/$doc" ] || fail "$prefix/share/doc/sdegen/$doc is missing"
done
ok "scripts, configs, Python module and docs are in place"

# The installed run script finds the installed executable by itself (no SDEGEN_BIN, not on PATH).
cd "$work/run" || exit 1
unset SDEGEN_BIN SDEGEN_LAUNCHER SDEGEN_SETUP
NP=1 "$share/jobs/run_local.sh" --problem.dim 2 --data.n "20 40" --train.algorithm "sgd sde" --train.steps 20 \
  --mc.replicates 16 -q -o tiny.h5 || fail "the installed run_local.sh failed"
[ -f tiny.h5 ] || fail "the tiny run wrote no tiny.h5"
ok "a tiny run with the installed run_local.sh wrote tiny.h5"

# The installed module, imported from the installed tree, reads that file.
PYTHONPATH=$share/python "$python" - "$share/python" <<'PY' || fail "the installed Python module does not read tiny.h5"
import os, sys
import sdegen_results
where = os.path.realpath(sdegen_results.__file__)
assert where.startswith(os.path.realpath(sys.argv[1])), f"imported from {where}, not the installed tree"
results = sdegen_results.open_results("tiny.h5")
assert len(results.summary) == 4, results.summary
assert set(results.summary["algorithm"]) == {"sgd", "sde"}, results.summary["algorithm"]
print(f"ok: sdegen_results from {where} reads {len(results.summary)} cells")
PY

# The installed scripts find the module next to them, from any working directory.
"$python" "$share/jobs/plot_results.py" tiny.h5 -o figures --format png >"$work/plot.log" 2>&1 \
  || { cat "$work/plot.log" >&2; fail "the installed plot_results.py failed"; }
[ -s figures/gen_vs_n.png ] || fail "the installed plot_results.py wrote no figures/gen_vs_n.png"
"$python" "$share/jobs/examples/analyse.py" tiny.h5 >"$work/analyse.log" 2>&1 \
  || { cat "$work/analyse.log" >&2; fail "the installed examples/analyse.py failed"; }
ok "the installed plot_results.py and examples/analyse.py run"
echo "PASS"
