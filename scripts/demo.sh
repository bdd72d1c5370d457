#!/bin/sh
# demo.sh - a walk-through of irk on a throwaway casebook.
#
#   sh scripts/demo.sh build/irk
#
# Runs each step in scripts/demo.d/ in order, in one scratch directory with a
# private identity, printing every command before its output.  A step is a
# shell fragment using `run CMD...` (print and run; stop the demo on failure)
# and `say TEXT` (narration).  Variables shared by steps: $DEMO (the scratch
# directory), $SHARED (real sample data, may be absent).
set -eu
IRK_BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$SRC/../shared}
DEMO=$(mktemp -d /tmp/irk-demo.XXXXXX)
export HOME="$DEMO/home" XDG_CONFIG_HOME="$DEMO/home/.config" TZ=${TZ:-UTC}
unset IRK_DIR IRK_KEY IRK_INCIDENT
mkdir -p "$HOME"
cd "$DEMO"
trap 'echo; echo "demo casebook left in $DEMO (remove it when done)"' EXIT

irk() { "$IRK_BIN" "$@"; }
say() { printf '\n\033[1m# %s\033[0m\n' "$*" 2>/dev/null || printf '\n# %s\n' "$*"; }
run() {
	printf '$ irk'
	for a in "$@"; do
		case $a in
		*[!A-Za-z0-9_./:=+@-]*|'') printf " '%s'" "$a" ;;
		*) printf ' %s' "$a" ;;
		esac
	done
	printf '\n'
	"$IRK_BIN" "$@"
}

for step in "$SRC"/scripts/demo.d/*.sh; do
	. "$step"
done
say "Done: every step above was recorded in a signed, hash-chained log book."
