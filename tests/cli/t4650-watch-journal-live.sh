#!/bin/sh
# t4650-watch-journal-live.sh - irk watch running (not --once) on a journal
# directory while another process writes to it: entries appended to a file,
# a new file, a rotated file (renamed, then a new one under the old name)
# are each reported once; SIGTERM stops the watcher cleanly with its cursor
# saved; entries written while it was stopped are reported after a restart,
# and none of the earlier ones again.  Findings name each entry by its
# sequence number, the one journalctl shows in the entry's cursor ("i=").
#
# The watcher runs in the background; every wait is a bounded poll (30 s
# at most, every 0.2 s), never a fixed sleep.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-journal.sh"

if [ -z "$JR" ]; then
	test_skip 'live journal watch' 'no systemd-journal-remote (scripts/bootstrap installs it)'
	test_done
	exit
fi

# All tests share one directory: the journal, the state, the findings.
LIVE=$TEST_ROOT/live
mkdir -p "$LIVE"

# irk watch in the background on the directory j; its pid in ./watch.pid.
watch_start() {
	"$IRK" watch --json --rules each.yml --state state.json --interval "${INTERVAL:-1}" \
		--journal-dir j "$@" >>found 2>>werr &
	echo $! >watch.pid
}

# Poll until $1 succeeds (30 s at most); fail at once if the watcher died.
wait_for() {
	i=0
	until eval "$1"; do
		kill -0 "$(cat watch.pid)" 2>/dev/null || { echo "watcher died"; cat werr; return 1; }
		[ $i -lt 150 ] || { echo "timed out waiting for: $1"; return 1; }
		sleep 0.2
		i=$((i + 1))
	done
}

# The number of findings so far.
found_count() { grep -c "every failed login" found; }

# SIGTERM; the watcher must exit with status 0 within 30 s.
watch_stop() {
	pid=$(cat watch.pid)
	kill -TERM "$pid"
	i=0
	while kill -0 "$pid" 2>/dev/null; do
		if [ $i -ge 150 ]; then
			kill -KILL "$pid"
			echo "watcher ignored SIGTERM"
			return 1
		fi
		sleep 0.2
		i=$((i + 1))
	done
	wait "$pid"
	st=$?
	rm -f watch.pid
	[ $st -eq 0 ] || { echo "watcher exited with $st"; cat werr; return 1; }
}

# Each port given was reported exactly once.
once_each() {
	for p in "$@"; do
		n=$(grep -c "port $p ssh2" found)
		[ "$n" = 1 ] || { echo "port $p reported $n times"; return 1; }
	done
}

# append FILE START COUNT PORT: journal_entries written to j/FILE.
append() {
	journal_entries "$2" "$3" 203.0.113.9 "$4" | "$JR" -o "j/$1" - 2>>jr.err
}

test_expect_success 'a running watcher reports appended, new and rotated entries once' '
	cd "$LIVE" &&
	each_failure &&
	mkdir j &&
	append a.journal 0 2 40000 &&
	watch_start &&
	wait_for "grep -q \"\\\"journal\\\": \\\"s=\" state.json 2>/dev/null" &&
	append a.journal 100 3 40100 &&
	wait_for "[ \$(found_count) -ge 3 ]" &&
	append b.journal 200 2 40200 &&
	wait_for "[ \$(found_count) -ge 5 ]" &&
	append a.journal 300 2 40300 &&
	mv j/a.journal j/a@rotated.journal &&
	append a.journal 400 2 40400 &&
	wait_for "[ \$(found_count) -ge 9 ]" &&
	watch_stop &&
	test "$(found_count)" = 9 &&
	once_each 40100 40101 40102 40200 40201 40300 40301 40400 40401 &&
	! grep -q "port 4000[01] ssh2" found
'

test_expect_success 'SIGTERM saved the cursor of the last entry read' '
	cd "$LIVE" &&
	last=$(journalctl -D j -o export 2>/dev/null | grep -a "^__CURSOR=" | tail -n 1) &&
	if [ -n "$last" ]; then
		grep -q "\"journal\": \"${last#__CURSOR=}\"" state.json
	else
		grep -q "\"journal\": \"s=" state.json
	fi
'

