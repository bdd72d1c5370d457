#!/bin/sh
# t5001-msg-lint.sh - every lint rule fires on bad text and stays silent on good text.
. "$(dirname "$0")/../lib.sh"
. "$SRC_DIR/tests/comms/setup.sh"
C=$SRC_DIR/tests/comms

# fires AUDIENCE RULE SEVERITY TEXT: the rule reports TEXT with that severity.
fires() {
	printf "%s\n" "$4" >msg.txt &&
	{ irk msg lint --audience "$1" --file msg.txt --json >out; test $? -le 1; } &&
	grep "\"rule\":\"$2\"" out | grep -q "\"severity\":\"$3\"" || {
		echo "$2 did not fire as $3 for $1 on: $4"; cat out; return 1; }
}
# fires_in INC AUDIENCE RULE SEVERITY TEXT: as fires, linting in the context of incident INC.
fires_in() {
	printf "%s\n" "$5" >msg.txt &&
	{ irk msg lint "$1" --audience "$2" --file msg.txt --json >out; test $? -le 1; } &&
	grep "\"rule\":\"$3\"" out | grep -q "\"severity\":\"$4\"" || {
		echo "$3 did not fire as $4 for $2 on: $5"; cat out; return 1; }
}
# silent AUDIENCE RULE FILE: the rule reports nothing on FILE.
silent() {
	{ irk msg lint --audience "$1" --file "$3" --json >out; test $? -le 1; } &&
	! grep -q "\"rule\":\"$2\"" out || { echo "$2 fired on $3"; cat out; return 1; }
}

test_expect_success 'the good messages draw no error for their audiences' '
	setup_comms &&
	for a in users:good-users public:good-public press:good-press cert:good-cert \
		 internal:good-internal; do
		irk msg lint --audience ${a%%:*} --file "$C/${a#*:}.txt" >out || { cat out; exit 1; }
		grep -q " 0 errors" out || exit 1
	done
'

test_expect_success 'comms.unfilled' '
	setup_comms &&
	fires users comms.unfilled error "Dear [FILL IN: name], we are sorry." &&
	fires internal comms.unfilled error "Status of {{id}}" &&
	silent users comms.unfilled "$C/good-users.txt"
'

test_expect_success 'comms.who-affected / how-to-tell / what-to-do / not-affected (users)' '
	setup_comms &&
	fires users comms.who-affected error "We had a problem with our sign-in page." &&
	fires users comms.how-to-tell error "We had a problem with our sign-in page." &&
	fires users comms.what-to-do error "We had a problem with our sign-in page." &&
	fires users comms.not-affected error "We had a problem with our sign-in page." &&
	fires public comms.how-to-tell warning "We had a problem with our sign-in page." &&
	for r in who-affected how-to-tell what-to-do not-affected; do
		silent users comms.$r "$C/good-users.txt" && silent public comms.$r "$C/good-public.txt" ||
		exit 1
	done
'

test_expect_success 'the span of a finding: byte offsets, line and column' '
	setup_comms &&
	printf "Hello.\nPlease act NOW!! Thanks.\n" >m.txt &&
	irk msg lint --audience users --file m.txt --json >out;
	grep "\"excerpt\":\"!!\"" out | grep -q "\"start\":21,\"end\":23,\"line\":2,\"col\":15"
'

test_expect_success 'comms.shouting: an error outside, a warning inside' '
	setup_comms &&
	fires users comms.shouting error "URGENT: change your password!!" &&
	fires public comms.shouting error "PLEASE CHANGE YOUR PASSWORD" &&
	fires internal comms.shouting warning "IMPORTANT update for the team" &&
	silent users comms.shouting "$C/good-users.txt" &&
	silent press comms.shouting "$C/good-press.txt"
'

test_expect_success 'comms.own-domain-link suggests the defanged form' '
	setup_comms &&
	fires users comms.own-domain-link error "Reset it at https://login.example.org/reset today." &&
	grep -q "login.example\[.\]org" out &&
	fires cert comms.own-domain-link warning "Our server mail.example.org saw this." &&
	silent users comms.own-domain-link "$C/good-users.txt" &&
	printf "Reset it at login.example[.]org when the notice says so.\n" >d.txt &&
	silent users comms.own-domain-link d.txt
'

test_expect_success 'comms.relative-time unless an absolute time with offset is given' '
	setup_comms &&
	fires users comms.relative-time error "This happened yesterday and was fixed 2 hours ago." &&
	fires internal comms.relative-time warning "Fixed this morning." &&
	printf "This happened yesterday, 2026-11-20 14:00 +01:00.\n" >abs.txt &&
	silent users comms.relative-time abs.txt &&
	silent users comms.relative-time "$C/good-users.txt"
'

test_expect_success 'comms.speculation in public and press messages' '
	setup_comms &&
	fires public comms.speculation error "The attackers probably used a weak password." &&
	fires press comms.speculation error "We believe no data was taken." &&
	fires users comms.speculation warning "It seems some data was copied." &&
	silent public comms.speculation "$C/good-public.txt" &&
	silent press comms.speculation "$C/good-press.txt"
'

test_expect_success 'comms.attribution' '
	setup_comms &&
	fires press comms.attribution error "A nation-state group is behind the attack." &&
	fires public comms.attribution error "The breach was attributed to APT28." &&
	silent press comms.attribution "$C/good-press.txt"
'

