#!/usr/bin/env bash
# The Slurm scale-out test: a real one-node Slurm cluster (Debian's slurmctld, slurmd, munge) started here, the
# whole `lna run --slurm` pipeline submitted to it (recording and both grids as job arrays, chained with afterok),
# one recording array task killed with scancel and requeued mid-run, and the results compared with a
# single-machine `lna run` of the same settings.
#
#   LNA_BIN=.build/release/lna LNA_MODELS_DIR=... bash scripts/test-slurm.sh WORKDIR
#
# Installs slurmctld slurmd slurm-client munge with apt when missing (idempotent; root or sudo). Configures and
# starts munged (as the munge user), slurmctld and slurmd with state, logs and the munge socket in WORKDIR/cluster,
# and stops every daemon it started (by PID) on exit. Leaves the two run directories WORKDIR/slurm-run and
# WORKDIR/local-run for the caller to compare further (LNACLITests/SlurmCLITests compares the count tensors).
# Exits non-zero on any failure; a missing Slurm is a failure, never a skip.
# LNA_SLURM_TASKS=N sets the recording array size (default 3); LNA_SLURM_MEASURE=1 only times the Slurm run (no
# kill, no single-machine run): WORKDIR/jobtimes lists every job's and task's RunTime (for docs/scaling-out.md).
set -euo pipefail
# The daemons need root (munged runs as the munge user, slurmd as root): re-run under sudo when not root.
[ "$(id -u)" = 0 ] || exec sudo -E bash "$0" "$@"
work="${1:?usage: scripts/test-slurm.sh WORKDIR}"
lna="${LNA_BIN:?set LNA_BIN to the lna binary}"
model="${LNA_SLURM_MODEL:-smollm2-135m}"
tasks="${LNA_SLURM_TASKS:-3}"
log() { printf '[slurm-test %s] %s\n' "$(date +%T)" "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }

install_slurm() {
  local missing=()
  for pair in slurmctld:slurmctld slurmd:slurmd sbatch:slurm-client munged:munge; do
    command -v "${pair%%:*}" >/dev/null || [ -x "/usr/sbin/${pair%%:*}" ] || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]} with apt"
  flock /tmp/apt.lock apt-get update -qq
  DEBIAN_FRONTEND=noninteractive flock /tmp/apt.lock apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

pids=()
stop_daemons() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
}
trap stop_daemons EXIT

start_cluster() {
  local dir="$work/cluster" node; node="$(hostname -s)"
  mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
  chmod 755 "$work" "$dir"
  chown munge:munge "$dir/munge"; chmod 755 "$dir/munge"   # munged wants its socket folder searchable by all
  # A key of this cluster's own (munged refuses keys others can read).
  if [ ! -s "$dir/munge/munge.key" ]; then
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
    chown munge:munge "$dir/munge/munge.key"; chmod 400 "$dir/munge/munge.key"
  fi
  local sock="$dir/munge/munge.socket"
  setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged --foreground --socket="$sock" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed" \
    >"$dir/munged.out" 2>&1 &
  pids+=($!)
  # Ports of our own, so a system Slurm (if any) is not disturbed.
  local port=$((17000 + RANDOM % 2000))
  cat > "$dir/slurm.conf" <<CONF
ClusterName=lnatest
SlurmctldHost=$node
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=3600
MailProg=/bin/true
NodeName=$node CPUs=2 RealMemory=2000 State=UNKNOWN
PartitionName=lnatest Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$dir/slurm.conf"
  for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
  [ -S "$sock" ] || fail "munged did not start: $(cat "$dir/munged.out" 2>/dev/null)"
  /usr/sbin/slurmctld -D -i >"$dir/slurmctld.out" 2>&1 &
  pids+=($!)
  /usr/sbin/slurmd -D >"$dir/slurmd.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 300); do
    sinfo -h -N -o '%T' 2>/dev/null | grep -qx idle && { log "cluster up: node $node idle"; return 0; }
    sleep 0.2
  done
  cat "$dir"/*.log "$dir"/*.out >&2 || true
  fail "the node did not become idle in 60 s"
}

job_state() { scontrol -o show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -1 | cut -d= -f2; }

# Waits until none of our jobs is pending or running (no accounting: squeue, then scontrol for the final states).
wait_for_jobs() {
  local deadline=$((SECONDS + ${LNA_SLURM_TIMEOUT:-1200}))
  while [ -n "$(squeue -h -o %i)" ]; do
    [ $SECONDS -lt $deadline ] || { squeue; fail "jobs still queued after the timeout"; }
    if squeue -h -o '%r' | grep -q DependencyNeverSatisfied; then squeue; fail "a dependency can never be satisfied"; fi
    sleep 1
  done
}

# Every job and array task of the run ended COMPLETED.
check_completed() {
  local job id state
  while read -r job id; do
    for state in $(scontrol -o show job "$id" | grep -o 'JobState=[A-Z_]*' | cut -d= -f2); do
      [ "$state" = COMPLETED ] || { tail -n 30 "$1"/slurm/logs/"$job"-* >&2 || true; fail "job $job ($id) ended $state"; }
    done
  done < "$1/slurm/jobs.txt"
}

# "job task RunTime" of every job and array task (RunTime of the last run of a requeued task).
job_times() {
  local job id
  while read -r job id; do
    scontrol -o show job "$id" | sed -n 's/.*ArrayTaskId=\([0-9]*\).*RunTime=\([0-9:-]*\).*/\1 \2/p; t; s/.*RunTime=\([0-9:-]*\).*/- \1/p' \
      | sort -n | sed "s/^/$job /"
  done < "$1/slurm/jobs.txt"
}

