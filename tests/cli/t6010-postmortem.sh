#!/bin/sh
# t6010-postmortem.sh - irk postmortem: text form, storage, links, warnings, action items, cost.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-report.sh"

# One responder's entries at known times: 10:00, 10:30, 11:00 (one session:
# 1 h + 15 min) and 15:00 (another: 15 min).  The open and postmortem
# entries are written now (one more session of 15 min and a few seconds).
scripted_incident() {
	setup_casebook &&
	irk open "Leaked deploy key" --category leaked-credentials \
		--occurred 2026-11-19T09:00:00Z --detected 2026-11-19T10:00:00Z >/dev/null &&
	irk log 1 "key found in a public repository" --at 2026-11-19T10:00:00Z >/dev/null && # 2
	irk log 1 "key revoked" --kind action --at 2026-11-19T10:30:00Z >/dev/null &&         # 3
	irk phase 1 contained --at 2026-11-19T11:00:00Z >/dev/null &&                        # 4
	irk log 1 "history rewritten" --kind action --at 2026-11-19T15:00:00Z >/dev/null     # 5
}

write_pm() {
	cat >pm.txt <<-PM
	# a comment line
	## Summary
	A deploy key was committed to a public repository and found by a scanner.

	## Impact
	systems: CI runners
	data: none known
	people: none
	The key could have pushed to two repositories.

	## Detection
	An external secret scanner mailed the security alias.

	## Response
	Key revoked, history rewritten, pushes audited.

	## Contributing factors
	- Keys were stored in the repository working tree (entries: 2) (principles: minimization, compartmentation)
	- No pre-commit secret scanning (entries: 2, 3) (principles: rigor)
	- A single key had write access to every repository
	  (entries: 5) (principles: Fault Tolerance, minimisation)

	## What went well
	Revocation took thirty minutes.

	## Lessons
	Scanning must happen before the push.

	## Action items
	- Add secret scanning to the pre-commit hooks | owner: admin@example.org | due: 2026-11-10
	- One deploy key per repository | owner: Test Admin | due: 2026-11-12

	## Cost
	rate: 100
	currency: EUR
	hours: 2 auditor outside the log book
	other: 500 emergency audit

	## Recommendations for users
	Nothing to do.

	## Recommendations for other projects
	Scan before pushing.
	PM
}

test_expect_success 'the template lists every section' '
	scripted_incident &&
	irk postmortem 1 template >t.txt &&
	for s in Summary Impact Detection Response "Contributing factors" "What went well" \
		Lessons "Action items" Cost "Recommendations for users" \
		"Recommendations for other projects"; do
		grep "^## $s\$" t.txt || return 1
	done
'

test_expect_success 'a postmortem from a file is stored as a log-book entry' '
	scripted_incident && write_pm &&
	irk postmortem 1 edit --file pm.txt >out 2>warn &&
	grep "INC-.*#6 postmortem version 1" out &&
	test ! -s warn &&
	irk timeline 1 --kind postmortem | grep "#6 .*postmortem version 1" &&
	irk verify >/dev/null
'

