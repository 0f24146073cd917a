#!/usr/bin/env bash
# Runs an ecssim sweep as N shards with GNU parallel, on this machine or over
# ssh, then merges them:
#
#   deploy/gnu-parallel.sh STUDY.toml DIR N [JOBS]
#
# runs `ecssim sweep STUDY.toml --shard I/N --out DIR --quiet` for I = 0..N-1,
# JOBS at a time per host (default N), then `ecssim sweep merge DIR`, which
# writes DIR/summary.json and DIR/report.html. Each shard writes
# DIR/runs/RUN_ID.json and skips runs whose file exists, so after a failure
# rerunning the same command resumes where it stopped.
#
# Environment:
#   ECSSIM           the ecssim binary (default: ecssim on PATH; on every host)
#   ECSSIM_PARALLEL  runs at once inside each shard, passed as --parallel
#                    (unset or 0: the study's `parallel`, whose 0 is all
#                    cores). Locally, N shards at once share the cores:
#                    cores / N is a fit.
#   PARALLEL         GNU parallel's own options, e.g. "-S host1,host2" or
#                    "--sshloginfile hosts.txt" to run shards over ssh. Then
#                    STUDY and DIR must be absolute paths on a filesystem all
#                    hosts share (NFS), and ecssim must be installed on each.
set -euo pipefail

usage() {
	cat >&2 <<'USAGE'
usage: gnu-parallel.sh STUDY.toml DIR N [JOBS]
  STUDY.toml  the study file (its scenario resolves against its directory)
  DIR         the sweep's output directory (runs/, study.json, summary.json)
  N           the number of shards, >= 1
  JOBS        shards at once per host (default: N)
environment: ECSSIM (binary), ECSSIM_PARALLEL (--parallel per shard),
             PARALLEL (GNU parallel options, e.g. "-S host1,host2")
USAGE
	exit 2
}

[ $# -ge 3 ] && [ $# -le 4 ] || usage
study=$1
dir=$2
n=$3
jobs=${4:-$n}
case $n in '' | *[!0-9]* | 0*) echo "gnu-parallel.sh: N must be a positive integer, got '$n'" >&2; usage ;; esac
case $jobs in '' | *[!0-9]* | 0*) echo "gnu-parallel.sh: JOBS must be a positive integer, got '$jobs'" >&2; usage ;; esac

ecssim=${ECSSIM:-ecssim}
if ! command -v parallel >/dev/null 2>&1; then
	echo "gnu-parallel.sh: GNU parallel not found (Debian: apt-get install parallel)" >&2
	exit 1
fi

extra=()
if [ -n "${ECSSIM_PARALLEL:-}" ]; then
	extra=(--parallel "$ECSSIM_PARALLEL")
fi

# -q quotes the command, so paths with spaces survive; {} is the shard index.
# --tag prefixes each output line with it. Exit status: the number of failed
# shards, so set -e stops before the merge when one failed.
if ! parallel -q -j "$jobs" --tag \
	"$ecssim" sweep "$study" --shard "{}/$n" --out "$dir" ${extra[@]+"${extra[@]}"} --quiet \
	::: $(seq 0 $((n - 1))); then
	echo "gnu-parallel.sh: some shards failed; rerun the same command to resume (finished runs are skipped)" >&2
	exit 1
fi

"$ecssim" sweep merge "$dir"
