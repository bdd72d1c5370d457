#!/bin/sh
# t1080-ack.sh - the reported and acknowledged stage times (irk open --reported, irk ack).
. "$(dirname "$0")/../lib.sh"

# Alice (admin) and Vic (viewer) in one casebook; Vic's key is ./vic.key.
setup_pair() {
	setup_casebook alice@example.org &&
	vkey=$(IRK_KEY=vic.key irk id --name Vic --email vic@example.org --json |
		sed 's/.*"vkey":"\([^"]*\)".*/\1/') &&
	irk member add --key "$vkey" --role viewer >/dev/null
}

test_expect_success 'open --reported and ack --at set the two stage times' '
	setup_pair &&
	irk open "Phishing report" --detected "2026-11-01T09:00:00Z" \
		--reported "2026-11-01T09:05:00Z" >/dev/null &&
	irk ack 1 --at "2026-11-01T09:20:00Z" -m "on it" >out &&
	grep "INC-.* is acknowledged" out &&
	irk show 1 --json >show &&
	test "$(jq -r .times.reported show)" = 2026-11-01T09:05:00.000Z &&
	test "$(jq -r .times.acknowledged show)" = 2026-11-01T09:20:00.000Z &&
	irk show 1 | grep "on it"
'

test_expect_success 'the time to acknowledge is measured from detection' '
	setup_pair &&
	irk open "Phishing report" --detected "2026-11-01T09:00:00Z" >/dev/null &&
	irk ack --at "2026-11-01T09:20:00Z" &&
	irk stats --json >stats &&
	test "$(jq ".periods[0].acknowledge.median_s" stats)" = 1200
'

test_expect_success 'an incident is acknowledged once' '
	setup_pair &&
	irk open "x" >/dev/null &&
	irk ack &&
	test_must_fail 8 irk ack &&
	grep "acknowledged already" err &&
	test "$(irk show 1 --json | jq "[.log[] | select(.kind == \"ack\")] | length")" = 1
'

test_expect_success 'a viewer cannot acknowledge; a closed incident cannot be' '
	setup_pair &&
	irk open "x" >/dev/null &&
	IRK_KEY=$PWD/vic.key test_must_fail 9 irk ack 1 &&
	grep "viewer" err &&
	irk close 1 --resolution false-positive >/dev/null &&
	test_must_fail 8 irk ack 1
'

test_expect_success 'acknowledgements replay: verify passes' '
	setup_pair &&
	irk open "x" --reported "2026-11-01T09:05:00Z" >/dev/null &&
	irk ack &&
	irk verify >out && grep "^ok" out
'

test_expect_success 'a bad --at is refused, naming the option' '
	setup_pair &&
	irk open "x" >/dev/null &&
	test_must_fail 4 irk ack --at "yesterday-ish" &&
	grep -- "--at" err
'

test_done
