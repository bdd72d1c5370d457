#!/bin/sh
# prefilter.sh - irk scan with the Hyperscan prefilter (when built in), the
# PCRE2 JIT fallback (IRK_NO_HYPERSCAN=1) and no prefilter (--no-prefilter),
# on two generated inputs: the OpenSSH sample repeated with timestamps
# shifted by six hours per copy (as bench/scan.sh), and the Apache access
# sample repeated, each to SIZE_MB megabytes.
#
#   sh bench/prefilter.sh [build/irk] [SIZE_MB]
#
# Every bundled rule runs on THREADS threads (default 1, so that the
# prefilter's share is not hidden by parallelism).  Each configuration runs
# RUNS times (default 3); the median wall time is printed, with lines/s.
# The findings of the three configurations are compared (they must be the
# same).  The inputs are generated in TMPDIR (default /tmp) and deleted
# afterwards.  Needs python3 and GNU time.
set -eu
IRK=${1:-build/irk}
MB=${2:-64}
RUNS=${RUNS:-3}
THREADS=${THREADS:-1}
SRC=$(cd "$(dirname "$0")/.." && pwd)
DATA=${SHARED:-$SRC/../shared}/data
TMP=$(mktemp -d "${TMPDIR:-/tmp}/irk-bench-prefilter.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
for f in loghub-OpenSSH_2k.log elastic-apache_access.log; do
	[ -f "$DATA/$f" ] || { echo "prefilter.sh: no $DATA/$f" >&2; exit 1; }
done

python3 "$SRC/bench/openssh-big.py" "$DATA/loghub-OpenSSH_2k.log" "$TMP/openssh.log" "$MB"
python3 - "$DATA" "$TMP" "$MB" <<'PY'
import sys
data, tmp, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
target = mb * 1024 * 1024
# access log: plain copies
sample = open(data + "/elastic-apache_access.log", "rb").read()
with open(tmp + "/apache.log", "wb") as out:
    size = 0
    while size < target:
        out.write(sample)
        size += len(sample)
PY

engine=$("$IRK" scan --quiet --prefilter-info /dev/null 2>&1 >/dev/null | sed -n 's/^irk scan: prefilter: \([a-z0-9]*\),.*/\1/p')
echo "$("$IRK" --version 2>/dev/null | head -n 1); default prefilter engine: $engine; $THREADS thread(s), median of $RUNS runs"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

# run LABEL ENV-ASSIGNMENT-OR-- ARGS... : the median wall time of RUNS runs, into $TMP/LABEL.t
run() {
	label=$1 envset=$2
	shift 2
	: >"$TMP/$label.times"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		if [ "$envset" = - ]; then
			/usr/bin/time -f "%e" -a -o "$TMP/$label.times" "$IRK" scan --json --quiet --threads "$THREADS" "$@" >"$TMP/$label.out"
		else
			/usr/bin/time -f "%e" -a -o "$TMP/$label.times" env "$envset" "$IRK" scan --json --quiet --threads "$THREADS" "$@" >"$TMP/$label.out"
		fi
		i=$((i + 1))
	done
	sort -n "$TMP/$label.times" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }' >"$TMP/$label.t"
}

for input in openssh apache; do
	f=$TMP/$input.log
	lines=$(wc -l <"$f")
	bytes=$(wc -c <"$f")
	echo
	echo "$input: $lines lines, $bytes bytes"
	labels=""
	if [ "$engine" = hyperscan ]; then
		run hs - "$f"
		labels="hs"
	fi
	run pcre2 IRK_NO_HYPERSCAN=1 "$f"
	run none - --no-prefilter "$f"
	labels="$labels pcre2 none"
	for l in $labels; do
		case $l in
		hs) name="Hyperscan prefilter" ;;
		pcre2) name="PCRE2 JIT prefilter (IRK_NO_HYPERSCAN=1)" ;;
		none) name="no prefilter (--no-prefilter)" ;;
		esac
		awk -v n="$lines" -v name="$name" '{ printf "  %-42s %6.2f s  %10.0f lines/s\n", name, $1, n / $1 }' "$TMP/$l.t"
	done
	same=yes
	for l in $labels; do
		cmp -s "$TMP/none.out" "$TMP/$l.out" || same=NO
	done
	echo "  findings: $(grep -c '"rule"' "$TMP/none.out"), the same with every prefilter: $same"
	IRK_NO_HYPERSCAN=1 "$IRK" scan --quiet --threads "$THREADS" --prefilter-info "$f" 2>&1 >/dev/null | sed 's/^/  /'
done
