#!/bin/sh
# t1000-role-task.sh - incident roles, handovers and tasks.
. "$(dirname "$0")/../lib.sh"

# Alice (admin) and Bob (responder) in one casebook; Bob's key is ./bob.key.
setup_crew() {
	setup_casebook alice@example.org &&
	vkey=$(IRK_KEY=bob.key irk id --name Bob --email bob@example.org --json |
		sed 's/.*"vkey":"\([^"]*\)".*/\1/') &&
	irk member add --key "$vkey" --role responder >/dev/null &&
	irk open "Brute force on bastion" >/dev/null
}

test_expect_success 'show says nobody leads; role gives the lead and show names it' '
	setup_crew &&
	irk show 1 >out && grep "lead *nobody yet" out &&
	irk role 1 lead alice@example.org &&
	irk show 1 >out && grep "^  lead *alice@example.org" out
'

test_expect_success 'a handover is an entry and the new lead is shown' '
	setup_crew &&
	irk role 1 lead alice@example.org &&
	irk role 1 lead bob@example.org -m "going off shift" &&
	irk role 1 --json >roles && grep "\"email\":\"bob@example.org\"" roles &&
	test "$(irk show 1 --json | grep -o "\"kind\":\"role\"" | wc -l)" = 2 &&
	irk show 1 | grep "going off shift"
'

test_expect_success 'only the lead hands out roles once there is one' '
	setup_crew &&
	irk role 1 lead alice@example.org &&
	IRK_KEY=bob.key test_must_fail 9 irk role 1 tech bob@example.org &&
	grep "cannot hand out roles" err
'

test_expect_success 'an unknown member or role is a clear error' '
	setup_crew &&
	test_must_fail 3 irk role 1 lead carol@example.org && grep "not a member" err &&
	test_must_fail 4 irk role 1 boss alice@example.org && grep "unknown incident role" err
'

test_expect_success 'tasks: add, ack with ETA, done; status lines in show' '
	setup_crew &&
	irk task add 1 "Block 203.0.113.7" --owner bob@example.org --phase contained --due 30m &&
	irk task list 1 >out && grep "#1 open .*Block 203.0.113.7 (bob@example.org, contained)" out &&
	grep "not acknowledged" out &&
	IRK_KEY=bob.key irk task ack 1 1 --eta 5m >out && grep "ETA 5m" out &&
	irk show 1 >out && grep "#1 acked .*ETA" out &&
	irk show 1 | grep "should take about 5m" &&
	IRK_KEY=bob.key irk task done 1 1 &&
	irk task list 1 --all --json >out && grep "\"state\":\"done\"" out
'

test_expect_success 'acknowledging a task one does not own is refused' '
	setup_crew &&
	irk task add 1 "Check the logs" --owner bob@example.org &&
	test_must_fail 8 irk task ack 1 1 --eta 10m &&
	grep "belongs to bob@example.org: only its owner acknowledges it" err
'

test_expect_success 'a task for an unknown member, or a task number that does not exist' '
	setup_crew &&
	test_must_fail 3 irk task add 1 "x" --owner nobody@example.org && grep "not a member" err &&
	test_must_fail 3 irk task done 1 7 && grep "has no task 7" err
'

test_expect_success 'no task on a closed incident' '
	setup_crew &&
	irk close 1 --resolution false-positive >/dev/null &&
	test_must_fail 8 irk task add 1 "late task" && grep "is closed" err
'

test_expect_success 'cancel needs the creator or a lead; a cancelled task cannot be acked' '
	setup_crew &&
	irk task add 1 "Image the disk" --owner bob@example.org &&
	IRK_KEY=bob.key test_must_fail 8 irk task cancel 1 1 &&
	irk task cancel 1 1 -m "not needed" &&
	IRK_KEY=bob.key test_must_fail 8 irk task ack 1 1 --eta 5m && grep "already cancelled" err
'

test_expect_success 'ack needs an ETA' '
	setup_crew &&
	irk task add 1 "x" &&
	test_must_fail 2 irk task ack 1 1 && grep "needs --eta" err &&
	test_must_fail 4 irk task ack 1 1 --eta soon && grep "not a length of time" err
'

test_expect_success 'give hands a task to someone else, who must acknowledge it anew' '
	setup_crew &&
	irk task add 1 "Image the bastion disk" >/dev/null &&
	irk task ack 1 1 --eta 30m >/dev/null &&
	irk task give 1 1 bob@example.org -m "Bob has the disk tools" &&
	irk task list 1 >out && grep "#1 open .*(bob@example.org" out && grep "not acknowledged" out &&
	test_must_fail 8 irk task ack 1 1 --eta 5m &&
	IRK_KEY=bob.key irk task ack 1 1 --eta 40m &&
	IRK_KEY=bob.key test_must_fail 3 irk task give 1 1 carol@example.org
'

test_done
