#!/bin/sh
# t1010-due.sh - irk due: overdue tasks, missed notification deadlines, no lead.
. "$(dirname "$0")/../lib.sh"

test_expect_success 'nothing due: exit 0' '
	setup_casebook &&
	irk due >out && grep "nothing is due" out
'

test_expect_success 'an incident without a lead is listed (but is not overdue)' '
	setup_casebook &&
	irk open "x" >/dev/null &&
	irk due >out && grep "nobody leads this incident" out
'

test_expect_success 'an overdue task and a missed notification deadline: exit 1; resolved: exit 0' '
	setup_casebook &&
	irk open "Ransom note on file server" --severity critical --detected 2020-01-01T00:00:00Z >/dev/null &&
	irk role 1 lead admin@example.org >/dev/null &&
	irk task add 1 "Disconnect the file server" --due 2020-01-01T00:30:00Z >/dev/null &&
	test_must_fail 1 irk due &&
	grep "^overdue .*task 1 for admin@example.org: Disconnect the file server" out &&
	grep "^overdue .*notify management: critical incident" out &&
	grep "2 items are overdue" err &&
	test_must_fail 1 irk due --json && test "$(grep -c "\"state\":\"overdue\"" out)" = 2 &&
	irk task done 1 1 >/dev/null &&
	irk contact add "Board" --role management --channel email:board@example.org >/dev/null &&
	irk notify 1 Board --via email --summary "ransomware, file server down" >/dev/null &&
	irk due >out && ! grep overdue out &&
	irk notify duties 1 >out && grep "^late *management" out
'

test_expect_success 'soon-due and unacknowledged tasks are listed without failing' '
	setup_casebook &&
	irk open "x" >/dev/null && irk role 1 lead admin@example.org >/dev/null &&
	irk task add 1 "soon" --due 20m >/dev/null &&
	irk task add 1 "later" --due 1d >/dev/null &&
	irk due >out &&
	grep "^soon .*task 1 for admin@example.org: soon" out &&
	grep "^unacknowledged .*task 2 .*later" out
'

test_expect_success 'exercises are left out unless --drills' '
	setup_casebook &&
	irk open "pretend" --drill >/dev/null &&
	irk task add 1 "old" --due 2020-01-01T00:00:00Z >/dev/null &&
	irk due >out && grep "nothing is due" out &&
	test_must_fail 1 irk due --drills && grep "\[DRILL\]" out
'

test_expect_success 'irk due INC limits to one incident; bad --soon is a usage error' '
	setup_casebook &&
	irk open "a" >/dev/null && irk open "b" >/dev/null &&
	irk due 2 --json >out && ! grep INC-....-0001 out && grep INC-....-0002 out &&
	test_must_fail 4 irk due --soon never
'

test_done
