#!/bin/bash
# Slurm tests of jobs/slurm_run.sbatch, slurm_array.sbatch, slurm_merge.sbatch and slurm_sweep.sh
# on a private single-node cluster (tests/slurm/slurm_cluster.sh) started and stopped by this script.
#
# Usage: slurm_test.sh CASE SDEGEN SOURCE_DIR WORK_DIR "MPIEXEC [FLAGS] -n"
#   CASE run:        sbatch --wait jobs/slurm_run.sbatch on a tiny config, with SDEGEN_LAUNCHER unset
#                    (the default, srun --mpi=pmix: the cluster's MpiDefault is none) and "mpirun",
#                    each with an SDEGEN_SETUP file; the job reports the launcher, sources the file,
#                    and its sdegen-<job id>.h5 reads with h5py; an unknown launcher exits 2
#   CASE sweep:      jobs/slurm_sweep.sh 3 (array of 3 parts + dependent merge job); the merged file
#                    equals a plain `mpirun -n 2 sdegen run` of the same sweep
#   CASE checkpoint: SDEGEN_REQUEUE=1 slurm_run.sbatch, signalled with SIGUSR1 while running: sdegen
#                    checkpoints (exit 75), the job requeues itself (the cluster has JobRequeue=0, so
#                    only #SBATCH --requeue allows it) and resumes; the file equals an uninterrupted run
#   CASE array_requeue: jobs/slurm_sweep.sh 5 on 3 cells: task 0 is signalled with SIGUSR1 (as at
#                    its time limit) and requeues itself, the tasks without cells succeed, and the
#                    merge job still runs; the merged file equals a plain run. Then an sdegen that
#                    refuses empty parts (exit 2, "no cells"): the merge skips them
# Exit code 77 (CTest SKIP_RETURN_CODE) when not root, Slurm or munge are not installed, or the host
# name does not resolve. WORK_DIR/cluster holds the cluster (state, logs), WORK_DIR/work the jobs.
set -uo pipefail

SKIP=77
if [ $# -ne 5 ]; then
  echo "usage: $0 run|sweep|checkpoint|array_requeue SDEGEN SOURCE_DIR WORK_DIR \"MPIEXEC [FLAGS] -n\"" >&2
  exit 2
fi
CASE=$1
SDEGEN=$(realpath "$2")
SRC=$(realpath "$3")
WORK_DIR=$(realpath -m "$4")
read -r -a MPIEXEC <<<"$5"
PYTHON=${SDEGEN_TEST_PYTHON:-/usr/bin/python3}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JOBS=$SRC/jobs
BASE=$WORK_DIR/cluster
WORK=$WORK_DIR/work
T0=$SECONDS

say() { echo "[$(printf '%4d' $((SECONDS - T0))) s] $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit "$SKIP"; }
show() { say "\$ $*"; }

# --- can this host run the cluster? -------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || skip "the test cluster's daemons need root (running as uid $(id -u))"
missing=()
for p in slurmctld slurmd slurm-client munge; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] || skip "Debian packages not installed: ${missing[*]} (apt-get install slurm-wlm munge)"
for c in /usr/sbin/slurmctld /usr/sbin/slurmd /usr/sbin/munged sbatch squeue scontrol scancel munge unmunge; do
  command -v "$c" >/dev/null || skip "$c not found"
done
NODE=$(hostname -s)
getent hosts "$NODE" >/dev/null || skip "host name $NODE does not resolve (add it to /etc/hosts)"
[ -x "$SDEGEN" ] || fail "sdegen binary $SDEGEN is not executable"
"$PYTHON" -c "import h5py, numpy" 2>/dev/null || fail "$PYTHON cannot import h5py and numpy"

# A surrounding Slurm job or SBATCH_* settings must not leak into the test cluster's jobs.
while IFS='=' read -r name _; do
  case $name in SLURM_*|SBATCH_*|SALLOC_*|SRUN_*) unset "$name" ;; esac
done < <(env)
unset SDEGEN_OUTPUT SDEGEN_PREFIX SDEGEN_LAUNCHER SDEGEN_REQUEUE SDEGEN_PARTS SDEGEN_REMOVE_PARTS \
      SDEGEN_MAX_RUNNING SDEGEN_ARRAY_OPTS SDEGEN_MERGE_OPTS SDEGEN_JOBS_DIR SDEGEN_SETUP \
      SDEGEN_SETUP_SOURCED SDEGEN_MAX_REQUEUES
