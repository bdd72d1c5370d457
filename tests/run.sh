#!/bin/sh
# run.sh - run every test against each build directory given (normal, then
# sanitizers) and end with one line "N passed, N failed" (and skipped).
#
#   sh tests/run.sh build build/san
#
# Runs: the C unit tests (build/tests/test-*), the fuzz corpus replays
# (build/tests/fuzz-* over tests/fuzz/corpus/<name>/), and the shell tests
# (tests/cli/t*.sh) with IRK pointing at the build's binary.  Set
# TESTS='t0001*' to run a subset of the shell tests.
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
passed=0
failed=0
skipped=0
failures=""
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$top/tests/lsan.supp}"
export TZ="${TZ:-UTC}"
# One scratch directory for the whole run, removed at its end (and on HUP,
# INT, TERM): even a test script killed outright leaves nothing behind.  Open
# to all, as /tmp is: some tests run irk as nobody inside it.
TEST_TMP=$(mktemp -d "${TEST_TMP:-/tmp}/irk-tests.XXXXXX") && chmod 0755 "$TEST_TMP" || exit 1
export TEST_TMP
trap 'rm -rf "$TEST_TMP"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

tally() { # $1 = label, $2 = output file
	line=$(grep '^# passed ' "$2" | tail -n 1)
	if [ -z "$line" ]; then
		failed=$((failed + 1))
		failures="$failures $1(no result line)"
		return
	fi
	p=$(echo "$line" | awk '{print $3}')
	f=$(echo "$line" | awk '{print $5}')
	s=$(echo "$line" | awk '{print $7}')
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + ${s:-0}))
	[ "$f" -eq 0 ] || failures="$failures $1"
}

for build in "$@"; do
	label=$(basename "$build")
	out=$(mktemp)
	echo "== $build"
	for t in "$build"/tests/test-*; do
		[ -x "$t" ] || continue
		"$t" >"$out" 2>&1
		rc=$?
		if [ $rc -ne 0 ] && ! grep -q '^not ok' "$out"; then
			echo "# crashed with status $rc" >>"$out"
			echo "# passed 0 failed 1 skipped 0" >>"$out"
		fi
		grep -E '^(not ok|#)' "$out" | grep -v '^# passed' | sed "s|^|$(basename "$t"): |"
		tally "$label/$(basename "$t")" "$out"
	done
	for f in "$build"/tests/fuzz-*; do
		[ -x "$f" ] || continue
		name=$(basename "$f")
		corpus="tests/fuzz/corpus/${name#fuzz-}"
		[ -d "$corpus" ] || continue
		if "$f" "$corpus"/* >"$out" 2>&1; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
			failures="$failures $label/$name"
			tail -n 20 "$out"
		fi
	done
	for t in tests/cli/${TESTS:-t*}.sh; do
		[ -f "$t" ] || continue
		IRK="$top/$build/irk" sh "$t" >"$out" 2>&1
		grep -E '^(not ok|#   )' "$out" | sed "s|^|$(basename "$t"): |" | head -n 60
		tally "$label/$(basename "$t" .sh)" "$out"
	done
	rm -f "$out"
done
[ -z "$failures" ] || echo "failed:$failures"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
