#!/bin/bash
# Checks jobs/run_local.sh and jobs/sweep_local.sh without Slurm: the launcher comes from
# SDEGEN_LAUNCHER, SDEGEN_SETUP is sourced first, and a sweep with more parts than cells merges.
#
# Usage: check_local_scripts.sh SDEGEN SOURCE_DIR WORK_DIR PYTHON
set -uo pipefail
if [ $# -ne 4 ]; then
  echo "usage: $0 SDEGEN SOURCE_DIR WORK_DIR PYTHON" >&2
  exit 2
fi
sdegen=$(realpath "$1")
jobs=$(realpath "$2")/jobs
work=$(realpath -m "$3")
python=$4
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
unset SDEGEN_LAUNCHER SDEGEN_SETUP SDEGEN_SETUP_SOURCED SDEGEN_OUTPUT NP PARALLEL
export SDEGEN_BIN=$sdegen
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1
tiny=(--problem.dim 2 --data.n "20 40" --train.algorithm sgd --train.steps 10 --mc.replicates 8)
cells() { "$python" -c "import h5py, sys; print(len(h5py.File(sys.argv[1])['summary']))" "$1"; }

# The launcher: the default (mpirun with -np), a command with its own flags, and none.
out=$(NP=2 "$jobs/run_local.sh" "${tiny[@]}" -o default.h5 2>&1 >/dev/null) || fail "run_local.sh (default launcher) failed: $out"
grep -q "run_local: mpirun -np 2 .*$sdegen run" <<<"$out" || fail "the default launcher is not 'mpirun -np 2': $out"
ok "default launcher: $(grep -o 'mpirun -np 2[^/]*' <<<"$out")"
out=$(NP=1 SDEGEN_LAUNCHER="mpirun --bind-to none" "$jobs/run_local.sh" --problem.dim 2 --data.n 20 \
      --train.steps 10 --mc.replicates 8 -o flags.h5 2>&1 >/dev/null) || fail "run_local.sh with launcher flags failed: $out"
grep -q "run_local: mpirun --bind-to none -np 1" <<<"$out" || fail "SDEGEN_LAUNCHER's flags were not kept: $out"
ok "SDEGEN_LAUNCHER=\"mpirun --bind-to none\" is used as given"
out=$(SDEGEN_LAUNCHER=none "$jobs/run_local.sh" --problem.dim 2 --data.n 20 --train.steps 10 --mc.replicates 8 \
      -o none.h5 2>&1 >/dev/null) || fail "run_local.sh without a launcher failed: $out"
grep -q "run_local: $sdegen run" <<<"$out" || fail "SDEGEN_LAUNCHER=none still used a launcher: $out"
[ -f none.h5 ] || fail "SDEGEN_LAUNCHER=none wrote no file"
ok "SDEGEN_LAUNCHER=none runs sdegen directly"
SDEGEN_LAUNCHER=no-such-launcher "$jobs/run_local.sh" "${tiny[@]}" -q -o bad.h5 2>err.txt
rc=$?
[ "$rc" -eq 2 ] && grep -q "launcher 'no-such-launcher'" err.txt || fail "an unknown launcher: exit $rc, $(cat err.txt)"
ok "an unknown launcher exits 2 naming it"

# The site setup: sourced before the run; a missing file is an error.
cat >setup.sh <<'SH'
echo "sourced" >>setup.trace
SH
SDEGEN_SETUP=setup.sh NP=1 "$jobs/run_local.sh" "${tiny[@]}" -q -o setup.h5 || fail "run_local.sh with SDEGEN_SETUP failed"
[ "$(cat setup.trace)" = sourced ] || fail "SDEGEN_SETUP was not sourced once"
SDEGEN_SETUP=missing.sh "$jobs/run_local.sh" "${tiny[@]}" -q -o missing.h5 2>err.txt
rc=$?
[ "$rc" -eq 2 ] && grep -q "missing.sh" err.txt || fail "a missing SDEGEN_SETUP: exit $rc, $(cat err.txt)"
ok "SDEGEN_SETUP is sourced; a missing one exits 2"

# More parts than cells (2 cells, 3 parts), one after another and at once: the merge has both cells.
printf '[problem]\ndim = 2\n[data]\nn = 20 40\n[train]\nalgorithm = sgd\nsteps = 10\n[mc]\nreplicates = 8\n' >two.ini
rm -f setup.trace
SDEGEN_SETUP=setup.sh NP=1 "$jobs/sweep_local.sh" 3 two.ini -q -o serial.h5 || fail "sweep_local.sh 3 on 2 cells failed"
[ "$(cells serial.h5)" = 2 ] || fail "serial.h5 has $(cells serial.h5) cells, not 2"
[ "$(wc -l <setup.trace)" = 1 ] || fail "SDEGEN_SETUP was sourced $(wc -l <setup.trace) times by sweep_local.sh, not once"
PARALLEL=1 "$jobs/sweep_local.sh" 3 two.ini -q -o parallel.h5 || fail "PARALLEL=1 sweep_local.sh 3 on 2 cells failed"
[ "$(cells parallel.h5)" = 2 ] || fail "parallel.h5 has $(cells parallel.h5) cells, not 2"
ok "sweep_local.sh with more parts than cells (sdegen writes empty parts)"

# The same with an sdegen that refuses a part without cells (exit 2, "no cells").
cat >refusing-sdegen <<SH
#!/bin/bash
previous=
for a in "\$@"; do
  if [ "\$previous" = --cells ] && [ "\${a%%/*}" -ge 2 ]; then
    echo "sdegen: error: option '--cells': part \$a has no cells" >&2
    exit 2
  fi
  previous=\$a
done
exec $sdegen "\$@"
SH
chmod +x refusing-sdegen
SDEGEN_BIN=$work/refusing-sdegen NP=1 "$jobs/sweep_local.sh" 3 two.ini -q -o refused.h5 || fail "sweep_local.sh with a refusing sdegen failed"
[ "$(cells refused.h5)" = 2 ] || fail "refused.h5 has $(cells refused.h5) cells, not 2"
SDEGEN_BIN=$work/refusing-sdegen PARALLEL=1 "$jobs/sweep_local.sh" 3 two.ini -q -o refused_parallel.h5 \
  || fail "PARALLEL=1 sweep_local.sh with a refusing sdegen failed"
[ "$(cells refused_parallel.h5)" = 2 ] || fail "refused_parallel.h5 has $(cells refused_parallel.h5) cells"
# A real exit 2 (bad input) still fails.
SDEGEN_BIN=$work/refusing-sdegen NP=1 "$jobs/sweep_local.sh" 3 two.ini -q --train.lr -1 -o badinput.h5 2>/dev/null \
  && fail "sweep_local.sh succeeded on bad input"
ok "sweep_local.sh with an sdegen that exits 2 for parts without cells; bad input still fails"
echo PASS
