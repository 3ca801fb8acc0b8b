#!/usr/bin/env bash
# Starts a one-node Slurm cluster (munged, slurmctld, slurmd) in a temporary folder, for the
# tests in this folder. Source it, set an EXIT trap that calls qci_slurm_stop, then call
# qci_slurm_start DIR; qci_slurm_stop stops every daemon it started, whatever happened. Needs root (slurmd
# runs jobs as their user) and Debian's slurm-wlm and munge (scripts/install-deps.sh).
#
# The daemons talk over 127.0.0.1 only (NodeAddr, SlurmctldHost's address and
# CommunicationParameters=NoInAddrAny,NoCtldInAddrAny), on ports chosen free at start, with no cgroup plugins
# (ProctrackType=proctrack/linuxproc, TaskPlugin=task/none) and no accounting, so they run in a
# container as well as on a CI machine.

QCI_SLURM_PIDS=()
QCI_SLURM_WATCHDOG=

# A TCP port nothing listens on, from a range away from Slurm's defaults (6817-6819).
qci_free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

# Runs "$@" until it succeeds or SECONDS_LEFT run out; never waits unbounded.
qci_wait_for() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then echo "timed out after ${seconds}s waiting for $what" >&2; return 1; fi
    sleep 0.5
  done
}

qci_slurm_stop() {
  local pid
  # Jobs first: slurmstepd outlives slurmd by design, so a job still running would stay behind.
  if [ "${#QCI_SLURM_PIDS[@]}" -gt 0 ] && [ -n "${SLURM_CONF:-}" ]; then
    scancel --quiet --full $(squeue -h -o %A 2>/dev/null) 2>/dev/null || true
    qci_wait_for 20 "jobs to end" bash -c '[ -z "$(squeue -h 2>/dev/null)" ]' || true
  fi
  [ -z "${QCI_SLURM_WATCHDOG:-}" ] || kill "$QCI_SLURM_WATCHDOG" 2>/dev/null || true
  for pid in "${QCI_SLURM_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${QCI_SLURM_PIDS[@]}"; do
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  done
  QCI_SLURM_PIDS=()
}

qci_slurm_start() {
  local dir=$1
  local node cpus ctld_port slurmd_port
  node=$(hostname -s)
  cpus=$(nproc)
  ctld_port=$(qci_free_port) && slurmd_port=$(qci_free_port) || { echo "no free port" >&2; return 1; }
  mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
  chmod 755 "$dir/munge"

  # Should this shell be killed outright (SIGKILL: no trap runs), the daemons still go.
  local owner=$$
  (while kill -0 "$owner" 2>/dev/null; do sleep 2; done
   [ -f "$dir/pids" ] && kill $(cat "$dir/pids") 2>/dev/null) >/dev/null 2>&1 &
  QCI_SLURM_WATCHDOG=$!

  mungekey --create --keyfile="$dir/munge/munge.key" --force >/dev/null
  chmod 600 "$dir/munge/munge.key"
  munged --foreground --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed" >"$dir/munge/munged.out" 2>&1 &
  QCI_SLURM_PIDS+=($!)
  echo $! >>"$dir/pids"
  qci_wait_for 20 munged test -S "$dir/munge/munge.socket" || return 1

  : >"$dir/plugstack.conf"
  cat >"$dir/slurm.conf" <<CONF
ClusterName=qcitest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
CommunicationParameters=NoInAddrAny,NoCtldInAddrAny
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
PlugStackConfig=$dir/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
KillWait=5
SchedulerParameters=sched_interval=1
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=main Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$dir/slurm.conf"
  slurmctld -D -i -f "$SLURM_CONF" >"$dir/slurmctld.out" 2>&1 &
  QCI_SLURM_PIDS+=($!)
  echo $! >>"$dir/pids"
  slurmd -D -f "$SLURM_CONF" -N "$node" >"$dir/slurmd.out" 2>&1 &
  QCI_SLURM_PIDS+=($!)
  echo $! >>"$dir/pids"
  qci_wait_for 60 "the node to become idle" bash -c "sinfo -h -N -o %t | grep -qx idle" || {
    tail -20 "$dir/slurmctld.log" "$dir/slurmd.log" >&2; return 1; }
}