main() {
  mkdir -p "$work"
  work="$(cd "$work" && pwd)"
  install_slurm
  start_cluster
  local settings=(-m "$model" -l en,de,zh --ppl-limit 4 --steering-prompts 1 --batch-tokens 256)
  local slurm_run="$work/slurm-run" local_run="$work/local-run"
  local start=$SECONDS
  "$lna" run "${settings[@]}" --out "$slurm_run" --slurm --tasks "$tasks" --ppl-tasks 3 --steering-tasks 2 \
    --cpus-per-task 1 --mem 500M --time 00:30:00 > "$work/submit.out"
  cat "$work/submit.out" >&2
  local record; record="$(awk '$1 == "record" {print $2}' "$work/submit.out")"
  [ -n "$record" ] || fail "no record job id in the output of lna run --slurm"

  if [ "${LNA_SLURM_MEASURE:-0}" = 1 ]; then
    wait_for_jobs
    check_completed "$slurm_run"
    job_times "$slurm_run" > "$work/jobtimes"
    log "slurm pipeline finished in $((SECONDS - start)) s ($tasks recording tasks)"; cat "$work/jobtimes" >&2
    return 0
  fi
  # Kill recording task 0 once it has finished its first language (the others still to do), then requeue it:
  # it must skip what it finished, redo the rest, and the run still end equal.
  local deadline=$((SECONDS + 600)) first="$slurm_run/shards/en.shard-0-of-$tasks.safetensors"
  until [ -f "$first" ]; do
    [ $SECONDS -lt $deadline ] || fail "task ${record}_0 never wrote $first"; sleep 0.1
  done
  [ "$(job_state "${record}_0")" = RUNNING ] || fail "task ${record}_0 finished before it could be killed (state $(job_state "${record}_0"))"
  scancel "${record}_0"
  deadline=$((SECONDS + 60))
  until [ "$(job_state "${record}_0")" = CANCELLED ]; do
    [ $SECONDS -lt $deadline ] || fail "task ${record}_0 is $(job_state "${record}_0"), not CANCELLED, after scancel"; sleep 0.2
  done
  log "task ${record}_0 cancelled; requeueing it"
  scontrol requeue "${record}_0"
  scontrol update jobid="${record}_0" StartTime=now   # a requeued job otherwise waits about two minutes
  wait_for_jobs
  check_completed "$slurm_run"
  job_times "$slurm_run" > "$work/jobtimes"
  local restarts; restarts="$(scontrol -o show job "${record}_0" | grep -o 'Restarts=[0-9]*' | cut -d= -f2)"
  [ "${restarts:-0}" -ge 1 ] || fail "task ${record}_0 was not restarted (Restarts=${restarts:-?})"
  grep -q "en: shard 0/$tasks .*(already complete)" "$slurm_run"/slurm/logs/record-"${record}"_0.out \
    || fail "the requeued task did not resume (no 'already complete' for en in its log)"
  log "slurm pipeline finished in $((SECONDS - start)) s ($tasks recording tasks; task 0 killed and requeued)"
  echo "slurm_seconds=$((SECONDS - start))" > "$work/timing"

  start=$SECONDS
  "$lna" run "${settings[@]}" --out "$local_run" > "$work/local.out" 2>&1 || { tail -n 30 "$work/local.out" >&2; fail "the single-machine lna run failed"; }
  log "single-machine lna run finished in $((SECONDS - start)) s"
  echo "local_seconds=$((SECONDS - start))" >> "$work/timing"

  # Byte-equal files (the ppl.json and report name their run directory: compared with it replaced).
  for file in masks.json masks.safetensors autosweep.json steering/grid.json; do
    cmp "$slurm_run/$file" "$local_run/$file" || fail "$file differs from the single-machine run"
  done
  cmp <(sed "s|$slurm_run|RUN|g" "$slurm_run/ppl/ppl.json") <(sed "s|$local_run|RUN|g" "$local_run/ppl/ppl.json") \
    || fail "ppl/ppl.json differs from the single-machine run"
  log "equal: masks.json, masks.safetensors, autosweep.json, steering/grid.json, ppl/ppl.json (byte for byte, run directory replaced)"
}
main
