#!/bin/sh
# t1040-drill.sh - tabletop exercises: start, injects, report.
. "$(dirname "$0")/../lib.sh"

test_expect_success 'drill list shows the bundled scenarios' '
	irk drill list >out &&
	for s in exfiltration ransomware leaked-cloud-keys stolen-laptop botnet-server \
		abuse-ssh-brute-force failed-logins; do grep "^$s " out || return 1; done &&
	! grep BROKEN out
'

test_expect_success 'drill start opens an exercise with the playbook and the briefing' '
	setup_casebook &&
	irk drill start ransomware >out && grep "^opened INC-....-0001 \[DRILL\]" out &&
	grep "Friday 16:10" out &&
	irk show 1 >out && grep "\[DRILL - exercise\]" out && grep "drill.start" out &&
	irk show 1 --json | grep "\"drill\":true" &&
	irk task list >out && grep "\[DRILL\]" out
'

test_expect_success 'injects are released in order, then run out' '
	setup_casebook &&
	irk drill start stolen-laptop >/dev/null &&
	irk drill inject 1 >out && grep "inject 1 of 3" out && grep "encryption was never enabled" out &&
	irk drill inject 1 --json >out && grep "\"num\":2" out &&
	irk drill inject 1 >/dev/null &&
	test_must_fail 8 irk drill inject 1 && grep "every inject of INC-....-0001 has been released" err
'

test_expect_success 'inject on a real incident is refused' '
	setup_casebook &&
	irk open "real" >/dev/null &&
	test_must_fail 8 irk drill inject 1 && grep "not an exercise" err
'

test_expect_success 'report measures time to each stage' '
	setup_casebook &&
	irk drill start failed-logins >/dev/null &&
	irk task ack 1 1 --eta 10m >/dev/null &&
	irk drill inject 1 >/dev/null &&
	irk phase 1 triage >/dev/null && irk phase 1 contained >/dev/null &&
	irk drill report 1 --json >out &&
	grep "\"first_task_ack_s\":[0-9]" out && grep "\"triage\":[0-9]" out &&
	grep "\"contained\":[0-9]" out && grep "\"eradicated\":null" out &&
	grep "\"first_notification_s\":null" out &&
	irk drill report 1 >out && grep "first task acknowledged" out && grep "(not released)" out
'

test_expect_success 'unknown scenario' '
	setup_casebook &&
	test_must_fail 3 irk drill start moon-landing && grep "no drill scenario" err
'

test_done
