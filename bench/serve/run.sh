#!/bin/sh
# run.sh - load test of `irk serve` with wrk: 64 connections for 30 s on
# loopback, one request in four a write.  Afterwards every acknowledged write
# must be in the log book and `irk verify` must pass.  Prints the figures for
# docs/PERFORMANCE.md, then a 10 s baseline on a static file of the same server.
#
#   sh bench/serve/run.sh [build/irk] [seconds] [connections]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
IRK=$(cd "$(dirname "${1:-build/irk}")" && pwd)/$(basename "${1:-build/irk}")
secs=${2:-30}
conns=${3:-64}
command -v wrk >/dev/null || { echo "wrk is missing: scripts/bootstrap --bench" >&2; exit 2; }
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
export HOME=$work XDG_CONFIG_HOME=$work/.config
"$IRK" id --name Bench --email bench@example.org >/dev/null
"$IRK" init >/dev/null
IRK_KEY=$work/server.key "$IRK" id --name Server --email server@example.org >/dev/null
"$IRK" member add --key "$(IRK_KEY=$work/server.key "$IRK" id | sed -n 's/^key: *//p')" --role lead --server >/dev/null
"$IRK" open --severity high "load test" >/dev/null
IRK_TOKEN=$("$IRK" token create 2>/dev/null)
export IRK_TOKEN
"$IRK" serve --listen 127.0.0.1:0 --key "$work/server.key" --ready-file port --access-log /dev/null 2>serve.err &
pid=$!
while [ ! -s port ]; do sleep 0.1; done
wrk -t 4 -c "$conns" -d "${secs}s" --latency -s "$here/load.lua" "http://127.0.0.1:$(cat port)/" | tee wrk.out
rss=$(awk '/VmHWM/ { print $2 }' /proc/$pid/status)
# Baseline in the same run: the same server handing out a static file (no
# casebook, no lock), i.e. what the HTTP layer alone costs.
echo "--- baseline: GET /app.css, 10 s"
wrk -t 4 -c "$conns" -d 10s --latency "http://127.0.0.1:$(cat port)/app.css" | grep -E "Requests/sec|50%|99%"
kill -TERM $pid
wait $pid || true
acked=$(awk '/^acknowledged_writes/ { print $2 }' wrk.out)
count=$(sqlite3 .irk/irk.db "SELECT count(*) FROM entries WHERE chain LIKE 'INC-%'" 2>/dev/null ||
	"$IRK" show 1 --json | jq '.entries | length')
echo "peak_rss_kib $rss"
echo "entries_in_log_book $count (1 before the run + $acked acknowledged writes + any in flight at the end)"
# Writes still in flight when wrk stops are committed but not counted by wrk.
[ "$count" -ge $((acked + 1)) ] || { echo "FAIL: acknowledged writes are missing" >&2; exit 1; }
"$IRK" verify
