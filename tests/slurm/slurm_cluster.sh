#!/bin/bash
# Starts or stops a private single-node Slurm cluster (munged, slurmctld, slurmd; MpiDefault=none, JobRequeue=0).
# Usage (as root): tests/slurm/slurm_cluster.sh up|down|status BASE  -- then: export SLURM_CONF=BASE/etc/slurm.conf
#
# The daemons run in the foreground (-D), detached with setsid, and are stopped by the PIDs
# recorded under BASE/pids (never by name). Each `up` stops what an earlier `up` in the same
# BASE left behind, then starts with empty state (job ids restart at 1). slurmctld and slurmd
# listen on free ports chosen at start-up, so the cluster does not collide with a system Slurm.
# A munged that already answers (`munge -n | unmunge`) is reused and left running; otherwise
# one is started on the default socket and stopped by `down`.
set -euo pipefail

usage() { echo "usage: $0 up|down|status BASE" >&2; exit 2; }
[ $# -eq 2 ] || usage
ACTION=$1
BASE=$(realpath -m "$2")
DAEMONS=(slurmd slurmctld munged)   # stop order

log() { echo "slurm_cluster: $*"; }

# The PID in BASE/pids/NAME if that process is still the daemon we started (guards against PID reuse).
live_pid() {
  local n=$1 f=$BASE/pids/$1 pid comm
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] || return 1
  comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
  [ "$comm" = "$n" ] || return 1
  echo "$pid"
}

down() {
  local n pid
  for n in "${DAEMONS[@]}"; do
    if pid=$(live_pid "$n"); then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
      log "stopped $n (pid $pid)"
    fi
    rm -f "$BASE/pids/$n"
  done
}

status() {
  local n pid
  for n in "${DAEMONS[@]}"; do
    if pid=$(live_pid "$n"); then echo "$n: running (pid $pid)"; else echo "$n: not running"; fi
  done
}

free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for() {   # wait_for SECONDS DESCRIPTION COMMAND...
  local limit=$1 what=$2; shift 2
  for _ in $(seq $((limit * 4))); do
    "$@" &>/dev/null && return 0
    sleep 0.25
  done
  echo "slurm_cluster: timeout after ${limit} s waiting for $what; logs in $BASE/log" >&2
  tail -n 20 "$BASE"/log/*.out "$BASE"/log/*.log 2>/dev/null >&2 || true
  return 1
}

start() {   # start NAME COMMAND...: detached, in the foreground mode of the daemon
  local n=$1; shift
  setsid "$@" >"$BASE/log/$n.out" 2>&1 </dev/null &
  echo $! >"$BASE/pids/$n"
}

munge_ok() { munge -n | unmunge; }
ctld_up() { scontrol ping | grep -q UP; }
node_idle() { [ "$(sinfo -h -N -o %T)" = idle ]; }

up() {
  [ "$(id -u)" -eq 0 ] || { echo "slurm_cluster: must run as root" >&2; exit 1; }
  local node hw ctld_port slurmd_port
  node=$(hostname -s)
  getent hosts "$node" >/dev/null || {
    echo "slurm_cluster: host name $node does not resolve: add it to /etc/hosts" >&2; exit 1; }
  mkdir -p "$BASE/pids"
  down >/dev/null                                   # whatever an earlier run left behind
  rm -rf "${BASE:?}"/{etc,state,spool,log,run}
  mkdir -p "$BASE"/{etc,state,spool,log,run}
  export SLURM_CONF=$BASE/etc/slurm.conf
  # node line from slurmd -C with RealMemory cut to 90 % (more than slurmd sees: node DRAINED)
  hw=$(slurmd -C | head -1 | awk '{for (i = 1; i <= NF; i++) if ($i ~ /^RealMemory=/) {
         split($i, a, "="); $i = "RealMemory=" int(a[2] * 0.9) }; print }')
  ctld_port=$(free_port)
  slurmd_port=$(free_port)
  while [ "$slurmd_port" = "$ctld_port" ]; do slurmd_port=$(free_port); done
  cat >"$SLURM_CONF" <<CONF
# private test cluster written by $0
ClusterName=sdegentest
SlurmctldHost=$node
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmctldPidFile=$BASE/run/slurmctld.pid
SlurmdPidFile=$BASE/run/slurmd.pid
# As on many sites: srun starts no MPI plugin unless asked (the job scripts must say --mpi=pmix),
# and batch jobs cannot be requeued unless they ask for it (#SBATCH --requeue).
MpiDefault=none
JobRequeue=0
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$BASE/log/jobcomp.txt
MailProg=/bin/true
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=3600
KillWait=30
StateSaveLocation=$BASE/state
SlurmdSpoolDir=$BASE/spool
SlurmctldLogFile=$BASE/log/slurmctld.log
SlurmdLogFile=$BASE/log/slurmd.log
$hw State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF

  if munge_ok &>/dev/null; then
    log "reusing the running munged"
  else
    [ -s /etc/munge/munge.key ] || setpriv --reuid=munge --regid=munge --init-groups mungekey --create
    install -d -o munge -g munge -m 0755 /run/munge
    start munged setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged --foreground
    wait_for 20 munged munge_ok
    log "started munged (pid $(cat "$BASE/pids/munged"))"
  fi
  start slurmctld /usr/sbin/slurmctld -D -f "$SLURM_CONF"
  wait_for 30 slurmctld ctld_up
  log "started slurmctld (pid $(cat "$BASE/pids/slurmctld"), port $ctld_port)"
  start slurmd /usr/sbin/slurmd -D -f "$SLURM_CONF"
  wait_for 30 "node $node idle" node_idle
  log "started slurmd (pid $(cat "$BASE/pids/slurmd"), port $slurmd_port)"
  sinfo
  echo "export SLURM_CONF=$SLURM_CONF"
}

case $ACTION in
  up) up ;;
  down) down ;;
  status) status ;;
  *) usage ;;
esac