test_expect_success 'factors keep their entry links and principles (normalised)' '
	scripted_incident && write_pm &&
	irk postmortem 1 edit --file pm.txt >/dev/null &&
	irk postmortem 1 show --json >pm.json &&
	test "$(jget "[f[\"entries\"] for f in d[\"factors\"]]" <pm.json)" = "[[2], [2, 3], [5]]" &&
	jget "d[\"factors\"][2][\"principles\"]" <pm.json >p &&
	test "$(cat p)" = "['"'"'fault-tolerance'"'"', '"'"'minimization'"'"']" &&
	jget "d[\"factors\"][2][\"text\"]" <pm.json | grep "^A single key had write access to every repository\$" &&
	test "$(jget "d[\"actions\"][1][\"owner\"]" <pm.json)" = "admin@example.org" &&
	test "$(jget "d[\"impact\"][\"notes\"]" <pm.json)" = "The key could have pushed to two repositories."
'

test_expect_success 'show prints the text form again, which reads back the same' '
	scripted_incident && write_pm &&
	irk postmortem 1 edit --file pm.txt >/dev/null &&
	irk postmortem 1 show >shown 2>/dev/null &&
	grep "^- No pre-commit secret scanning (entries: 2, 3) (principles: rigor)\$" shown &&
	grep "^# time to detect: 1h 00m" shown &&
	irk postmortem 1 show --json | jget "d[\"factors\"]" >before &&
	irk postmortem 1 edit --file shown >out &&
	grep "version 2" out &&
	irk postmortem 1 show --json | jget "d[\"factors\"]" >after &&
	cmp before after
'

test_expect_success 'cost: log-book sessions per responder, times the rate, plus other losses' '
	scripted_incident && write_pm &&
	irk postmortem 1 edit --file pm.txt >/dev/null &&
	irk postmortem 1 show --json >pm.json &&
	# sessions: 10:00-11:00 (1h + 0.25), 15:00 (0.25), now (0.25 + seconds)
	test "$(jget "round(d[\"cost_estimate\"][\"logbook_hours\"], 1)" <pm.json)" = "1.8" &&
	test "$(jget "d[\"cost_estimate\"][\"extra_hours\"]" <pm.json)" = "2.0" &&
	expected=$(jget "round((d[\"cost_estimate\"][\"logbook_hours\"] + 2) * 100 + 500, 2)" <pm.json) &&
	test "$(jget "d[\"cost_estimate\"][\"total\"]" <pm.json)" = "$expected" &&
	test "$(jget "d[\"cost_estimate\"][\"currency\"]" <pm.json)" = "EUR"
'

test_expect_success 'a single contributing factor draws a warning' '
	scripted_incident &&
	printf "## Summary\nA key leaked.\n## Contributing factors\n- Keys in the tree (entries: 2) (principles: rigor)\n" >one.txt &&
	irk postmortem 1 edit --file one.txt >out 2>warn &&
	grep "warning: only one contributing factor" warn &&
	test_must_fail 1 irk postmortem 1 check &&
	grep "only one contributing factor" err
'

test_expect_success 'blame language draws a warning naming the section and phrase' '
	scripted_incident && write_pm &&
	sed "s/^A deploy key was committed.*/The careless intern caused it; human error./" pm.txt >blame.txt &&
	irk postmortem 1 edit --file blame.txt >out 2>warn &&
	grep "blame language in Summary: \"careless\"" warn &&
	grep "blame language in Summary: \"human error\"" warn &&
	test_must_fail 1 irk postmortem 1 check
'

test_expect_success 'a clean postmortem passes the check' '
	scripted_incident && write_pm &&
	irk postmortem 1 edit --file pm.txt >/dev/null &&
	irk postmortem 1 check >out &&
	grep "no warnings" out
'

test_expect_success 'mistakes are refused with the line named' '
	scripted_incident && write_pm &&
	sed "s/principles: rigor)/principles: luck)/" pm.txt >bad1 &&
	test_must_fail 4 irk postmortem 1 edit --file bad1 &&
	grep "line 19: unknown principle .luck." err &&
	printf "## Summary\nx\n## Root cause\ny\n" >bad2 &&
	test_must_fail 4 irk postmortem 1 edit --file bad2 &&
	grep "line 3: unknown section .Root cause." err &&
	sed "s/(entries: 5)/(entries: 99)/" pm.txt >bad3 &&
	test_must_fail 4 irk postmortem 1 edit --file bad3 &&
	grep "links entry 99" err &&
	sed "s/owner: Test Admin/owner: nobody@example.org/" pm.txt >bad4 &&
	test_must_fail 3 irk postmortem 1 edit --file bad4 &&
	grep "action item 2.*nobody@example.org" err &&
	sed "s/due: 2026-11-12/due: someday/" pm.txt >bad5 &&
	test_must_fail 4 irk postmortem 1 edit --file bad5 &&
	printf "\001\n" >bad6 &&
	test_must_fail 4 irk postmortem 1 edit --file bad6 &&
	test_must_fail 3 irk postmortem 1 show
'

test_expect_success 'standard input is read when it is not a terminal' '
	scripted_incident && write_pm &&
	irk postmortem 1 edit <pm.txt >out &&
	grep "version 1" out
'

test_expect_success '--file - reads standard input' '
	scripted_incident && write_pm &&
	cat pm.txt | irk postmortem 1 edit --file - >out && grep "version 1" out
'

if command -v script >/dev/null 2>&1; then
	test_expect_success 'on a terminal, edit opens $EDITOR on the current text' '
		scripted_incident && write_pm &&
		unset VISUAL &&
		EDITOR="cp $PWD/pm.txt" script -qec "$IRK postmortem 1 edit" /dev/null >out &&
		grep "version 1" out &&
		EDITOR="true" script -qec "$IRK postmortem 1 edit" /dev/null >out2 &&
		grep "no change" out2 &&
		EDITOR="false" script -qec "$IRK postmortem 1 edit" /dev/null >out3;
		grep "editor (false) did not finish" out3
	'
else
	test_skip 'on a terminal, edit opens $EDITOR on the current text' 'script(1) is missing'
fi

test_expect_success 'action items are closed with done, once' '
	scripted_incident && write_pm &&
	irk postmortem 1 edit --file pm.txt >/dev/null &&
	irk postmortem 1 done 1 --at 2026-11-09T12:00:00Z >out &&
	grep "action item 1 done" out &&
	irk postmortem 1 show --json >pm.json &&
	test "$(jget "d[\"actions\"][0][\"done\"]" <pm.json)" = "2026-11-09T12:00:00Z" &&
	test "$(jget "d[\"actions\"][1][\"done\"]" <pm.json)" = "None" &&
	test_must_fail 8 irk postmortem 1 done 1 &&
	test_must_fail 8 irk postmortem 1 done 7 &&
	irk postmortem 1 edit --file pm.txt >/dev/null &&
	irk postmortem 1 show --json | jget "d[\"actions\"][0][\"done\"]" | grep 2026-11-09 &&
	irk verify >/dev/null
'

test_done
