#!/bin/sh
# t1030-playbook.sh - bundled and casebook playbooks; irk open --playbook.
. "$(dirname "$0")/../lib.sh"

test_expect_success 'all eight bundled playbooks load' '
	irk playbook check >out &&
	test "$(grep -c "^ok " out)" -ge 8 &&
	for p in account-compromise web-compromise leaked-credentials ransomware lost-device \
		ddos phishing abuse-report; do grep "^ok $p " out || return 1; done
'

test_expect_success 'playbook list and show (text and JSON)' '
	irk playbook list >out && grep "^ransomware *ransomware *critical" out &&
	irk playbook list --json >out && test "$(grep -c "\"error\":null" out)" -ge 8 &&
	irk playbook show ransomware >out && grep "Disconnect affected hosts" out &&
	grep "law-enforcement *within 72h" out &&
	irk playbook show phishing --json >out && grep "\"name\":\"staff-warning\"" out
'

test_expect_success 'a broken playbook is refused with file, line and reason' '
	printf "name: broken\ntitle: Broken\ncategory: phishing\nseverity: high\nsummary: s\ntasks:\n  - title: a\n    phase: sideways\n" >broken.yml &&
	test_must_fail 4 irk playbook check broken.yml &&
	grep "broken.yml:8: phase .sideways. is not detected" err
'

test_expect_success 'malformed YAML and unknown keys name their line' '
	printf "name: x\ntitle: [unclosed\n" >bad.yml &&
	test_must_fail 4 irk playbook check bad.yml && grep "bad.yml:[0-9]*:" err &&
	printf "name: y\ntitle: Y\ncategory: ddos\nseverity: low\nsummary: s\nowner: me\ntasks:\n  - title: a\n    phase: triage\n" >y.yml &&
	test_must_fail 4 irk playbook check y.yml && grep "y.yml:6: unknown key .owner." err &&
	printf "name: z\ntitle: Z\ncategory: ddos\nseverity: low\nsummary: s\ntasks:\n  - title: a\n    phase: triage\n    due: soon\n" >z.yml &&
	test_must_fail 4 irk playbook check z.yml && grep "z.yml:9: due .soon. is not a length of time" err &&
	awk "BEGIN { printf \"name: \"; for (i = 0; i < 5000; i++) printf \"[\"; for (i = 0; i < 5000; i++) printf \"]\"; print \"\" }" >deep.yml &&
	test_must_fail 4 irk playbook check deep.yml && grep "deep.yml:1: nested more than 32 levels deep" err
'

test_expect_success 'open --playbook: type, lead, tasks with due times, duties' '
	setup_casebook &&
	irk open "Files encrypted on FS1" --playbook ransomware >/dev/null &&
	irk show 1 --json >out &&
	grep "\"category\":\"ransomware\",\"severity\":\"critical\"" out &&
	grep "\"playbook\":\"ransomware\"" out &&
	irk show 1 >out && grep "^  lead *admin@example.org" out &&
	grep "#1 open .*Disconnect affected hosts from the network" out &&
	irk task list 1 --json >out && test "$(wc -l <out)" = 9 &&
	irk notify duties 1 >out && grep "law-enforcement" out && grep "management" out
'

test_expect_success 'options given to open win over the playbook; unknown playbook is refused' '
	setup_casebook &&
	irk open "Small phish" --playbook phishing --severity low >/dev/null &&
	irk show 1 --json | grep "\"severity\":\"low\"" &&
	test_must_fail 3 irk open "x" --playbook nosuch && grep "no playbook .nosuch." err &&
	test_must_fail 4 irk open "x" --playbook ../etc && grep "not a playbook name" err &&
	irk list --json >out && test "$(wc -l <out)" = 1
'

test_expect_success 'a casebook playbook overrides the bundled one; a broken one blocks open' '
	setup_casebook &&
	mkdir -p .irk/playbooks &&
	printf "name: ddos\ntitle: Our DDoS\ncategory: ddos\nseverity: medium\nsummary: ours\ntasks:\n  - title: Call the NOC\n    phase: triage\nduties:\n  - notify: pr\n    within: 2h\n    clock: contained\n    why: tell the press desk once it is contained\n" >.irk/playbooks/ddos.yml &&
	irk playbook show ddos >out && grep "Our DDoS" out && grep ".irk/playbooks/ddos.yml" out &&
	irk open "flood" --playbook ddos >/dev/null &&
	irk task list 1 >out && grep "Call the NOC" out && test "$(wc -l <out)" = 1 &&
	irk notify duties 1 >out && grep "^waiting *pr *by (clock not started)" out &&
	irk phase 1 contained >/dev/null &&
	irk notify duties 1 >out && grep "^open *pr" out &&
	printf "name: phishing\ntitle: x\n" >.irk/playbooks/phishing.yml &&
	test_must_fail 4 irk open "y" --playbook phishing && grep "phishing.yml:1: .category. is missing" err &&
	irk playbook list >out && grep "^phishing *BROKEN" out
'

test_expect_success 'draft fills a message template for the incident' '
	setup_casebook &&
	irk open "Shop defaced" --playbook web-compromise >/dev/null &&
	irk playbook draft 1 status-update >out &&
	grep "^Subject: INC-....-0001 update: Shop defaced" out &&
	grep "severity high" out &&
	test_must_fail 3 irk playbook draft 1 nosuch
'

test_done
