#!/bin/sh
# t1070-due-followups.sh - communication follow-ups appear in irk due, closed incidents too.
. "$(dirname "$0")/../lib.sh"
. "$SRC_DIR/tests/comms/setup.sh"
GOOD=$SRC_DIR/tests/comms/good-users.txt

test_expect_success 'after publication and closing, irk due lists the follow-ups until sent' '
	setup_comms && irk msg draft 1 --audience users --file "$GOOD" >/dev/null &&
	as_bob msg approve 1 >/dev/null && irk msg publish 1 --via stdout >/dev/null 2>&1 &&
	irk due --json >out && ! grep -q follow-up out &&
	irk close 1 --resolution resolved >/dev/null &&
	irk due --json >out &&
	test "$(grep -c "\"kind\":\"follow-up\"" out)" = 3 &&
	grep "\"kind\":\"follow-up\",\"state\":\"waiting\".*resolved" out &&
	irk due >out && grep "follow-up to users" out &&
	irk msg draft 1 --audience users --template resolved --file "$GOOD" >/dev/null &&
	as_bob msg approve 2 >/dev/null && irk msg publish 2 --via stdout >/dev/null 2>&1 &&
	irk due --json >out && test "$(grep -c "\"kind\":\"follow-up\"" out)" = 2
'

test_expect_success 'closed incidents contribute nothing but follow-ups' '
	setup_casebook &&
	irk open "x" >/dev/null &&
	irk task add 1 "left open" --due 2020-01-01T00:00:00Z >/dev/null &&
	irk close 1 --resolution false-positive >/dev/null &&
	irk due >out && grep "nothing is due" out
'

test_done
