#!/usr/bin/env bash
# CI check of the Slurm executor on a real cluster: starts a single-node Slurm (scripts/slurm_cluster.sh),
# runs a small sweep with --executor slurm and the same sweep with --executor local, requires
# byte-identical results.csv and results.parquet, and stops the daemons it started, whatever happens.
# Prints "slurm sweep check: passed" or "... failed: why"; exit status 0 or 1.
set -uo pipefail
cd "$(dirname "$0")/.."
rglens=(dotnet src/RgLens.Cli/bin/Release/net10.0/linux-x64/rglens.dll)
[ -f "${rglens[1]}" ] || dotnet build src/RgLens.Cli -c Release -v quiet >/dev/null
work=$(mktemp -d /tmp/rglens-slurm-check.XXXXXX)
cluster="$work/cluster"
trap 'scripts/slurm_cluster.sh stop "$cluster"; rm -rf "$work"' EXIT
fail() { echo "slurm sweep check: failed: $*"; exit 1; }
conf=$(scripts/slurm_cluster.sh start "$cluster") || fail "the cluster did not start ($(tail -n 3 "$cluster"/log/*.log 2>/dev/null | tr '\n' ' '))"
export SLURM_CONF="$conf"
args=(sweep --quick --N 16 --compressions 2 --train-samples 512 --probe-samples 256 --epochs 3 --replicates 5
      --objectives autoencoder --readings sign --axis K=0.3,0.8 --axis h=0,0.2)
timeout 600 "${rglens[@]}" "${args[@]}" --executor slurm --throttle 2 --out "$work/slurm" >"$work/slurm.log" 2>&1 \
  || fail "the slurm sweep exited $? ($(tail -n 3 "$work/slurm.log" | tr '\n' ' '))"
grep -q "4 finished" "$work/slurm.log" || fail "not every cell finished: $(tail -n 3 "$work/slurm.log" | tr '\n' ' ')"
timeout 600 "${rglens[@]}" "${args[@]}" --executor local --out "$work/local" >"$work/local.log" 2>&1 || fail "the local sweep exited $?"
cmp -s "$work/slurm/results.csv" "$work/local/results.csv" || fail "results.csv differs between the slurm and local executors"
cmp -s "$work/slurm/results.parquet" "$work/local/results.parquet" || fail "results.parquet differs between the slurm and local executors"
echo "slurm sweep check: passed (job $(grep -o 'job array [0-9]*' "$work/slurm.log" | grep -o '[0-9]*$'), 4 cells, results identical to the local executor's)"
