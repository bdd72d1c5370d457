#!/bin/sh
# t4501-journal.sh - reading the systemd journal from journal files (made
# with systemd-journal-remote from export format): irk scan finds the brute
# force; --since filters; irk watch keeps its cursor across restarts, with
# entries appended in between: every entry reported once, none missed, also
# when the cursor's own entry is no longer in the files given.  Findings
# name an entry by its sequence number: the same in every scan and watch.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-journal.sh"

watch_once() { # extra arguments go to irk watch
	irk watch --once --json --rules each.yml --state state.json "$@" >>found
}

if [ -z "$JR" ]; then
	test_skip 'journal files' 'no systemd-journal-remote (scripts/bootstrap installs it)'
	test_done
	exit
fi

test_expect_success 'scan of a journal file: the brute force is found' '
	journal_entries 0 6 203.0.113.9 40000 | "$JR" -o a.journal - &&
	irk scan --json --journal-file a.journal >found &&
	grep "\"rule\":\"SSH brute force from one source\"" found >bf &&
	test "$(wc -l <bf)" = 1 &&
	grep -q "\"count\":6" bf &&
	grep -q "\"file\":\"journal\",\"line\":1," bf &&
	grep -q "port 40005" bf
'

test_expect_success 'scan --journal-dir reads the files of a directory; --since filters' '
	mkdir j &&
	journal_entries 0 6 203.0.113.9 40000 | "$JR" -o j/a.journal - &&
	journal_entries 3600 6 198.51.100.4 50000 | "$JR" -o j/a.journal - &&
	irk scan --json --journal-dir j >all &&
	test "$(grep -c "SSH brute force" all)" = 2 &&
	irk scan --json --journal-dir j --since 2025-11-22T10:30:00Z >late &&
	test "$(grep -c "SSH brute force" late)" = 1 &&
	grep -q "\"first_event\":{\"file\":\"journal\",\"line\":7," late &&
	grep -q "\"last_event\":{\"file\":\"journal\",\"line\":12," late &&
	grep "198.51.100.4" all | grep -q "\"first_event\":{\"file\":\"journal\",\"line\":7," &&
	grep -q 198.51.100.4 late &&
	! grep -q 203.0.113.9 late &&
	test_must_fail 2 irk scan --json --since 2025-11-22T10:30:00Z a.log
'

test_expect_success 'watch a journal file: cursor kept across restarts, appends read once' '
	each_failure &&
	journal_entries 0 4 203.0.113.9 40000 | "$JR" -o a.journal - &&
	watch_once --journal-file a.journal --since 2025-11-22T09:00:00Z &&
	test "$(grep -c "every failed login" found)" = 4 &&
	grep -q "\"journal\": \"s=" state.json &&
	watch_once --journal-file a.journal --since 2025-11-22T09:00:00Z &&
	test "$(grep -c "every failed login" found)" = 4 &&
	journal_entries 100 3 203.0.113.9 40100 | "$JR" -o a.journal - &&
	watch_once --journal-file a.journal &&
	test "$(grep -c "every failed login" found)" = 7 &&
	for p in 40000 40001 40002 40003 40100 40101 40102; do
		test "$(grep -c "port $p ssh2" found)" = 1 || { echo "port $p"; exit 1; }
	done
'

test_expect_success 'watch: when the cursor entry is gone, the next entries are still all read' '
	each_failure &&
	journal_entries 0 3 203.0.113.9 40000 | "$JR" -o old.journal - &&
	watch_once --journal-file old.journal --since 2025-11-22T09:00:00Z &&
	test "$(grep -c "every failed login" found)" = 3 &&
	journal_entries 100 3 203.0.113.9 40100 | "$JR" -o new.journal - &&
	watch_once --journal-file new.journal &&
	test "$(grep -c "every failed login" found)" = 6 &&
	grep -q "port 40100 ssh2" found
'

test_expect_success 'a missing journal file is an error naming it' '
	test_must_fail 3 irk scan --journal-file nothere.journal &&
	grep -q "nothere.journal" err
'

test_done
