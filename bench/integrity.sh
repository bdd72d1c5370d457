#!/bin/sh
# integrity.sh - irk baseline create/check against AIDE --init/--check, with
# hashdeep and find|xargs sha256sum as the hashing limit, on the same tree
# (default /usr) with a warm page cache.  Prints one line per run and a
# summary; paste the output into docs/PERFORMANCE.md.
#
#   sh bench/integrity.sh [build/irk] [TREE]
#
# Needs aide and hashdeep (scripts/bootstrap --bench).  All tools hash with
# SHA-256 only and record the same attributes where they have them; AIDE gets
# as many workers as irk gets threads (one per CPU).
set -eu
IRK=$(cd "$(dirname "${1:-build/irk}")" && pwd)/$(basename "${1:-build/irk}")
TREE=${2:-/usr}
CPUS=$(nproc)
W=$(mktemp -d /tmp/irk-bench-integrity.XXXXXX)
trap 'rm -rf "$W"' EXIT
export HOME="$W/home" XDG_CONFIG_HOME="$W/home/.config"
mkdir -p "$HOME"
for t in aide hashdeep sha256sum; do
	command -v $t >/dev/null || { echo "integrity.sh: $t is missing (scripts/bootstrap --bench)" >&2; exit 1; }
done
"$IRK" id --email bench@example.org >/dev/null

# The same file set for everyone: the whole tree, one file system, no excludes.
printf 'root %s\n' "$TREE" >"$W/irk.policy"
cat >"$W/aide.conf" <<EOF2
database_in=file:$W/aide.db
database_out=file:$W/aide.db.new
database_new=file:$W/aide.db.new
gzip_dbout=no
report_url=file:$W/aide.report
log_level=error
Same = p+i+n+u+g+s+m+c+l+ftype+sha256
$TREE Same
EOF2

# seconds of wall time of "$@", output discarded; the exit status is ignored
# for checks, which exit non-zero when they find changes.
clock() { date +%s.%N; }
run() {
	label=$1
	shift
	start=$(clock)
	"$@" >"$W/out.$label" 2>&1 || true
	end=$(clock)
	secs=$(echo "$end - $start" | bc)
	eval "T_$label=$secs"
	printf '%-16s %8.2f s   %s\n' "$label" "$secs" "$*"
}

files=$(find "$TREE" -xdev \( -type f -o -type d -o -type l \) | wc -l)
bytes=$(du -sxb "$TREE" | cut -f1)
echo "tree: $TREE, $files entries, $((bytes / 1000000)) MB; $CPUS CPUs; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "warming the page cache..."
find "$TREE" -xdev -type f -print0 | xargs -0 -n 512 cat >/dev/null 2>&1 || true

run irk_create "$IRK" baseline create -q --policy "$W/irk.policy" -o "$W/irk.baseline"
run irk_check "$IRK" baseline check -q --baseline "$W/irk.baseline"
run aide_init aide --init -c "$W/aide.conf" --workers="$CPUS"
mv "$W/aide.db.new" "$W/aide.db"
run aide_check aide --check -c "$W/aide.conf" --workers="$CPUS"
run hashdeep hashdeep -r -c sha256 "$TREE"
run sha256sum sh -c "find '$TREE' -xdev -type f -print0 | xargs -0 -P $CPUS -n 512 sha256sum"

echo "irk check output: $(tail -n 1 "$W/out.irk_check")"
echo "aide check output: $(grep -m1 -i 'no differences\|found differences' "$W/out.aide_check" "$W/aide.report" 2>/dev/null | head -n 1)"
echo "speed-up: create $(echo "scale=1; $T_aide_init / $T_irk_create" | bc)x vs aide --init," \
     "check $(echo "scale=1; $T_aide_check / $T_irk_check" | bc)x vs aide --check"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
