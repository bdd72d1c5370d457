#!/bin/sh
# scan.sh - irk scan with every bundled rule against fail2ban-regex (its sshd
# filter) and grep -c (one fixed string: the memory-bandwidth floor), on the
# OpenSSH sample concatenated to >= 1 GB with shifted timestamps.
#
#   sh bench/scan.sh [build/irk] [SIZE_MB]
#
# The input is generated in /tmp and deleted afterwards.  fail2ban-regex is
# run on the first F2B_LINES lines of the same input (default 100000): at its
# speed the whole file would take far longer than a benchmark should; its
# lines/s are what is compared.  irk and grep take turns for RUNS rounds
# (default 5) and their medians are compared.  Needs fail2ban
# (scripts/bootstrap --bench), python3 and GNU time.
set -eu
IRK=${1:-build/irk}
MB=${2:-1024}
F2B_LINES=${F2B_LINES:-100000}
RUNS=${RUNS:-5}
SRC=$(cd "$(dirname "$0")/.." && pwd)
SAMPLE=${SHARED:-$SRC/../shared}/data/loghub-OpenSSH_2k.log
TMP=$(mktemp -d /tmp/irk-bench-scan.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
[ -f "$SAMPLE" ] || { echo "scan.sh: no $SAMPLE" >&2; exit 1; }

python3 "$SRC/bench/openssh-big.py" "$SAMPLE" "$TMP/big.log" "$MB"
lines=$(wc -l <"$TMP/big.log")
bytes=$(wc -c <"$TMP/big.log")
head -n "$F2B_LINES" "$TMP/big.log" >"$TMP/f2b.log"

measure() { # label, command...: prints label, wall seconds, peak RSS KB
	label=$1
	shift
	/usr/bin/time -f "%e %M" -o "$TMP/time" "$@" >"$TMP/out" 2>"$TMP/err" || true
	set -- $(cat "$TMP/time")
	echo "$label $1 $2"
}

median() { # the middle one of the numbers on standard input
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# the input is written back before timing starts, so that no disk work overlaps
sync
echo "input: $lines lines, $bytes bytes; load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
# irk and grep take turns, RUNS rounds (the machine's speed drifts): medians
: >"$TMP/rounds"
i=0
while [ "$i" -lt "$RUNS" ]; do
	measure irk "$IRK" scan --quiet "$TMP/big.log" >>"$TMP/rounds"
	[ "$i" -gt 0 ] || found=$(grep -c "^[a-z]" "$TMP/out" || true)
	measure grep grep -c "Failed password" "$TMP/big.log" >>"$TMP/rounds"
	i=$((i + 1))
done
r1="irk $(grep '^irk ' "$TMP/rounds" | cut -d' ' -f2 | median) $(grep '^irk ' "$TMP/rounds" | cut -d' ' -f3 | sort -n | tail -n 1)"
r2="grep $(grep '^grep ' "$TMP/rounds" | cut -d' ' -f2 | median) $(grep '^grep ' "$TMP/rounds" | cut -d' ' -f3 | sort -n | tail -n 1)"
echo "irk, each round: $(grep '^irk ' "$TMP/rounds" | cut -d' ' -f2 | tr '\n' ' ')s"
echo "grep, each round: $(grep '^grep ' "$TMP/rounds" | cut -d' ' -f2 | tr '\n' ' ')s"
r3=$(measure fail2ban fail2ban-regex "$TMP/f2b.log" /etc/fail2ban/filter.d/sshd.conf)
matched=$(grep -o "Lines: .*" "$TMP/out" | head -n 1)
echo "$r1" | awk -v n="$lines" -v f="$found" '{printf "irk scan (all bundled rules): %.2f s (median), %.0f lines/s, peak RSS %d KB, %d findings\n", $2, n/$2, $3, f}'
echo "$r2" | awk -v n="$lines" '{printf "grep -c \"Failed password\":   %.2f s (median), %.0f lines/s, peak RSS %d KB\n", $2, n/$2, $3}'
echo "$r3" | awk -v n="$F2B_LINES" -v m="$matched" '{printf "fail2ban-regex (sshd filter, first %d lines): %.1f s, %.0f lines/s, peak RSS %d KB (%s)\n", n, $2, n/$2, $3, m}'
echo "$r1 $r2" | awk '{printf "irk / grep (medians): %.2fx\n", $2 / $5}'
