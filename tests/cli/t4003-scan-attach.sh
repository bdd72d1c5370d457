#!/bin/sh
# t4003-scan-attach.sh - irk scan --attach/--open: findings become log-book
# entries of kind "finding", once each, with their observables.
. "$(dirname "$0")/../lib.sh"

cat >"$TEST_ROOT/auth.log" <<'LOG'
Nov 21 10:00:00 web1 sshd[100]: Failed password for root from 198.51.100.7 port 40000 ssh2
Nov 21 10:00:01 web1 sshd[100]: Failed password for root from 198.51.100.7 port 40000 ssh2
Nov 21 10:00:02 web1 sshd[100]: Failed password for admin from 198.51.100.7 port 40000 ssh2
Nov 21 10:00:03 web1 sshd[100]: Failed password for root from 198.51.100.7 port 40000 ssh2
Nov 21 10:00:04 web1 sshd[100]: Failed password for root from 198.51.100.7 port 40000 ssh2
Nov 21 10:05:00 web1 sshd[101]: Accepted password for root from 198.51.100.7 port 40010 ssh2
Nov 21 10:06:00 web1 useradd[200]: new user: name=backdoor, UID=1001, GID=1001, home=/home/backdoor, shell=/bin/bash, from=/dev/pts/0
Nov 21 10:06:05 web1 usermod[201]: add 'backdoor' to group 'sudo'
LOG

test_expect_success 'scan --attach records each finding once' '
	setup_casebook &&
	irk open "ssh trouble" >/dev/null &&
	irk scan --year 2026 --attach 1 "$TEST_ROOT/auth.log" >out 2>err &&
	grep "recorded 5 findings (0 already recorded)" out &&
	irk scan --year 2026 --attach 1 "$TEST_ROOT/auth.log" >out 2>err &&
	grep "recorded 0 findings (5 already recorded)" out &&
	irk show --json 1 >show &&
	test "$(grep -o "\"kind\":\"finding\"" show | wc -l)" = 5&&
	irk verify >/dev/null
'

test_expect_success 'finding entries carry rule, window, count and observables' '
	setup_casebook &&
	irk open "ssh trouble" >/dev/null &&
	irk scan --year 2026 --attach 1 "$TEST_ROOT/auth.log" >/dev/null 2>&1 &&
	irk show --json 1 >show &&
	grep -o "\"text\":\"finding: SSH brute force[^\"]*\"" show |
		grep "high, 5 events, 2026-11-21T10:00:00.000Z to 2026-11-21T10:00:04.000Z" &&
	grep -o "{\"type\":\"ip\",\"value\":\"198.51.100.7\"}" show &&
	grep -o "{\"type\":\"user\",\"value\":\"backdoor\"}" show &&
	grep "SSH login failures followed by a success" show &&
	grep "User added to a privileged group" show
'

test_expect_success 'scan --open opens an incident named after the worst finding' '
	setup_casebook &&
	irk scan --year 2026 --open "$TEST_ROOT/auth.log" >out 2>err &&
	grep "^opened INC-[0-9]*-0001: Detection: SSH login failures followed by a success from the same source and more" out &&
	irk list --json >list &&
	grep "\"severity\":\"critical\"" list
'

test_expect_success 'attaching to a closed incident is refused' '
	setup_casebook &&
	irk open "x" >/dev/null &&
	irk close 1 --resolution resolved >/dev/null 2>&1 || irk close 1 resolved >/dev/null 2>&1 ;
	test_must_fail 8 irk scan --year 2026 --attach 1 "$TEST_ROOT/auth.log"
'

test_done
