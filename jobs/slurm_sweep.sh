#!/bin/bash
# Submits a sweep as N Slurm array tasks (jobs/slurm_array.sbatch, one part of the cells each) and a
# merge job (jobs/slurm_merge.sbatch) that runs once every task has succeeded; prints both job ids.
#
# Usage: jobs/slurm_sweep.sh N CONFIG.ini [sdegen run options...]
#   e.g. jobs/slurm_sweep.sh 8 jobs/paper_claims.ini --mc.replicates 4000
# Run it in the directory where the files should go (the jobs' working directory). It prints
#   array_job=<id>  merge_job=<id>  output=<merged file>   (one per line, on stdout)
# The parts are PREFIX-part-<i>.h5, the merged file PREFIX.h5 (PREFIX: sdegen-<array job id>).
# Environment (also passed on to the jobs; see the .sbatch files for SDEGEN_SETUP, SDEGEN_LAUNCHER,
# SDEGEN_REQUEUE, SDEGEN_REMOVE_PARTS):
#   SDEGEN_BIN          sdegen executable (default: build/sdegen in the current directory or next
#                       to jobs/, bin/sdegen of an installed tree, else sdegen on PATH)
#   SDEGEN_PREFIX       PREFIX instead of sdegen-<array job id>
#   SDEGEN_OUTPUT       merged file instead of PREFIX.h5
#   SDEGEN_MAX_RUNNING  run at most this many array tasks at once (--array=0-(N-1)%K)
#   SDEGEN_ARRAY_OPTS   extra sbatch options for the array, e.g. "--ntasks=4 --time=02:00:00"
#   SDEGEN_MERGE_OPTS   extra sbatch options for the merge job
# --output.overwrite among the sdegen options also lets the merge replace an existing merged file.
# A task that reaches its time limit checkpoints and requeues itself; the merge job waits for it.
# N may exceed the number of cells (the tasks without cells succeed and the merge skips them).
# If a task fails, the merge job is cancelled (--kill-on-invalid-dep=yes). Rerun the failed parts
# with SDEGEN_PARTS=N SDEGEN_PREFIX=... sbatch --array=<ids> jobs/slurm_array.sbatch ..., then
# submit jobs/slurm_merge.sbatch PREFIX N yourself.
set -euo pipefail

say() { echo "slurm_sweep: $*" >&2; }
usage() { say "usage: $0 N CONFIG.ini [sdegen run options...]"; exit 2; }

[ $# -ge 2 ] || usage
parts=$1
config=$2
shift 2
[[ $parts =~ ^[1-9][0-9]*$ ]] || { say "N must be a positive integer, not '$parts'"; usage; }
[ -f "$config" ] || { say "config file '$config' not found"; exit 2; }
jobs_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export SDEGEN_JOBS_DIR=$jobs_dir
if [ -z "${SDEGEN_BIN:-}" ]; then   # the build or installed tree of these scripts, else PATH
  for candidate in "$PWD/build/sdegen" "$jobs_dir/../build/sdegen" "$jobs_dir/../../../bin/sdegen" \
                   "$(command -v sdegen || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then SDEGEN_BIN=$(realpath "$candidate"); break; fi
  done
fi
export SDEGEN_BIN
[ -n "$SDEGEN_BIN" ] && [ -x "$SDEGEN_BIN" ] ||
  { say "sdegen executable '${SDEGEN_BIN:-sdegen}' not found (set SDEGEN_BIN, or put sdegen on PATH)"; exit 2; }
command -v sbatch >/dev/null || { say "sbatch not found: is this a Slurm login node?"; exit 2; }

merge_args=()
for a in "$@"; do
  case $a in
    --output.overwrite|--output.overwrite=true|--output.overwrite=1) merge_args=(--overwrite) ;;
    -o|--output|--output=*|--output.file|--output.file=*)
      say "don't pass $a: set SDEGEN_OUTPUT (merged file) or SDEGEN_PREFIX (part names)"; exit 2 ;;
    --cells|--cells=*) say "don't pass $a: the array tasks choose their cells"; exit 2 ;;
  esac
done

range=0-$((parts - 1))
[ -n "${SDEGEN_MAX_RUNNING:-}" ] && range+=%$SDEGEN_MAX_RUNNING
# SDEGEN_ARRAY_OPTS / SDEGEN_MERGE_OPTS are split into words on purpose
# shellcheck disable=SC2086
array_job=$(sbatch --parsable --array="$range" ${SDEGEN_ARRAY_OPTS:-} \
            "$jobs_dir/slurm_array.sbatch" "$config" "$@")
array_job=${array_job%%;*}
prefix=${SDEGEN_PREFIX:-sdegen-$array_job}
output=${SDEGEN_OUTPUT:-$prefix.h5}
say "array job $array_job: $parts task(s) writing $prefix-part-{0..$((parts - 1))}.h5"

# shellcheck disable=SC2086
if ! merge_job=$(SDEGEN_OUTPUT=$output sbatch --parsable --dependency="afterok:$array_job" \
                 --kill-on-invalid-dep=yes ${SDEGEN_MERGE_OPTS:-} \
                 "$jobs_dir/slurm_merge.sbatch" "$prefix" "$parts" "${merge_args[@]}"); then
  say "submitting the merge job failed; the array job $array_job is running:" \
      "merge later with: sbatch --dependency=afterok:$array_job $jobs_dir/slurm_merge.sbatch $prefix $parts"
  exit 1
fi
merge_job=${merge_job%%;*}
say "merge job $merge_job: after array job $array_job succeeds, merges into $output"
echo "array_job=$array_job"
echo "merge_job=$merge_job"
echo "output=$output"
