# lib.sh - the shell test library (in the manner of git's test-lib.sh).
#
# A test script sources this file, then declares tests:
#
#   test_expect_success 'what it checks' '
#       irk open "x" &&
#       irk list | grep -q x
#   '
#   test_done
#
# Each test runs in its own subshell in a fresh scratch directory
# ($TEST_DIR/<n>) with a private HOME/XDG_CONFIG_HOME, so tests cannot see
# each other's casebooks or keys.  Output: TAP ("ok N - ..." / "not ok N -
# ..."), then "# passed N failed N skipped N" for tests/run.sh to add up.
#
# Environment: IRK (the binary under test, absolute), SHARED (../shared, for
# real data; tests that need it call test_skip_unless_shared), TEST_TMP (where
# the scratch tree $TEST_ROOT is made; default /tmp).

set -u
: "${IRK:?set IRK to the irk binary}"
TEST_NAME=$(basename "$0" .sh)
TEST_ROOT=${TEST_TMP:-/tmp}/irk-test.$TEST_NAME.$$
SRC_DIR=$(cd "$(dirname "$0")/../.." && pwd)
: "${SHARED:=$SRC_DIR/../shared}"
rm -rf "$TEST_ROOT"
mkdir -p "$TEST_ROOT"
# The scratch tree is removed however the script ends: all passed, a test
# failed, an error, or a signal it can catch (HUP, INT, TERM: a timeout, ^C).
# A script that starts processes registers how to stop them with
# test_at_exit CMD; those commands run first.  (tests/run.sh also gives each
# run a directory of its own and removes it, for scripts killed outright.)
test_exit_cmds=:
test_at_exit() { test_exit_cmds="$test_exit_cmds; $1"; }
trap 'eval "$test_exit_cmds"; rm -rf "$TEST_ROOT"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
test_count=0
test_passed=0
test_failed=0
test_skipped=0

irk() { "$IRK" "$@"; }

# A fresh identity and casebook in the current directory; $1 is the e-mail.
setup_casebook() {
	irk id --name "${2:-Test Admin}" --email "${1:-admin@example.org}" >/dev/null &&
	irk init >/dev/null
}

# Run a command that must fail with exit code $1, capturing stderr in ./err.
test_must_fail() {
	want=$1
	shift
	"$@" 2>err >out
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "expected exit $want, got $got from: $*" >&2
		cat err >&2
		return 1
	fi
	return 0
}

test_expect_success() {
	test_count=$((test_count + 1))
	dir="$TEST_ROOT/$test_count"
	mkdir -p "$dir/home"
	if (
		cd "$dir" &&
		export HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config" &&
		unset IRK_DIR IRK_KEY IRK_INCIDENT &&
		eval "$2"
	) >"$dir/log" 2>&1; then
		test_passed=$((test_passed + 1))
		echo "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		sed 's/^/#   /' "$dir/log" | tail -n 40
	fi
}

test_skip() {
	test_count=$((test_count + 1))
	test_skipped=$((test_skipped + 1))
	echo "ok $test_count - $1 # SKIP $2"
}

# True when the shared real-data directory is present.
have_shared() { [ -d "$SHARED/data" ]; }

# flip_byte FILE OFFSET: invert every bit of one byte of FILE, a change that
# is never a no-op (writing a fixed byte is one when the file holds it there).
flip_byte() {
	python3 -c 'import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2]))
    b = f.read(1)
    f.seek(int(sys.argv[2]))
    f.write(bytes([b[0] ^ 0xff]))' "$1" "$2"
}

test_done() {
	echo "# passed $test_passed failed $test_failed skipped $test_skipped"
	[ "$test_failed" -eq 0 ]
}