test_expect_success 'comms.press-technical: addresses, hashes, CVE ids, host names' '
	setup_comms &&
	fires press comms.press-technical error "The attacker came from 203.0.113.9." &&
	fires press comms.press-technical error "They used CVE-2024-3094." &&
	fires press comms.press-technical error "The file had hash 44d88612fea8a8f36de82e1278abb02f." &&
	fires press comms.press-technical error "It ran on mail01.branch.example.net." &&
	fires press comms.press-technical error "Traffic went to 2001:db8::7." &&
	fires public comms.press-technical warning "The attacker came from 203.0.113.9." &&
	silent press comms.press-technical "$C/good-press.txt"
'

test_expect_success 'comms.blame' '
	setup_comms &&
	fires public comms.blame error "This was the fault of a careless employee." &&
	fires internal comms.blame warning "Human error by the night shift." &&
	silent public comms.blame "$C/good-public.txt" &&
	silent internal comms.blame "$C/good-internal.txt"
'

test_expect_success 'comms.internal-leak: hosts, addresses, users and TLP markers from config' '
	setup_comms &&
	fires users comms.internal-leak error "The server db1.corp.example.org was affected." &&
	fires cert comms.internal-leak error "Our host 10.20.30.40 was attacked." &&
	fires public comms.internal-leak error "The account of jdoe was used." &&
	fires regulator comms.internal-leak error "See the TLP:RED report." &&
	fires cert comms.internal-leak error "It reached db2 first." &&
	fires law-enforcement comms.internal-leak warning "Our host 10.20.30.40 was attacked." &&
	silent cert comms.internal-leak "$C/good-cert.txt" &&
	silent users comms.internal-leak "$C/good-users.txt" &&
	printf "Status: db1.corp.example.org 10.1.1.1 jdoe\n" >i.txt &&
	silent internal comms.internal-leak i.txt
'

test_expect_success 'comms.personal-data: e-mail addresses and phone numbers, not role addresses' '
	setup_comms &&
	fires public comms.personal-data error "Ask John at john.smith@gmail.com." &&
	fires press comms.personal-data error "Call him on +44 20 7946 0958." &&
	fires users comms.personal-data warning "Call 030 1234567 for help." &&
	silent users comms.personal-data "$C/good-users.txt" &&
	silent public comms.personal-data "$C/good-public.txt"
'

test_expect_success 'comms.timezone: a report to another team states the timezone' '
	setup_comms &&
	fires cert comms.timezone error "We saw attacks from 198.51.100.23 at 08:00." &&
	silent cert comms.timezone "$C/good-cert.txt"
'

test_expect_success 'comms.tlp-leak: details of a TLP:RED/AMBER incident stay inside' '
	setup_comms &&
	irk open "Red one" --tlp red >/dev/null && irk open "Clear one" --tlp clear >/dev/null &&
	irk log 2 "beacon to c2.badhost.example.net (198.51.100.77), hash 44d88612fea8a8f36de82e1278abb02f" &&
	irk log 3 "beacon to c2.badhost.example.net (198.51.100.77)" &&
	fires_in 2 users comms.tlp-leak error "Our systems talked to 198.51.100.77." &&
	fires_in 2 cert comms.tlp-leak error "Please block c2.badhost.example.net." &&
	irk log 1 "seen 198.51.100.77" && irk amend 1 2 "also 203.0.113.99" >/dev/null &&
	fires_in 1 cert comms.tlp-leak warning "Please block 198.51.100.77 at 2026-11-21 10:00 UTC." &&
	printf "Our systems talked to 198.51.100.77.\n" >t.txt &&
	irk msg lint 3 --audience users --file t.txt --json >out; ! grep -q tlp-leak out &&
	irk msg lint 2 --audience internal --file t.txt --json >out; ! grep -q tlp-leak out &&
	silent users comms.tlp-leak t.txt &&
	irk msg draft 2 --audience users --file t.txt >out && grep -q "comms.tlp-leak" out
'

test_expect_success 'every rule in the table is documented and tested here' '
	for r in $(grep -o "{ \"comms\.[a-z-]*\"" "$SRC_DIR/lib/comms/lint.c" | cut -d\" -f2); do
		grep -q "$r" "$SRC_DIR/docs/COMMS.md" || { echo "$r not in COMMS.md"; exit 1; }
		grep -q "fires[_a-z]* .*$r " "$SRC_DIR/tests/cli/t5001-msg-lint.sh" || { echo "$r has no firing test"; exit 1; }
	done
'

test_expect_success 'lint exit codes, --json, and bad input' '
	setup_comms &&
	printf "All good: the issue affected nobody.\n" >ok.txt &&
	irk msg lint --audience internal --file ok.txt >out && grep -q "0 errors" out &&
	printf "URGENT!!\n" >bad.txt &&
	test_must_fail 1 irk msg lint --audience users --file bad.txt &&
	printf "\377\376 bad\n" >bin.txt &&
	test_must_fail 4 irk msg lint --audience users --file bin.txt && grep -q "UTF-8" err &&
	test_must_fail 2 irk msg lint --audience nobody --file ok.txt &&
	test_must_fail 2 irk msg lint
'

test_expect_success 'lint works outside a casebook, without organisation settings' '
	printf "URGENT!! see https://example.org\n" >bad.txt &&
	test_must_fail 1 irk msg lint --audience users --file bad.txt &&
	grep -q comms.shouting out && ! grep -q own-domain out
'

test_done
