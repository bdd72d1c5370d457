#!/bin/sh
# t6020-report.sh - irk report: kinds, formats, the footer tied to the record, staleness.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-report.sh"

incident_with_postmortem() {
	setup_casebook &&
	irk open "Phishing wave <b>bold</b>" --category phishing --severity medium \
		--occurred 2026-11-18T07:00:00Z --detected 2026-11-18T08:00:00Z >/dev/null &&
	irk log 1 "mail gateway rule added" --kind action --at 2026-11-18T08:40:00Z >/dev/null &&
	irk phase 1 contained --at 2026-11-18T09:00:00Z >/dev/null &&
	irk phase 1 recovered --at 2026-11-18T12:00:00Z >/dev/null &&
	cat >pm.txt <<-PM &&
	## Summary
	Staff received a credential phishing mail; two people entered passwords.
	## Impact
	systems: mail
	data: two passwords
	people: 2
	## Detection
	Reported by a recipient.
	## Response
	Passwords reset, sender blocked.
	## Contributing factors
	- No phishing-resistant second factor (entries: 2) (principles: fault-tolerance)
	- The mail gateway did not check look-alike domains (entries: 2, 3) (principles: rigor)
	## Action items
	- Roll out security keys | owner: admin@example.org | due: 2026-12-15
	## Cost
	rate: 80
	currency: EUR
	## Recommendations for users
	Check the address bar before typing a password.
	## Recommendations for other projects
	Look-alike domain checks are cheap.
	PM
	irk postmortem 1 edit --file pm.txt >/dev/null
}

footer_field() { # $1 = file, $2 = field (entries, head)
	sed -n "s/.*irk-record: [^ ]* entries=\([0-9]*\) head=\([0-9a-f]*\) .*/\1 \2/p" "$1" |
		head -n 1 | { read n h; if [ "$2" = entries ]; then echo "$n"; else echo "$h"; fi; }
}

test_expect_success 'the footer carries the head that irk verify reports' '
	incident_with_postmortem &&
	irk report 1 -o r.md &&
	irk verify 1 --json >v.json &&
	test "$(footer_field r.md head)" = "$(jget "d[\"incident\"][\"head\"]" <v.json)" &&
	test "$(footer_field r.md entries)" = "$(jget "d[\"incident\"][\"entries\"]" <v.json)"
'

test_expect_success 'a report is current until the casebook changes, then stale' '
	incident_with_postmortem &&
	irk report 1 -o r.md &&
	irk report 1 --format html -o r.html &&
	irk report --check r.md >out && grep "^current: " out && grep "checkpoint verified" out &&
	irk report --check r.html >out && grep "^current: " out &&
	irk log 1 "one more thing" >/dev/null &&
	test_must_fail 1 irk report --check r.md && grep "^stale: .*entries added since: 1" out &&
	test_must_fail 1 irk report --check r.html &&
	irk report --check r.html --json | jget "d[\"state\"], d[\"added\"]" >s &&
	test "$(cat s)" = "('"'"'stale'"'"', 1)"
'

test_expect_success 'a report whose footer does not match the record is refused' '
	incident_with_postmortem &&
	irk report 1 -o r.md &&
	python3 -c "import re, sys; t = open(\"r.md\").read(); m = re.search(\"head=([0-9a-f])\", t); c = \"1\" if m.group(1) != \"1\" else \"2\"; sys.stdout.write(t[:m.start(1)] + c + t[m.end(1):])" >forged.md &&
	! cmp -s r.md forged.md &&
	test_must_fail 10 irk report --check forged.md && grep "MISMATCH" out &&
	echo "no footer here" >plain.md &&
	test_must_fail 4 irk report --check plain.md && grep "no irk-record footer" err
'

test_expect_success 'the footer checkpoint verifies with irk verify --checkpoint' '
	incident_with_postmortem &&
	irk report 1 -o r.md &&
	sed -n "/^\`\`\`checkpoint\$/,/^\`\`\`\$/p" r.md | sed "1d;\$d" >cp.txt &&
	test -s cp.txt &&
	irk verify --checkpoint cp.txt >out
'

test_expect_success 'every kind renders as well-formed HTML with the chart' '
	incident_with_postmortem &&
	for k in postmortem executive technical disclosure; do
		irk report 1 --kind $k --format html -o $k.html &&
		check_xml $k.html && check_html $k.html &&
		grep "irk-record: INC-" $k.html || return 1
	done &&
	grep "<svg" postmortem.html && grep "<svg" executive.html && grep "<svg" technical.html &&
	grep "Contributing factors" technical.html &&
	grep "entry #3 (2026-11-18T09:00:00Z, phase)" technical.html &&
	grep "&lt;b&gt;bold&lt;/b&gt;" postmortem.html && ! grep "<b>bold" postmortem.html
'

test_expect_success 'a disclosure leaves out the team and the internal log' '
	incident_with_postmortem &&
	irk report 1 --kind disclosure >d.md &&
	grep "What you should do" d.md &&
	grep "2026-11-18T09:00:00Z: we contained it" d.md &&
	grep -v "^— admin@example.org " d.md >body.md &&
	! grep "admin@example.org" body.md &&
	! grep "mail gateway rule added" d.md
'

test_expect_success 'postmortem and disclosure need a postmortem; the others do not' '
	setup_casebook && irk open "No postmortem yet" >/dev/null &&
	test_must_fail 3 irk report 1 && grep "has no postmortem" err &&
	irk report 1 --kind technical >t.md && grep "## Timeline" t.md &&
	irk report 1 --kind executive >e.md && grep "## Key facts" e.md
'

test_expect_success 'without an identity the footer has no checkpoint but still checks' '
	incident_with_postmortem &&
	IRK_KEY=$PWD/none irk report 1 -o r.md 2>err &&
	grep "no signed checkpoint" err && ! grep "checkpoint" r.md | grep "^\`\`\`" &&
	irk report --check r.md >out && grep "checkpoint absent" out
'

test_expect_success 'PDF without a browser says so clearly' '
	incident_with_postmortem &&
	PATH=/nonexistent test_must_fail 3 "$IRK" report 1 --format pdf &&
	grep "no headless browser" err && grep "hint: install one" err &&
	IRK_CHROMIUM=/nonexistent/chrome test_must_fail 3 irk report 1 --format pdf &&
	grep "IRK_CHROMIUM names /nonexistent/chrome" err
'

if have_chromium; then
	test_expect_success 'PDF through headless Chromium' '
		incident_with_postmortem &&
		irk report 1 --format pdf -o r.pdf >out &&
		grep "wrote r.pdf" out && test "$(head -c 5 r.pdf)" = "%PDF-"
	'
	test_expect_success 'the report renders in headless Chromium' '
		incident_with_postmortem &&
		irk report 1 --format html -o r.html &&
		screenshot r.html t6020-report &&
		irk stats --format html -o s.html &&
		screenshot s.html t6020-stats
	'
else
	test_skip 'PDF through headless Chromium' 'chromium is not installed'
	test_skip 'the report renders in headless Chromium' 'chromium is not installed'
fi

test_expect_success 'unknown kinds and formats are usage errors' '
	incident_with_postmortem &&
	test_must_fail 2 irk report 1 --kind memo &&
	test_must_fail 2 irk report 1 --format docx
'

test_done
