#!/bin/bash
# Runs a sweep on this machine as N parts (`sdegen run CONFIG --cells i/N`) and merges them with
# `sdegen merge`: a local stand-in for jobs/slurm_sweep.sh. Usage: jobs/sweep_local.sh N CONFIG.ini [sdegen run options...]
#
#   e.g. jobs/sweep_local.sh 3 jobs/example_sweep.ini                # parts one after another, 2 ranks each
#        PARALLEL=1 jobs/sweep_local.sh 4 jobs/example_sweep.ini -o all.h5   # parts at once, 1 process each
# The merged file is -o/--output.file if given, else SDEGEN_OUTPUT, else the config's [output] file,
# else results.h5; the parts are <merged name without .h5>-part-<i>.h5 (replaced if present; a part
# with a checkpoint directory resumes). It equals the file a single run with the same options writes.
# Each part's messages also go to <part>.log. N may exceed the number of cells: a part without
# cells is an empty results file, or (when sdegen exits 2 saying "no cells") no file; either way
# the merge takes only the parts with cells.
# Environment:
#   NP                   ranks per part, one part after another (default 2), started by
#                        SDEGEN_LAUNCHER (default mpirun; see jobs/run_local.sh)
#   PARALLEL=1           run the parts at once as single processes without a launcher, at most
#                        JOBS at a time (default: the number of cores)
#   SDEGEN_SETUP         a bash file sourced first (module loads; see jobs/site_setup.example.sh)
#   SDEGEN_BIN           sdegen executable (default: as jobs/run_local.sh finds it)
#   SDEGEN_REMOVE_PARTS  1: delete the parts once merged (default: keep them)
# --output.overwrite also lets the merge replace an existing merged file. Exit code: 0, or that of
# the first part (or the merge) that failed.
set -uo pipefail

say() { echo "sweep_local: $*" >&2; }
info() { [ "$quiet" = 1 ] || say "$@"; }   # progress messages, silenced by -q
quiet=0
usage() { say "usage: $0 N CONFIG.ini [sdegen run options...]"; exit 2; }

[ $# -ge 2 ] || usage
parts=$1
config=$2
shift 2
[[ $parts =~ ^[1-9][0-9]*$ ]] || { say "N must be a positive integer, not '$parts'"; usage; }
[ -f "$config" ] || { say "config file '$config' not found"; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# shellcheck source=jobs/local_env.sh
source "$here/local_env.sh"   # (run_local.sh then skips SDEGEN_SETUP)
export SDEGEN_BIN=$bin

# Take the output name out of the options (each part gets its own); note -q and --output.overwrite.
output=
run_args=()
merge_args=()
while [ $# -gt 0 ]; do
  case $1 in
    -o|--output|--output.file)
      [ $# -ge 2 ] || { say "$1 needs a file name"; exit 2; }
      output=$2; shift 2; continue ;;
    --output=*|--output.file=*) output=${1#*=}; shift; continue ;;
    --output.overwrite|--output.overwrite=true|--output.overwrite=1) merge_args=(--overwrite) ;;
    -q|--quiet) quiet=1 ;;
    --cells|--cells=*) say "don't pass $1: each part chooses its cells"; exit 2 ;;
  esac
  run_args+=("$1")
  shift
done
if [ -z "$output" ]; then output=${SDEGEN_OUTPUT:-}; fi
if [ -z "$output" ]; then      # [output] file = NAME in the config
  output=$(awk '/^[ \t]*\[/ { s = $0; gsub(/[ \t\[\]]/, "", s); next }
                s == "output" && /^[ \t]*file[ \t]*=/ { sub(/^[^=]*=[ \t]*/, ""); sub(/[ \t]*(#.*)?$/, ""); f = $0 }
                END { print f }' "$config")
fi
[ -n "$output" ] || output=results.h5
stem=${output%.h5}
if [ -e "$output" ] && [ ${#merge_args[@]} -eq 0 ]; then
  say "output file '$output' exists (option '--output.overwrite' replaces it)"
  exit 2
fi

part_command() {   # part_command I NP: the command line of part I
  local i=$1 np=$2 part=$stem-part-$1.h5
  local cmd
  if [ "$np" = 0 ]; then cmd=("$bin" run); else cmd=(env NP="$np" "$here/run_local.sh"); fi
  cmd+=("$config" "${run_args[@]}" --cells "$i/$parts" -o "$part")
  if [ -d "$part.checkpoint" ]; then cmd+=(--resume); else rm -f -- "$part"; fi
  printf '%q ' "${cmd[@]}"
}

# An exit code 2 whose message says "no cells": a part without cells (more parts than cells).
empty_part() {   # empty_part I RC
  [ "$2" -eq 2 ] && [ -f "$stem-part-$1.log" ] && grep -qi "no cells" "$stem-part-$1.log"
}

start=$SECONDS
files=()
status=0
if [ "${PARALLEL:-0}" = 1 ]; then
  jobs=${JOBS:-$(nproc)}
  info "running $parts parts, at most $jobs at a time, one process each; merged file: $output"
  pids=()
  for ((i = 0; i < parts; i++)); do
    files+=("$stem-part-$i.h5")
    if [ "$i" -ge "$jobs" ]; then wait -n; fi
    line=$(part_command "$i" 0)
    info "part $i: $line> $stem-part-$i.log"
    eval "$line" >"$stem-part-$i.log" 2>&1 &
    pids+=($!)
  done
  for ((i = 0; i < parts; i++)); do
    wait "${pids[$i]}"
    rc=$?
    if empty_part "$i" "$rc"; then
      info "part $i has no cells"
      rc=0
    elif [ "$rc" -ne 0 ]; then
      say "part $i failed with exit code $rc; its output ($stem-part-$i.log):"
      tail -n 20 "$stem-part-$i.log" >&2
      [ "$status" -ne 0 ] || status=$rc
    fi
  done
else
  np=${NP:-2}
  info "running $parts parts one after another, $np rank(s) each; merged file: $output"
  for ((i = 0; i < parts; i++)); do
    files+=("$stem-part-$i.h5")
    line=$(part_command "$i" "$np")
    info "part $i: $line"
    # live on the terminal and into the part's log (read by empty_part)
    eval "$line" 2> >(tee "$stem-part-$i.log" >&2)
    rc=$?
    wait "$!" 2>/dev/null || sleep 1   # until tee has written everything
    if empty_part "$i" "$rc"; then
      info "part $i has no cells"
    elif [ "$rc" -ne 0 ]; then
      say "part $i failed with exit code $rc"
      status=$rc
      break
    fi
  done
fi
if [ "$status" -ne 0 ]; then
  if [ "$status" -eq 75 ]; then
    say "not merging: a part stopped at a checkpoint; run the same command again to resume it"
  else
    say "not merging: a part failed"
  fi
  exit "$status"
fi

present=()
for f in "${files[@]}"; do [ -f "$f" ] && present+=("$f"); done
if [ ${#present[@]} -eq 0 ]; then
  say "no part wrote a results file: nothing to merge"
  exit 1
fi
merge_log=$("$bin" merge -o "$output" "${merge_args[@]}" "${present[@]}" 2>&1)
rc=$?
if [ "$rc" -ne 0 ]; then
  say "sdegen merge failed with exit code $rc: $merge_log"
  exit "$rc"
fi
info "$merge_log"
[ "${SDEGEN_REMOVE_PARTS:-0}" = 1 ] && rm -f -- "${present[@]}"
if [ "$quiet" = 0 ]; then
  "$bin" report "$output"
  say "merged $parts parts into $output in $((SECONDS - start)) s"
fi
