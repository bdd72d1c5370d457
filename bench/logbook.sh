#!/bin/sh
# logbook.sh - durable appends/s and verified entries/s on a 100,000-entry
# incident, next to the floor (plain durable SQLite commits) and the ceiling
# (bare Ed25519 verifications on one core) measured in the same run.
#
#   sh bench/logbook.sh [ENTRIES]        (default 100000; needs `make`)
set -eu
cd "$(dirname "$0")/.."
n=${1:-100000}
[ -x build/bench/bench-logbook ] || make -s build/bench/bench-logbook
dir=$(mktemp -d /tmp/irk-bench.XXXXXX)
trap 'rm -rf "$dir"' EXIT
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -m)"
out=$(build/bench/bench-logbook "$dir/book" "$n")
echo "$out"
echo "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print("durable appends, one process:   %8d entries/s   (target >= 500)" % d["appends_per_s"])
print("  plain SQLite durable commits: %8d commits/s  (floor: fsync per commit)" % d["raw_sqlite_commits_per_s"])
print("verify, all cores:              %8d entries/s   (target >= 50,000)" % d["verify_per_s"])
print("verify, one thread:             %8d entries/s" % d["verify_1thread_per_s"])
print("  bare Ed25519 verify, one core:%8d sigs/s      (ceiling per core)" % d["raw_ed25519_verify_per_s_one_core"])
print("  bare Ed25519 verify, %2d cores: %7d sigs/s      (ceiling for verify on this machine)" % (d["cores"], d["raw_ed25519_verify_per_s_all_cores"]))
'
