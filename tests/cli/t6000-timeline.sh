#!/bin/sh
# t6000-timeline.sh - irk timeline: order by event time, late entries, filters, formats.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-report.sh"

# An incident with known times; entries are written now, most with an
# earlier --at, so they are recorded late (threshold 30 minutes).
scripted_incident() {
	setup_casebook &&
	irk open "Web server defaced" --category web-compromise --severity high \
		--occurred 2026-11-20T08:00:00Z --detected 2026-11-20T10:00:00Z >/dev/null &&
	irk log 1 "called the hosting provider" --kind call --with "ISP abuse desk" \
		--at 2026-11-20T10:30:00Z >/dev/null &&                    # 2
	irk log 1 "first alert seen in the web log" --at 2026-11-20T09:50:00Z >/dev/null && # 3
	irk phase 1 triage --at 2026-11-20T10:15:00Z >/dev/null &&       # 4
	irk phase 1 contained --at 2026-11-20T12:00:00Z >/dev/null &&    # 5
	irk log 1 "<script>alert(1)</script> & more" >/dev/null           # 6, now: not late
}

test_expect_success 'entries come in the order they happened, not written' '
	scripted_incident &&
	irk timeline 1 --format csv >tl.csv &&
	tail -n +2 tl.csv | cut -d, -f1 | tr "\n" " " >order &&
	test "$(cat order)" = "3 4 2 5 1 6 "
'

test_expect_success 'entries written long after the event are marked late' '
	scripted_incident &&
	irk timeline 1 --format csv | tail -n +2 | cut -d, -f1,4 | tr "\n" " " >late &&
	test "$(cat late)" = "3,1 4,1 2,1 5,1 1,0 6,0 " &&
	irk timeline 1 >tl.txt &&
	grep "! #3 " tl.txt && grep "! #2 .*recorded .* later" tl.txt &&
	grep -v "!" tl.txt | grep "#6 " &&
	grep "6 entries, 4 recorded late" tl.txt
'

test_expect_success 'the lateness threshold can be changed' '
	scripted_incident &&
	irk timeline 1 --late 50000000 | grep "6 entries, 0 recorded late" &&
	test_must_fail 2 irk timeline 1 --late 0
'

test_expect_success 'JSON Lines carry late, delay and a summary per entry' '
	scripted_incident &&
	irk timeline 1 --json >tl.jsonl &&
	test $(wc -l <tl.jsonl) -eq 6 &&
	head -n 1 tl.jsonl | jget "d[\"seq\"], d[\"late\"], d[\"at\"]" >first &&
	test "$(cat first)" = "(3, True, '"'"'2026-11-20T09:50:00.000Z'"'"')" &&
	sed -n 2p tl.jsonl | jget "d[\"summary\"]" | grep "phase → triage" &&
	sed -n 3p tl.jsonl | jget "d[\"summary\"]" | grep "call with ISP abuse desk: called"
'

test_expect_success 'filters by kind and by time' '
	scripted_incident &&
	irk timeline 1 --kind phase --format csv | tail -n +2 | cut -d, -f1 | tr "\n" " " >k &&
	test "$(cat k)" = "4 5 " &&
	irk timeline 1 --kind call,note --format csv | tail -n +2 | cut -d, -f1 | tr "\n" " " >k2 &&
	test "$(cat k2)" = "3 2 6 " &&
	irk timeline 1 --since 2026-11-20T10:00:00Z --until 2026-11-20T11:00:00Z --format csv |
		tail -n +2 | cut -d, -f1 | tr "\n" " " >t &&
	test "$(cat t)" = "4 2 " &&
	test_must_fail 4 irk timeline 1 --since yesterday-ish
'

test_expect_success 'the SVG chart is well-formed with bands and marks' '
	scripted_incident &&
	irk timeline 1 --format svg >tl.svg &&
	check_xml tl.svg &&
	grep -c "<circle" tl.svg >marks && test $(cat marks) -ge 6 &&
	grep "undetected from 2026-11-20T08:00:00Z" tl.svg &&
	grep "contained from 2026-11-20T12:00:00Z" tl.svg &&
	grep "&lt;script&gt;" tl.svg && ! grep "<script" tl.svg
'

test_expect_success 'the HTML page is well-formed and shows record text as text' '
	scripted_incident &&
	irk timeline 1 --format html -o tl.html &&
	check_xml tl.html && check_html tl.html &&
	grep "<svg" tl.html && grep "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" tl.html
'

test_expect_success 'Markdown for printing escapes record text' '
	scripted_incident &&
	irk timeline 1 --format md >tl.md &&
	grep "^| 3 | 2026-11-20 09:50:00 +00:00 ⚠ | note |" tl.md &&
	grep "&lt;script&gt;" tl.md
'

test_expect_success 'unknown incidents and formats are refused' '
	scripted_incident &&
	test_must_fail 3 irk timeline 9 &&
	grep "no incident" err &&
	test_must_fail 2 irk timeline 1 --format pdf
'

if have_chromium; then
	test_expect_success 'the timeline page renders in headless Chromium' '
		scripted_incident &&
		irk timeline 1 --format html -o tl.html &&
		screenshot tl.html t6000-timeline
	'
else
	test_skip 'the timeline page renders in headless Chromium' 'chromium is not installed'
fi

test_done