test_expect_success 'after a restart: what came while stopped, then live, each once' '
	cd "$LIVE" &&
	append a.journal 500 2 40500 &&
	append b.journal 600 2 40600 &&
	watch_start &&
	wait_for "[ \$(found_count) -ge 13 ]" &&
	append b.journal 700 1 40700 &&
	wait_for "[ \$(found_count) -ge 14 ]" &&
	watch_stop &&
	test "$(found_count)" = 14 &&
	once_each 40100 40101 40102 40200 40201 40300 40301 40400 40401 \
		40500 40501 40600 40601 40700 &&
	! grep -q "port 4000[01] ssh2" found
'

test_expect_success 'a restart with nothing new reports nothing' '
	cd "$LIVE" &&
	"$IRK" watch --once --json --rules each.yml --state state.json --journal-dir j >again &&
	test ! -s again
'

test_expect_success 'findings name the entry by its sequence number (journalctl cursor i=)' '
	cd "$LIVE" &&
	sed -n "s/.*\"first_event\":{\"file\":\"journal\",\"line\":\([0-9]*\),\"time\":\"[^\"]*\",\"text\":\"[^\"]*port \([0-9]*\) ssh2.*/\2 \1/p" \
		found | sort >refs &&
	test "$(wc -l <refs)" = 14 &&
	grep -q "^40100 3$" refs &&
	grep -q "^40200 1$" refs &&
	grep -q "^40500 3$" refs &&
	grep -q "^40700 5$" refs &&
	if command -v journalctl >/dev/null; then
		journalctl -D j -o export | grep -a "^__CURSOR=\|^MESSAGE=" |
		sed -n "N;s/^__CURSOR=.*;i=\([0-9a-f]*\);.*\nMESSAGE=.* port \([0-9]*\) ssh2$/\2 \1/p" |
		while read -r port hex; do echo "$port $(printf %d "0x$hex")"; done |
		grep -v "^4000[01] " | sort >want &&
		test "$(wc -l <want)" = 14 &&
		cmp refs want
	fi
'

test_expect_success 'following a journal file (--journal-file) sees appends live' '
	each_failure &&
	mkdir j &&
	journal_entries 0 1 203.0.113.9 41000 | "$JR" -o j/one.journal - 2>/dev/null &&
	"$IRK" watch --json --rules each.yml --state state.json --interval 1 \
		--journal-file j/one.journal >>found 2>>werr &
	echo $! >watch.pid &&
	wait_for "grep -q \"\\\"journal\\\": \\\"s=\" state.json 2>/dev/null" &&
	journal_entries 100 2 203.0.113.9 41100 | "$JR" -o j/one.journal - 2>/dev/null &&
	wait_for "[ \$(found_count) -ge 2 ]" &&
	watch_stop &&
	test "$(found_count)" = 2 &&
	once_each 41100 41101 &&
	grep -q "\"line\":2," found &&
	grep -q "\"line\":3," found
'

test_expect_success 'a first watch of an empty journal directory misses nothing across a restart' '
	each_failure &&
	mkdir j &&
	watch_start &&
	wait_for "grep -q journal_head state.json 2>/dev/null" &&
	watch_stop &&
	append a.journal 0 2 42000 &&
	watch_start &&
	wait_for "[ \$(found_count) -ge 2 ]" &&
	watch_stop &&
	test "$(found_count)" = 2 &&
	once_each 42000 42001
'

test_expect_success 'a watch started on an empty directory sees its first file live' '
	each_failure &&
	mkdir j &&
	watch_start &&
	wait_for "grep -q journal_head state.json 2>/dev/null" &&
	append a.journal 0 2 43000 &&
	wait_for "[ \$(found_count) -ge 2 ]" &&
	append a.journal 100 1 43100 &&
	wait_for "[ \$(found_count) -ge 3 ]" &&
	watch_stop &&
	test "$(found_count)" = 3 &&
	once_each 43000 43001 43100
'

test_expect_success 'new entries wake the watcher, and so does SIGTERM (no waiting out --interval)' '
	each_failure &&
	mkdir j &&
	append a.journal 0 1 44000 &&
	INTERVAL=600 watch_start &&
	wait_for "grep -q \"\\\"journal\\\": \\\"s=\" state.json 2>/dev/null" &&
	append a.journal 100 2 44100 &&
	wait_for "[ \$(found_count) -ge 2 ]" &&
	append b.journal 200 1 44200 &&
	wait_for "[ \$(found_count) -ge 3 ]" &&
	watch_stop &&
	once_each 44100 44101 44200
'

# A failed test may have left a watcher running.
for d in "$LIVE" "$TEST_ROOT"/*; do
	[ -f "$d/watch.pid" ] && kill -KILL "$(cat "$d/watch.pid")" 2>/dev/null
done
test_done