export SDEGEN_BIN=$SDEGEN
export SLURM_CONF=$BASE/etc/slurm.conf

# The features a case needs, checked before the cluster starts: missing ones fail, not skip.
case $CASE in
  sweep)
    "$SDEGEN" merge --help >/dev/null 2>&1 || fail "'sdegen merge' is not available (sdegen merge --help failed)" ;;
  checkpoint|array_requeue)
    help=$("$SDEGEN" run --help 2>&1)
    grep -q -- "--resume" <<<"$help" || fail "'sdegen run' has no --resume option" ;;
esac

# --- the cluster --------------------------------------------------------------------------------
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local queued=()
  [ -f "$SLURM_CONF" ] && mapfile -t queued < <(squeue -h -o %i 2>/dev/null)
  if [ ${#queued[@]} -gt 0 ]; then
    say "cancelling the jobs still in the queue: ${queued[*]}"
    scancel --full "${queued[@]}" 2>/dev/null
    for _ in $(seq 60); do [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.5; done
  fi
  if [ "$rc" -ne 0 ] && [ -d "$BASE/log" ]; then
    echo "--- last lines of the cluster logs ($BASE/log)"
    tail -n 15 "$BASE"/log/slurmctld.log "$BASE"/log/slurmd.log 2>/dev/null
  fi
  say "stopping the cluster"
  "$HERE/slurm_cluster.sh" down "$BASE"
  say "done ($CASE), exit code $rc"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rm -rf "$WORK"
mkdir -p "$WORK" "$BASE"
say "starting a private Slurm cluster in $BASE"
"$HERE/slurm_cluster.sh" up "$BASE" || fail "the cluster did not start"

# --- helpers ------------------------------------------------------------------------------------
job_field() {   # job_field JOBID FIELD: e.g. JobState, ExitCode, Restarts (first record)
  scontrol -o show job "$1" 2>/dev/null | head -1 | tr ' ' '\n' | sed -n "s/^$2=//p"
}

wait_gone() {   # wait_gone SECONDS JOBID...: until none of the jobs (or array tasks) is queued
  local limit=$1; shift
  local ids
  ids=$(IFS=,; echo "$*")
  local until=$((SECONDS + limit)) last=
  while [ -n "$(squeue -h -r -j "$ids" 2>/dev/null)" ]; do
    [ "$SECONDS" -lt "$until" ] || { squeue -r; fail "jobs $ids still queued after $limit s"; }
    local now
    now=$(squeue -h -r -j "$ids" -o '%i:%T' | tr '\n' ' ')
    [ "$now" = "$last" ] || say "  queue: $now"
    last=$now
    sleep 1
  done
}

expect_completed() {   # expect_completed JOBID: every record COMPLETED with ExitCode 0:0
  local states
  states=$(scontrol -o show job "$1" | tr ' ' '\n' | grep -E '^(JobId|ArrayTaskId|JobState|ExitCode)=' | paste -sd' ')
  say "  scontrol: $states"
  if scontrol -o show job "$1" | grep -v -q 'JobState=COMPLETED.*ExitCode=0:0'; then
    fail "job $1 did not complete successfully: $states"
  fi
}

show_log() { echo "  --- $1"; sed 's/^/  | /' "$1"; }

submit_wait() {   # submit_wait OUTVAR sbatch-args...: sbatch --wait, the job id into OUTVAR
  local -n id_ref=$1; shift
  show "sbatch --wait --parsable $*"
  local t=$SECONDS out rc
  out=$(timeout 300 sbatch --wait --parsable "$@")
  rc=$?
  id_ref=${out%%;*}
  say "  job $id_ref ended with exit code $rc after $((SECONDS - t)) s"
  return $rc
}

write_tiny_config() {
  cat >"$1" <<'INI'
# tiny run for the Slurm tests: 2 n x 2 algorithms = 4 cells
[problem]
dim = 3
[data]
n = 20 40
[train]
algorithm = sgd sde
steps = 30
[mc]
replicates = 64
INI
}

# --- the cases ----------------------------------------------------------------------------------
case_run() {
  cd "$WORK" || exit 1
  write_tiny_config tiny.ini
  cat >setup.sh <<'SH'
# site setup of the test: leaves a trace of the job it ran in
echo "sourced in job ${SLURM_JOB_ID:-none}" >>setup.trace
SH
  local label launcher expected job
  # SDEGEN_LAUNCHER (empty: unset, the default) and the start of the command line the job reports
  for label in default mpirun; do
    case $label in
      default) launcher=; expected="srun --mpi=pmix $SDEGEN run" ;;
      mpirun) launcher=mpirun; expected="mpirun --allow-run-as-root $SDEGEN run" ;;
    esac
    say "(a) one run with jobs/slurm_run.sbatch, SDEGEN_LAUNCHER ${launcher:-unset}, SDEGEN_SETUP=setup.sh"
    if [ -n "$launcher" ]; then export SDEGEN_LAUNCHER=$launcher; else unset SDEGEN_LAUNCHER; fi
    SDEGEN_SETUP=setup.sh submit_wait job --time=00:05:00 "$JOBS/slurm_run.sbatch" tiny.ini -q
    local rc=$?
    unset SDEGEN_LAUNCHER
    [ -f "sdegen-$job.out" ] && show_log "sdegen-$job.out"
    [ "$rc" -eq 0 ] || fail "the $label job $job exited with $rc"
    expect_completed "$job"
    grep -q "slurm_run: $expected" "sdegen-$job.out" || fail "the job did not start sdegen with '$expected'"
    grep -qx "sourced in job $job" setup.trace || fail "SDEGEN_SETUP was not sourced in job $job"
    [ -f "sdegen-$job.h5" ] || fail "job $job wrote no sdegen-$job.h5 (files: $(ls))"
    grep -q "sdegen exited with 0" "sdegen-$job.out" || fail "sdegen-$job.out does not report sdegen's exit"
    "$PYTHON" "$HERE/check_slurm_results.py" summary "sdegen-$job.h5" 4 || fail "sdegen-$job.h5"
  done

  say "(a) a launcher that does not exist: exit 2 with a message naming it"
  SDEGEN_LAUNCHER="no-such-launcher --flag" submit_wait job --time=00:05:00 "$JOBS/slurm_run.sbatch" tiny.ini -q
  local rc=$?
  [ -f "sdegen-$job.out" ] && show_log "sdegen-$job.out"
  [ "$rc" -eq 2 ] || fail "the job with an unknown launcher exited with $rc, not 2"
  grep -q "launcher 'no-such-launcher'" "sdegen-$job.out" || fail "no message naming the unknown launcher"
  [ ! -e "sdegen-$job.h5" ] || fail "the job with an unknown launcher wrote sdegen-$job.h5"
}

case_sweep() {
  mkdir -p "$WORK/slurm" "$WORK/single"
  cat >"$WORK/sweep.ini" <<'INI'
# sweep for the Slurm tests: 2 problems x 3 n x 2 algorithms = 12 cells, with the trajectory bounds
[problem]
name = linreg logistic
dim = 3
[data]
n = 20 30 40
[train]
algorithm = sgd sde
steps = 40
log_every = 10
[bounds]
trajectory = true
jackknife_groups = 4
[mc]
replicates = 48
block = 8
INI
  cd "$WORK/slurm" || exit 1
  say "(b) jobs/slurm_sweep.sh 3: an array of 3 parts and a merge job that depends on it"
  show "SDEGEN_OUTPUT=results.h5 SDEGEN_ARRAY_OPTS=--time=00:05:00 SDEGEN_MERGE_OPTS=--time=00:05:00 $JOBS/slurm_sweep.sh 3 ../sweep.ini -q"
  local ids
  ids=$(SDEGEN_OUTPUT=results.h5 SDEGEN_ARRAY_OPTS=--time=00:05:00 SDEGEN_MERGE_OPTS=--time=00:05:00 \
        "$JOBS/slurm_sweep.sh" 3 ../sweep.ini -q) || fail "slurm_sweep.sh failed"
  while read -r line; do echo "  | $line"; done <<<"$ids"
  local array_job merge_job output
  array_job=$(sed -n 's/^array_job=//p' <<<"$ids")
  merge_job=$(sed -n 's/^merge_job=//p' <<<"$ids")
  output=$(sed -n 's/^output=//p' <<<"$ids")
  if [ -z "$array_job" ] || [ -z "$merge_job" ] || [ "$output" != results.h5 ]; then
    fail "unexpected output of slurm_sweep.sh"
  fi
  local t=$SECONDS
  wait_gone 400 "$array_job" "$merge_job"
  say "  array and merge jobs done after $((SECONDS - t)) s"
  local f
  for f in sdegen-"${array_job}"_*.out sdegen-merge-"$merge_job".out; do [ -f "$f" ] && show_log "$f"; done
  expect_completed "$array_job"
  expect_completed "$merge_job"
  [ "$(scontrol -o show job "$array_job" | wc -l)" -eq 3 ] || fail "the array did not have 3 tasks"
  for i in 0 1 2; do [ -f "sdegen-$array_job-part-$i.h5" ] || fail "no part file sdegen-$array_job-part-$i.h5"; done
  [ -f results.h5 ] || fail "the merge job wrote no results.h5"
  "$PYTHON" "$HERE/check_slurm_results.py" summary results.h5 12 || fail "results.h5"

  cd "$WORK/single" || exit 1
  say "the same sweep in one run, without Slurm"
  show "${MPIEXEC[*]} 2 $SDEGEN run ../sweep.ini -q -o results.h5"
  timeout 300 "${MPIEXEC[@]}" 2 "$SDEGEN" run ../sweep.ini -q -o results.h5 || fail "the single run failed"
  "$PYTHON" "$HERE/check_slurm_results.py" compare "$WORK/single/results.h5" "$WORK/slurm/results.h5" \
    || fail "the merged file differs from the single run's"
}

case_checkpoint() {
  mkdir -p "$WORK/slurm" "$WORK/single"
  cat >"$WORK/long.ini" <<'INI'
# about 20 s on 2 cores: long enough to be interrupted
[problem]
name = logistic
dim = 5
[data]
n = 100 200
[train]
algorithm = sgd sde
steps = 1000
log_every = 100
[mc]
replicates = 16384
INI
  cd "$WORK/slurm" || exit 1
  say "(c) SDEGEN_REQUEUE=1 jobs/slurm_run.sbatch, interrupted by SIGUSR1 to the batch shell"
  show "SDEGEN_REQUEUE=1 SDEGEN_OUTPUT=results.h5 sbatch --parsable --time=00:10:00 $JOBS/slurm_run.sbatch ../long.ini"
  local job
  job=$(SDEGEN_REQUEUE=1 SDEGEN_OUTPUT=results.h5 sbatch --parsable --time=00:10:00 \
        "$JOBS/slurm_run.sbatch" ../long.ini) || fail "sbatch failed"
  job=${job%%;*}
  local log=sdegen-$job.out until=$((SECONDS + 120))
  say "  job $job submitted; waiting for sdegen's first progress line in $log"
  until [ -f "$log" ] && grep -q "^progress:" "$log"; do
    [ "$SECONDS" -lt "$until" ] || { [ -f "$log" ] && show_log "$log"; fail "sdegen did not report progress within 120 s"; }
    sleep 0.5
  done
  show "scancel --batch --signal=USR1 $job"
  scancel --batch --signal=USR1 "$job" || fail "scancel --signal failed"
  until=$((SECONDS + 120))
  until grep -q "requeueing job" "$log"; do
    if [ "$SECONDS" -ge "$until" ] || grep -q "sdegen exited with 0" "$log"; then
      show_log "$log"; fail "the job did not stop at a checkpoint and requeue itself"
    fi
    sleep 0.5
  done
  [ -d results.h5.checkpoint ] || fail "no checkpoint directory results.h5.checkpoint"
  say "  sdegen stopped at a checkpoint and the job requeued itself: $(find results.h5.checkpoint -type f | wc -l) file(s) in results.h5.checkpoint"
  until=$((SECONDS + 60))
  until [ "$(job_field "$job" JobState)" = PENDING ]; do
    [ "$SECONDS" -lt "$until" ] || fail "job $job is $(job_field "$job" JobState), not PENDING after the requeue"
    sleep 0.5
  done
  # Slurm holds a requeued job back for about 2 minutes; start it now.
  show "scontrol update JobId=$job StartTime=now"
  scontrol update JobId="$job" StartTime=now || fail "scontrol update StartTime failed"
  local t=$SECONDS
  wait_gone 300 "$job"
  say "  the requeued job finished after $((SECONDS - t)) s"
  show_log "$log"
  expect_completed "$job"
  [ "$(job_field "$job" Restarts)" = 1 ] || fail "job $job: Restarts=$(job_field "$job" Restarts), expected 1"
  grep -q "resuming" "$log" || fail "the requeued job did not pass --resume"
  [ -f results.h5 ] || fail "no results.h5 after the resumed run"
  [ ! -e results.h5.checkpoint ] || fail "results.h5.checkpoint is still there after the run completed"
  "$PYTHON" "$HERE/check_slurm_results.py" summary results.h5 4 || fail "results.h5"

  cd "$WORK/single" || exit 1
  say "the same run uninterrupted, without Slurm"
  show "${MPIEXEC[*]} 2 $SDEGEN run ../long.ini -q -o results.h5"
  timeout 300 "${MPIEXEC[@]}" 2 "$SDEGEN" run ../long.ini -q -o results.h5 || fail "the uninterrupted run failed"
  "$PYTHON" "$HERE/check_slurm_results.py" compare "$WORK/single/results.h5" "$WORK/slurm/results.h5" \
    || fail "the checkpointed and resumed run differs from the uninterrupted one"
}

wait_for_log() {   # wait_for_log SECONDS FILE PATTERN: until FILE has a line matching PATTERN
  local until=$((SECONDS + $1))
  until [ -f "$2" ] && grep -q -- "$3" "$2"; do
    [ "$SECONDS" -lt "$until" ] || { [ -f "$2" ] && show_log "$2"; fail "no line '$3' in $2 after $1 s"; }
    sleep 0.5
  done
}

case_array_requeue() {
  mkdir -p "$WORK/slurm" "$WORK/single" "$WORK/refusing"
  cat >"$WORK/requeue.ini" <<'INI'
# 3 cells of about 15 s each on one core: long enough to be interrupted
[problem]
name = logistic
dim = 5
[data]
n = 100 150 200
[train]
algorithm = sgd
steps = 2000
log_every = 100
[mc]
replicates = 32768
INI
  cd "$WORK/slurm" || exit 1
  say "(d) jobs/slurm_sweep.sh 5 on 3 cells: 2 tasks without cells; task 0 interrupted and requeued"
  show "SDEGEN_OUTPUT=results.h5 SDEGEN_ARRAY_OPTS='--ntasks=1 --time=00:10:00' $JOBS/slurm_sweep.sh 5 ../requeue.ini -q"
  local ids array_job merge_job
  ids=$(SDEGEN_OUTPUT=results.h5 SDEGEN_ARRAY_OPTS="--ntasks=1 --time=00:10:00" SDEGEN_MERGE_OPTS=--time=00:05:00 \
        "$JOBS/slurm_sweep.sh" 5 ../requeue.ini -q) || fail "slurm_sweep.sh failed"
  array_job=$(sed -n 's/^array_job=//p' <<<"$ids")
  merge_job=$(sed -n 's/^merge_job=//p' <<<"$ids")
  [ -n "$array_job" ] && [ -n "$merge_job" ] || fail "unexpected output of slurm_sweep.sh: $ids"
  local log=sdegen-${array_job}_0.out
  say "  array job $array_job, merge job $merge_job; waiting for task 0's sdegen to start"
  wait_for_log 120 "$log" "slurm_run: srun --mpi=pmix"
  local until=$((SECONDS + 60))
  until pgrep -f "^$SDEGEN run .*-part-0.h5" >/dev/null; do
    [ "$SECONDS" -lt "$until" ] || { show_log "$log"; fail "task 0's sdegen did not start within 60 s"; }
    sleep 0.2
  done
  sleep 2   # sdegen installs its signal handlers right after start-up
  # For an array task, scancel delivers the signal, then keeps retrying while the task requeues
  # ("Job can not be altered now") and exits non-zero: it runs in the background and is stopped
  # once the task has requeued, before it could signal the resumed task again.
  show "scancel --batch --signal=USR1 ${array_job}_0 &"
  scancel --batch --signal=USR1 "${array_job}_0" 2>/dev/null &
  local scancel_pid=$!
  wait_for_log 120 "$log" "requeueing job"
  kill "$scancel_pid" 2>/dev/null
  wait "$scancel_pid" 2>/dev/null
  until=$((SECONDS + 60))
  until [ "$(job_field "${array_job}_0" JobState)" = PENDING ]; do
    [ "$SECONDS" -lt "$until" ] || fail "task 0 is $(job_field "${array_job}_0" JobState), not PENDING after the requeue"
    sleep 0.5
  done
  [ "$(job_field "$merge_job" JobState)" = PENDING ] || fail "the merge job is $(job_field "$merge_job" JobState) after task 0 requeued"
  say "  task 0 requeued itself; the merge job is still PENDING"
  show "scontrol update JobId=${array_job}_0 StartTime=now"
  scontrol update JobId="${array_job}_0" StartTime=now || fail "scontrol update StartTime failed"
  local t=$SECONDS
  wait_gone 400 "$array_job" "$merge_job"
  say "  array and merge jobs done after $((SECONDS - t)) s"
  local f
  for f in sdegen-"${array_job}"_*.out sdegen-merge-"$merge_job".out; do [ -f "$f" ] && show_log "$f"; done
  expect_completed "$array_job"
  expect_completed "$merge_job"
  [ "$(job_field "${array_job}_0" Restarts)" = 1 ] || fail "task 0: Restarts=$(job_field "${array_job}_0" Restarts), expected 1"
  grep -q "resuming" "$log" || fail "the requeued task 0 did not pass --resume"
  [ -f results.h5 ] || fail "the merge job wrote no results.h5"
  "$PYTHON" "$HERE/check_slurm_results.py" summary results.h5 3 || fail "results.h5"

  cd "$WORK/single" || exit 1
  say "the same sweep in one run, without Slurm"
  show "${MPIEXEC[*]} 2 $SDEGEN run ../requeue.ini -q -o results.h5"
  timeout 300 "${MPIEXEC[@]}" 2 "$SDEGEN" run ../requeue.ini -q -o results.h5 || fail "the single run failed"
  "$PYTHON" "$HERE/check_slurm_results.py" compare "$WORK/single/results.h5" "$WORK/slurm/results.h5" \
    || fail "the merged file differs from the single run's"

  # The other behaviour the scripts accept for a part without cells: sdegen exits 2 saying so.
  cd "$WORK/refusing" || exit 1
  cat >refusing-sdegen <<SH
#!/bin/bash
# sdegen that refuses a --cells part without cells (here parts 2 and up of the 2-cell tiny.ini)
previous=
for a in "\$@"; do
  if [ "\$previous" = --cells ] && [ "\${a%%/*}" -ge 2 ]; then
    echo "sdegen: error: option '--cells': part \$a has no cells" >&2
    exit 2
  fi
  previous=\$a
done
exec $SDEGEN "\$@"
SH
  chmod +x refusing-sdegen
  printf '[problem]\ndim = 3\n[data]\nn = 20 40\n[train]\nalgorithm = sgd\nsteps = 30\n[mc]\nreplicates = 32\n' >tiny2.ini
  say "(d) an sdegen that exits 2 for parts without cells: jobs/slurm_sweep.sh 3 on 2 cells"
  ids=$(SDEGEN_BIN=$PWD/refusing-sdegen SDEGEN_OUTPUT=results.h5 SDEGEN_ARRAY_OPTS="--ntasks=1 --time=00:05:00" \
        SDEGEN_MERGE_OPTS=--time=00:05:00 "$JOBS/slurm_sweep.sh" 3 tiny2.ini -q) || fail "slurm_sweep.sh failed"
  array_job=$(sed -n 's/^array_job=//p' <<<"$ids")
  merge_job=$(sed -n 's/^merge_job=//p' <<<"$ids")
  wait_gone 300 "$array_job" "$merge_job"
  for f in sdegen-"${array_job}"_*.out sdegen-merge-"$merge_job".out; do [ -f "$f" ] && show_log "$f"; done
  expect_completed "$array_job"
  expect_completed "$merge_job"
  [ -f "sdegen-$array_job-part-2.h5.empty" ] || fail "task 2 left no sdegen-$array_job-part-2.h5.empty"
  grep -q "skipping part(s) 2" "sdegen-merge-$merge_job.out" || fail "the merge did not report skipping part 2"
  "$PYTHON" "$HERE/check_slurm_results.py" summary results.h5 2 || fail "results.h5 of the refusing sdegen"
}

case $CASE in
  run) case_run ;;
  array_requeue) case_array_requeue ;;
  sweep) case_sweep ;;
  checkpoint) case_checkpoint ;;
  *) fail "unknown case '$CASE' (run, sweep, checkpoint or array_requeue)" ;;
esac
say "PASS ($CASE)"
