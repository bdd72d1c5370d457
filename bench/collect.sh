#!/bin/sh
# bench/collect.sh - irk collect against gathering the same facts the usual
# way, with the host's own tools, on the same machine in the same run:
#
#   ps auxww; ss -tanup; lsof -n; last; lastb;
#   find /tmp /var/tmp /dev/shm -type f | sha256sum; dpkg -l; cp -a /var/log
#
# For each side: wall time, CPU time (user + system) and peak memory (the
# largest process, from /usr/bin/time -v), and what it found.  Each side
# runs RUNS times (default 3) after one warm-up; the median run is shown.
#
#   sh bench/collect.sh build/irk          (as root, for the full picture)
#
# Output goes under $BENCH_OUT (default ~/.cache/irk-bench), not /tmp: /tmp
# is one of the collected trees.  Needs: /usr/bin/time (scripts/bootstrap
# --bench), procps, iproute2, lsof, util-linux, dpkg.
set -eu
IRK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
RUNS=${RUNS:-3}
OUT=${BENCH_OUT:-$HOME/.cache/irk-bench}
rm -rf "$OUT"
mkdir -p "$OUT"
for t in /usr/bin/time ps ss lsof last lastb find sha256sum dpkg; do
	command -v "$t" >/dev/null || { echo "bench: $t is missing (scripts/bootstrap --bench)" >&2; exit 1; }
done

usual() { # $1 = output directory
	d=$1
	mkdir -p "$d"
	ps auxww >"$d/ps.txt"
	ss -tanup >"$d/ss-tcp.txt"
	ss -uanp >"$d/ss-udp.txt"
	ss -xanp >"$d/ss-unix.txt"
	lsof -n >"$d/lsof.txt" 2>/dev/null || true
	last -F >"$d/last.txt" 2>/dev/null || true
	lastb -F >"$d/lastb.txt" 2>/dev/null || true
	find /tmp /var/tmp /dev/shm -xdev -type f -print0 2>/dev/null | xargs -0 -r sha256sum >"$d/tmp.sha256" 2>/dev/null || true
	dpkg -l >"$d/dpkg.txt"
	cp -a /var/log "$d/varlog"
}

# time -v's figures of one run: wall seconds, cpu seconds, peak KiB
measure() { # $1 = time -v output
	awk -F': ' '
	/Elapsed \(wall clock\)/ { n = split($2, t, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + t[i] }
	/User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { m = $2 }
	END { printf "%.3f %.3f %d\n", w, u + s, m }' "$1"
}

median() { sort -n | awk '{ v[NR] = $0 } END { print v[int((NR + 1) / 2)] }'; }

# warm-up: page cache and dentries as a responder's second look would find them
usual "$OUT/warm-usual" >/dev/null 2>&1
"$IRK" collect -o "$OUT/warm-irk" >/dev/null 2>&1 || true

: >"$OUT/irk.runs"
: >"$OUT/usual.runs"
i=1
while [ "$i" -le "$RUNS" ]; do
	/usr/bin/time -v -o "$OUT/irk.$i.time" "$IRK" collect -o "$OUT/irk.$i" --json \
		>"$OUT/irk.$i.json" 2>"$OUT/irk.$i.err"
	measure "$OUT/irk.$i.time" >>"$OUT/irk.runs"
	/usr/bin/time -v -o "$OUT/usual.$i.time" sh -c "$(type usual | sed 1d); usual '$OUT/usual.$i'" \
		>/dev/null 2>&1
	measure "$OUT/usual.$i.time" >>"$OUT/usual.runs"
	i=$((i + 1))
done

col() { awk -v c="$1" '{ print $c }' "$2" | median; }
J=$OUT/irk.1.json
U=$OUT/usual.1
count() { python3 -c "import json,sys; print(json.load(open('$J'))['counts'][sys.argv[1]])" "$1"; }
lines() { [ -f "$1" ] && wc -l <"$1" || echo 0; }

echo "host: $(uname -n), $(nproc) cores, kernel $(uname -r); uid $(id -u); runs: $RUNS (median)"
echo
printf '%-28s %12s %12s\n' "" "irk collect" "usual tools"
printf '%-28s %12s %12s\n' "wall time (s)" "$(col 1 "$OUT/irk.runs")" "$(col 1 "$OUT/usual.runs")"
printf '%-28s %12s %12s\n' "CPU time, user+sys (s)" "$(col 2 "$OUT/irk.runs")" "$(col 2 "$OUT/usual.runs")"
printf '%-28s %12s %12s\n' "peak memory (KiB)" "$(col 3 "$OUT/irk.runs")" "$(col 3 "$OUT/usual.runs")"
printf '%-28s %12s %12s\n' "processes" "$(count processes)" "$(($(lines "$U/ps.txt") - 1))"
printf '%-28s %12s %12s\n' "sockets (tcp+udp+unix)" "$(count sockets)" \
	"$(($(lines "$U/ss-tcp.txt") + $(lines "$U/ss-udp.txt") + $(lines "$U/ss-unix.txt") - 3))"
printf '%-28s %12s %12s\n' "open-file records" "$(python3 -c "
import json
print(sum(len(json.loads(l).get('open_files') or []) for l in open('$OUT/irk.1/processes.jsonl')))")" \
	"$(($(lines "$U/lsof.txt") - 1))"
printf '%-28s %12s %12s\n' "login records (wtmp+btmp)" "$(count logins)" \
	"$(($(grep -c . "$U/last.txt" || true) + $(grep -c . "$U/lastb.txt" || true)))"
printf '%-28s %12s %12s\n' "temp files hashed" "$(grep -c '"sha256"' "$OUT/irk.1/tempdirs.jsonl" || true)" \
	"$(lines "$U/tmp.sha256")"
printf '%-28s %12s %12s\n' "packages" "$(count packages)" "$(grep -c '^ii' "$U/dpkg.txt" || true)"
printf '%-28s %12s %12s\n' "log files copied" "$(grep -c . "$OUT/irk.1/logs.jsonl" || true)" \
	"$(find "$U/varlog" -type f | wc -l)"
printf '%-28s %12s %12s\n' "deleted executables found" \
	"$(grep -c '"deleted":true' "$OUT/irk.1/processes.jsonl" || true)" \
	"$(grep -c '(deleted)' "$U/lsof.txt" | tr -d '\n'; echo ' (lsof, not hashed)')"
printf '%-28s %12s %12s\n' "programs executed" "0" "9+"
printf '%-28s %12s %12s\n' "signed manifest of results" "yes" "no"
