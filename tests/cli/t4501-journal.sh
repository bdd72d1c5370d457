#!/bin/sh
# t4501-journal.sh - reading the systemd journal from journal files (made
# with systemd-journal-remote from export format): irk scan finds the brute
# force; --since filters; irk watch keeps its cursor across restarts, with
# entries appended in between: every entry reported once, none missed, also
# when the cursor's own entry is no longer in the files given.
. "$(dirname "$0")/../lib.sh"

JR=/lib/systemd/systemd-journal-remote
[ -x "$JR" ] || JR=/usr/lib/systemd/systemd-journal-remote

# export format: $1 = first second after 10:00:00 UTC, $2 = entries, $3 = address,
# $4 = first source port (each entry's port is unique: it names the entry)
entries() {
	i=0
	while [ "$i" -lt "$2" ]; do
		s=$(($1 + i * 10))
		printf '__REALTIME_TIMESTAMP=%d000000\n' $((1763805600 + s))
		printf '__MONOTONIC_TIMESTAMP=%d\n' $((1000000 + s))
		printf '_BOOT_ID=0123456789abcdef0123456789abcdef\n'
		printf '_HOSTNAME=web1\nSYSLOG_IDENTIFIER=sshd\n_PID=%d\n' $((100 + i))
		printf 'MESSAGE=Failed password for root from %s port %d ssh2\n\n' "$3" $(($4 + i))
		i=$((i + 1))
	done
}

# A rule reporting every failed login on its own, to count entries.
each_failure() {
	cat >each.yml <<'RULE'
title: every failed login
id: 9d1f6a52-4f0e-4c43-9d36-1a3c2c1e0b01
logsource:
  product: linux
  service: sshd
detection:
  selection:
    action: login
    outcome: failure
  condition: selection
level: low
RULE
}

watch_once() { # extra arguments go to irk watch
	irk watch --once --json --rules each.yml --state state.json "$@" >>found
}

if [ ! -x "$JR" ]; then
	test_skip 'journal files' 'no systemd-journal-remote (scripts/bootstrap installs it)'
	test_done
	exit
fi

test_expect_success 'scan of a journal file: the brute force is found' '
	entries 0 6 203.0.113.9 40000 | "$JR" -o a.journal - &&
	irk scan --json --journal-file a.journal >found &&
	grep "\"rule\":\"SSH brute force from one source\"" found >bf &&
	test "$(wc -l <bf)" = 1 &&
	grep -q "\"count\":6" bf &&
	grep -q "\"file\":\"journal\",\"line\":1," bf &&
	grep -q "port 40005" bf
'

test_expect_success 'scan --journal-dir reads the files of a directory; --since filters' '
	mkdir j &&
	entries 0 6 203.0.113.9 40000 | "$JR" -o j/a.journal - &&
	entries 3600 6 198.51.100.4 50000 | "$JR" -o j/a.journal - &&
	irk scan --json --journal-dir j >all &&
	test "$(grep -c "SSH brute force" all)" = 2 &&
	irk scan --json --journal-dir j --since 2025-11-22T10:30:00Z >late &&
	test "$(grep -c "SSH brute force" late)" = 1 &&
	grep -q 198.51.100.4 late &&
	! grep -q 203.0.113.9 late &&
	test_must_fail 2 irk scan --json --since 2025-11-22T10:30:00Z a.log
'

test_expect_success 'watch a journal file: cursor kept across restarts, appends read once' '
	each_failure &&
	entries 0 4 203.0.113.9 40000 | "$JR" -o a.journal - &&
	watch_once --journal-file a.journal --since 2025-11-22T09:00:00Z &&
	test "$(grep -c "every failed login" found)" = 4 &&
	grep -q "\"journal\": \"s=" state.json &&
	watch_once --journal-file a.journal --since 2025-11-22T09:00:00Z &&
	test "$(grep -c "every failed login" found)" = 4 &&
	entries 100 3 203.0.113.9 40100 | "$JR" -o a.journal - &&
	watch_once --journal-file a.journal &&
	test "$(grep -c "every failed login" found)" = 7 &&
	for p in 40000 40001 40002 40003 40100 40101 40102; do
		test "$(grep -c "port $p ssh2" found)" = 1 || { echo "port $p"; exit 1; }
	done
'

test_expect_success 'watch: when the cursor entry is gone, the next entries are still all read' '
	each_failure &&
	entries 0 3 203.0.113.9 40000 | "$JR" -o old.journal - &&
	watch_once --journal-file old.journal --since 2025-11-22T09:00:00Z &&
	test "$(grep -c "every failed login" found)" = 3 &&
	entries 100 3 203.0.113.9 40100 | "$JR" -o new.journal - &&
	watch_once --journal-file new.journal &&
	test "$(grep -c "every failed login" found)" = 6 &&
	grep -q "port 40100 ssh2" found
'

test_expect_success 'a missing journal file is an error naming it' '
	test_must_fail 3 irk scan --journal-file nothere.journal &&
	grep -q "nothere.journal" err
'

test_done
