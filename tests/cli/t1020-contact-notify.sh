#!/bin/sh
# t1020-contact-notify.sh - contacts, notifications, acknowledgements, duties.
. "$(dirname "$0")/../lib.sh"

test_expect_success 'contact add, list (text and JSON), verify' '
	setup_casebook &&
	irk contact add "Legal Team" --role legal --channel email:legal@example.org \
		--channel "phone:+49 30 1234" --org "Example GmbH" &&
	irk contact list >out && grep "^legal *Legal Team *verified never *email:legal@example.org, phone:+49 30 1234" out &&
	irk contact verify "legal team" &&
	irk contact list --json >out && grep "\"verified\":\"20" out &&
	irk contact list --role pr --json >out && test ! -s out
'

test_expect_success 'adding the same name again replaces the details' '
	setup_casebook &&
	irk contact add Registry --role regulator --channel web-form:https://dpa.example/report &&
	irk contact add Registry --role regulator --channel email:report@dpa.example &&
	irk contact list --json >out && test "$(wc -l <out)" = 1 && grep report@dpa.example out
'

test_expect_success 'bad role, bad channel, unknown contact are clear errors' '
	setup_casebook &&
	test_must_fail 4 irk contact add X --role boss && grep "unknown contact role .boss." err &&
	test_must_fail 4 irk contact add X --role pr --channel pigeon:coo && grep "unknown channel kind" err &&
	test_must_fail 4 irk contact add X --role pr --channel nocolon && grep "not KIND:ADDRESS" err &&
	irk open "x" >/dev/null &&
	test_must_fail 3 irk notify 1 Nobody --via email --summary hi && grep "no contact .Nobody." err &&
	test_must_fail 3 irk contact verify Nobody
'

test_expect_success 'notify records who was told what, how and when; ack records theirs' '
	setup_casebook &&
	irk contact add "ISP NOC" --role isp-abuse --channel phone:+1-555-0100 >/dev/null &&
	irk open "DDoS on shop" >/dev/null &&
	irk notify 1 "ISP NOC" --via phone --summary "asked for upstream filtering of UDP/123" --at "2026-11-21T10:00:00Z" &&
	irk notify list 1 --json >out &&
	grep "\"contact\":\"ISP NOC\",\"role\":\"isp-abuse\",\"via\":\"phone\"" out &&
	grep "\"at\":\"2026-11-21T10:00:00.000Z\"" out && grep "\"acked\":null" out &&
	irk notify ack 1 1 -m "NOC confirmed, ticket 4711" &&
	irk notify list 1 >out && grep "acknowledged 20" out &&
	test_must_fail 8 irk notify ack 1 1 && grep "no unacknowledged notification 1" err &&
	irk show 1 | grep "ticket 4711"
'

test_expect_success 'notify needs --via and --summary; unknown channel refused' '
	setup_casebook &&
	irk contact add Boss --role management >/dev/null && irk open "x" >/dev/null &&
	test_must_fail 2 irk notify 1 Boss --via email &&
	test_must_fail 4 irk notify 1 Boss --via carrier-pigeon --summary hi && grep "unknown channel" err
'

test_expect_success 'duties: personal data found by assessment means the regulator within 72h' '
	setup_casebook &&
	irk open "Customer table dumped" --category data-breach --detected 2026-11-01T08:00:00Z >/dev/null &&
	irk notify duties 1 >out && ! grep regulator out &&
	irk assess 1 --real yes --data personal >/dev/null &&
	irk notify duties 1 --json >out &&
	grep "\"role\":\"regulator\"" out && grep "\"deadline\":\"2026-11-04T08:00:00.000Z\"" out
'

test_expect_success 'an abuse report: answer the abuse desk within a day of detection' '
	setup_casebook &&
	irk open "Reported for SSH scanning" --category abuse --detected 2026-11-20T09:30:00Z >/dev/null &&
	irk notify duties 1 --json >out &&
	grep "\"role\":\"isp-abuse\".*\"deadline\":\"2026-11-21T09:30:00.000Z\"" out
'

test_done
