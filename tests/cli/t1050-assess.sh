#!/bin/sh
# t1050-assess.sh - is it real, how big: the rating rule, overrides, files.
. "$(dirname "$0")/../lib.sh"

test_expect_success 'flags: the rule gives a severity and says why; the incident follows' '
	setup_casebook && irk open "x" >/dev/null &&
	irk assess 1 --real yes --hosts 12 --multi-site yes --damage moderate \
		--symptom "suspicious-probes:300 failed logins from 203.0.113.7" >out &&
	grep "severity high, priority P2" out &&
	grep "+2: 12 hosts involved" out && grep "+1: more than one site" out &&
	grep "score 4: high" out &&
	irk show 1 | grep "severity high" &&
	irk assess 1 --show --json >out && grep "\"suspicious-probes\"" out
'

test_expect_success 'not real means low; sensitive data raises it' '
	setup_casebook && irk open "x" >/dev/null &&
	irk assess 1 --real no >out && grep "severity low, priority P4" out &&
	irk assess 1 --real yes --sensitive yes --press yes --damage high --hosts 3 >out &&
	grep "severity critical, priority P1" out
'

test_expect_success 'an override needs a reason and a lead; both are recorded' '
	setup_casebook && irk open "x" >/dev/null &&
	test_must_fail 2 irk assess 1 --real yes --override critical &&
	vkey=$(IRK_KEY=bob.key irk id --name Bob --email bob@example.org --json |
		sed "s/.*\"vkey\":\"\([^\"]*\)\".*/\1/") &&
	irk member add --key "$vkey" --role responder >/dev/null &&
	irk role 1 lead admin@example.org >/dev/null &&
	IRK_KEY=bob.key test_must_fail 9 irk assess 1 --real yes --override critical --reason "CEO laptop" &&
	irk assess 1 --real yes --override critical --reason "the CEO laptop is involved" >out &&
	grep "severity critical, priority P1 (overridden; the rule gives low)" out &&
	irk show 1 | grep "overriding the computed low: the CEO laptop is involved"
'

test_expect_success 'a JSON file gives the answers' '
	setup_casebook && irk open "x" >/dev/null &&
	cat >a.json <<-\EOF &&
	{"real": "yes", "hosts": 150, "data": ["personal"], "entry_point": "VPN",
	 "symptoms": [{"kind": "new-accounts", "evidence": "user svc-backup2 created 03:12"}],
	 "time_to_close": "3d", "resources": "two admins"}
	EOF
	irk assess 1 --file a.json --json >out && grep "\"severity\":\"critical\"" out
'

test_expect_success 'a malformed assess file is a clear error naming the file and what' '
	setup_casebook && irk open "x" >/dev/null &&
	printf "{\"real\": \"yes\",\n \"hosts\": }\n" >bad.json &&
	test_must_fail 4 irk assess 1 --file bad.json && grep "bad.json: line 2:" err &&
	printf "{\"real\": \"maybe\"}" >b2.json &&
	test_must_fail 4 irk assess 1 --file b2.json && grep "b2.json: .*real.* must be yes, no or unknown" err &&
	printf "{\"real\": \"yes\", \"color\": 1}" >b3.json &&
	test_must_fail 4 irk assess 1 --file b3.json && grep "color.* is not a question" err &&
	printf "{\"real\": \"yes\", \"symptoms\": [{\"kind\": \"new-files\"}]}" >b4.json &&
	test_must_fail 4 irk assess 1 --file b4.json && grep "symptoms" err &&
	test_must_fail 4 irk assess 1 --real yes --symptom "aliens:seen" && grep "symptoms.kind" err
'

test_expect_success 'without answers and not on a terminal: usage error' '
	setup_casebook && irk open "x" >/dev/null &&
	test_must_fail 2 irk assess 1 </dev/null
'

if command -v script >/dev/null 2>&1; then
test_expect_success 'on a terminal without answers, irk asks each question' '
	setup_casebook && irk open "x" >/dev/null &&
	printf "maybe\nyes\nsuspicious-probes\n500 failed logins\n\nno\nyes\nno\n12\npersonal\nVPN\nhigh\n2d\ntwo admins\n" >answers &&
	script -qec "\"$IRK\" assess 1" /dev/null <answers >out &&
	grep "severity critical, priority P1" out &&
	irk assess 1 --show --json >out &&
	grep "\"evidence\":\"500 failed logins\"" out && grep "\"hosts\":12" out &&
	grep "\"entry_point\":\"VPN\"" out && grep "\"time_to_close\":\"2d\"" out
'
else
test_skip 'on a terminal without answers, irk asks each question' 'no script(1)'
fi

test_done
