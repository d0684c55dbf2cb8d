#!/usr/bin/env bash
# A throw-away single-node Slurm cluster on this machine, for CI (run as root; no systemd).
#   scripts/slurm_cluster.sh start DIR   starts munged (if not running), slurmctld and slurmd with a
#                                        generated configuration under DIR; prints the SLURM_CONF path
#   scripts/slurm_cluster.sh stop DIR    stops the daemons it started (by their pid files)
# Pid, log, state and spool files all live under DIR.
set -uo pipefail
cmd=${1:-}; root=${2:-}
[ -n "$cmd" ] && [ -n "$root" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
mkdir -p "$root"/{state,spool,log,run}
conf="$root/slurm.conf"

stop() {
  for p in slurmd slurmctld munged; do
    f="$root/run/$p.pid"
    if [ -f "$f" ]; then kill "$(cat "$f")" 2>/dev/null; fi
  done
  for p in slurmd slurmctld munged; do
    f="$root/run/$p.pid"
    for _ in $(seq 50); do [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null || break; sleep 0.1; done
    rm -f "$f"
  done
}

if [ "$cmd" = stop ]; then stop; exit 0; fi
[ "$cmd" = start ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

host=$(hostname -s)
cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
[ "$mem" -gt 256 ] || mem=256

# munge: one key, one daemon (ours, unless one is already running).
if ! pgrep -x munged >/dev/null; then
  if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null
  fi
  chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key
  mkdir -p /run/munge /var/lib/munge /var/log/munge; chown munge:munge /run/munge /var/lib/munge /var/log/munge
  runuser -u munge -- /usr/sbin/munged >"$root/log/munged.out" 2>&1 || { echo "munged did not start" >&2; exit 1; }
  for _ in $(seq 50); do [ -S /run/munge/munge.socket.2 ] && break; sleep 0.1; done
  if [ -s /run/munge/munged.pid ]; then cp /run/munge/munged.pid "$root/run/munged.pid"; else pgrep -n -x munged > "$root/run/munged.pid"; fi
fi

cat > "$conf" <<CONF
ClusterName=rglens-ci
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$root/state
SlurmdSpoolDir=$root/spool
SlurmctldPidFile=$root/run/slurmctld.pid
SlurmdPidFile=$root/run/slurmd.pid
SlurmctldLogFile=$root/log/slurmctld.log
SlurmdLogFile=$root/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MaxArraySize=10001
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
# Slurm 22.05 initializes a cgroup plugin even with linuxproc tracking: pick the machine's hierarchy.
if [ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; then echo "CgroupPlugin=cgroup/v2" > "$root/cgroup.conf"
else echo "CgroupPlugin=cgroup/v1" > "$root/cgroup.conf"; fi

export SLURM_CONF="$conf"
/usr/sbin/slurmctld -f "$conf" || { echo "slurmctld did not start (see $root/log)" >&2; stop; exit 1; }
/usr/sbin/slurmd -f "$conf" || { echo "slurmd did not start (see $root/log)" >&2; stop; exit 1; }
for _ in $(seq 100); do
  state=$(sinfo -h -o %T 2>/dev/null | head -1)
  case "$state" in idle|mixed|allocated) echo "$conf"; exit 0;; esac
  sleep 0.2
done
echo "the Slurm node did not come up (state '${state:-none}'; see $root/log)" >&2
stop
exit 1
