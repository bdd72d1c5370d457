#!/bin/sh
# t6030-stats.sh - irk stats: metrics the test computes on its own from the same times.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-report.sh"

# Each line: number kind occurred detected triage contained recovered ("-" = none).
# Numbers are the order of 'irk open'.
cat >"$TEST_ROOT/plan" <<'PLAN'
1 real 2025-03-01T08:00:00Z 2025-03-01T10:00:00Z 2025-03-01T10:30:00Z 2025-03-01T13:00:00Z 2025-03-02T10:00:00Z
2 real 2026-02-01T00:00:00Z 2026-02-01T06:00:00Z 2026-02-01T06:10:00Z 2026-02-01T08:00:00Z 2026-02-01T12:00:00Z
3 real 2026-05-10T10:00:00Z 2026-05-10T10:20:00Z 2026-05-10T11:20:00Z 2026-05-10T14:20:00Z 2026-05-11T14:20:00Z
4 real - 2026-07-01T00:00:00Z - 2026-07-01T01:00:00Z -
5 drill 2026-03-03T08:00:00Z 2026-03-03T09:00:00Z - 2026-03-03T09:30:00Z -
6 fp - 2026-04-01T00:00:00Z - 2026-04-01T02:00:00Z -
7 real 2026-08-01T00:00:00Z 2026-08-01T01:00:00Z 2026-08-01T01:05:00Z 2026-08-01T09:00:00Z 2026-08-03T01:00:00Z
PLAN

build_casebook() {
	setup_casebook &&
	while read n kind occ det tri con rec; do
		set -- --detected "$det"
		[ "$occ" = - ] || set -- "$@" --occurred "$occ"
		[ "$kind" = drill ] && set -- "$@" --drill
		irk open "incident $n" --category phishing "$@" >/dev/null || return 1
		[ "$tri" = - ] || irk phase "$n" triage --at "$tri" >/dev/null || return 1
		[ "$con" = - ] || irk phase "$n" contained --at "$con" >/dev/null || return 1
		[ "$rec" = - ] || irk phase "$n" recovered --at "$rec" >/dev/null || return 1
		if [ "$kind" = fp ]; then
			irk close "$n" --resolution false-positive >/dev/null || return 1
		fi
	done <"$TEST_ROOT/plan"
}

# Durations (seconds) of one metric for the real incidents of a year, from the plan:
# $1 = year, $2 = from column, $3 = to column (3 occurred .. 7 recovered).
durations() {
	while read n kind occ det tri con rec; do
		[ "$kind" = real ] || continue
		set -- "$1" "$2" "$3" "$n" "$kind" "$occ" "$det" "$tri" "$con" "$rec"
		year=$(echo "$7" | cut -c1-4)
		[ "$year" = "$1" ] || continue
		eval from=\${$(($2 + 3))} to=\${$(($3 + 3))}
		[ "$from" = - ] || [ "$to" = - ] && continue
		echo $(( $(secs "$to") - $(secs "$from") ))
	done <"$TEST_ROOT/plan"
}

# Median (mean of the middle two when even) and nearest-rank p90, by awk.
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
p90() { sort -n | awk '{ v[NR] = $1 } END { r = int(0.9 * NR); if (r < 0.9 * NR) r++; print v[r] }'; }

test_expect_success 'medians and 90th percentiles match an independent computation' '
	build_casebook &&
	irk stats --json >s.json &&
	for m in "detect 3 4" "contain 4 6" "recover 4 7" "acknowledge 4 5"; do
		set -- $m
		want_med=$(durations 2026 $2 $3 | median) &&
		want_p90=$(durations 2026 $2 $3 | p90) &&
		got_med=$(jget "[p for p in d[\"periods\"] if p[\"period\"] == \"2026\" and p[\"kind\"] == \"real\"][0][\"$1\"][\"median_s\"]" <s.json) &&
		got_p90=$(jget "[p for p in d[\"periods\"] if p[\"period\"] == \"2026\" and p[\"kind\"] == \"real\"][0][\"$1\"][\"p90_s\"]" <s.json) &&
		echo "$1: median $got_med want $want_med, p90 $got_p90 want $want_p90" &&
		awk "BEGIN { exit !($got_med == $want_med && $got_p90 == $want_p90) }" || return 1
	done
'

test_expect_success 'drills and false positives are kept apart' '
	build_casebook &&
	irk stats --json >s.json &&
	jget "[(p[\"period\"], p[\"kind\"], p[\"incidents\"], p[\"false_positives\"]) for p in d[\"periods\"]]" <s.json >groups &&
	test "$(cat groups)" = "[('"'"'2025'"'"', '"'"'real'"'"', 1, 0), ('"'"'2026'"'"', '"'"'real'"'"', 5, 1), ('"'"'2026'"'"', '"'"'drill'"'"', 1, 0)]" &&
	jget "[p for p in d[\"periods\"] if p[\"kind\"] == \"drill\"][0][\"contain\"][\"median_s\"]" <s.json >drill &&
	test "$(cat drill)" = "1800.0"
'

test_expect_success 'year over year compares with the same period a year before' '
	build_casebook &&
	irk stats --json >s.json &&
	prev=$(durations 2025 4 6 | median) && now=$(durations 2026 4 6 | median) &&
	want=$(awk "BEGIN { printf \"%.1f\", int(1000 * ($now / $prev - 1) + (($now / $prev - 1) < 0 ? -0.5 : 0.5)) / 10 }") &&
	got=$(jget "[p for p in d[\"periods\"] if p[\"period\"] == \"2026\" and p[\"kind\"] == \"real\"][0][\"yoy\"][\"contain_median_change_pct\"]" <s.json) &&
	echo "got $got want $want" && test "$got" = "$want" &&
	irk stats | grep "vs 2025: +4 incidents"
'

test_expect_success 'periods by month and quarter' '
	build_casebook &&
	irk stats --by quarter --json | jget "sorted(set(p[\"period\"] for p in d[\"periods\"]))" >q &&
	test "$(cat q)" = "['"'"'2025-Q1'"'"', '"'"'2026-Q1'"'"', '"'"'2026-Q2'"'"', '"'"'2026-Q3'"'"']" &&
	irk stats --by month --json | jget "len(d[\"periods\"])" >m &&
	test "$(cat m)" = "7" &&
	test_must_fail 2 irk stats --by week
'

test_expect_success 'action items on time, late and overdue; principles and recurring factors' '
	build_casebook &&
	cat >pm2.txt <<-PM &&
	## Contributing factors
	- Passwords reused across services (entries: 1) (principles: compartmentation)
	- Slow escalation (entries: 2) (principles: opportunity, rigor)
	## Action items
	- Password manager for staff | owner: admin@example.org | due: 2026-03-01
	- Escalation drill | owner: admin@example.org | due: 2026-03-01
	- Rewrite on-call guide | owner: admin@example.org | due: 2026-03-01
	- Later thing | owner: admin@example.org
	PM
	sed "s/Slow escalation/passwords  REUSED across services./" pm2.txt >pm3.txt &&
	irk postmortem 2 edit --file pm2.txt >/dev/null 2>&1 &&
	irk postmortem 3 edit --file pm3.txt >/dev/null 2>&1 &&
	irk postmortem 2 done 1 --at 2026-02-20T00:00:00Z >/dev/null &&
	irk postmortem 2 done 2 --at 2026-03-05T00:00:00Z >/dev/null &&
	irk stats --json >s.json &&
	jget "[p for p in d[\"periods\"] if p[\"period\"] == \"2026\" and p[\"kind\"] == \"real\"][0][\"actions\"]" <s.json >a &&
	cat a && test "$(cat a)" = "{'"'"'due'"'"': 6, '"'"'on_time'"'"': 1, '"'"'late'"'"': 1, '"'"'overdue'"'"': 4, '"'"'open'"'"': 2}" &&
	jget "[p for p in d[\"periods\"] if p[\"period\"] == \"2026\" and p[\"kind\"] == \"real\"][0][\"principles\"]" <s.json >p &&
	cat p && test "$(cat p)" = "{'"'"'compartmentation'"'"': 2, '"'"'opportunity'"'"': 2, '"'"'rigor'"'"': 2}" &&
	jget "[(f[\"text\"], f[\"incidents\"]) for f in d[\"recurring_factors\"]]" <s.json >r &&
	cat r && test "$(cat r)" = "[('"'"'Passwords reused across services'"'"', ['"'"'INC-2026-0002'"'"', '"'"'INC-2026-0003'"'"'])]"
'

test_expect_success 'HTML with SVG charts is well-formed' '
	build_casebook &&
	irk stats --format html -o s.html &&
	check_xml s.html && check_html s.html &&
	test $(grep -c "<svg" s.html) -eq 5 &&
	grep "Time to contain (hours)" s.html
'

test_expect_success 'an empty casebook has no incidents yet' '
	setup_casebook &&
	irk stats >out && grep "no incidents yet" out &&
	irk stats --json | jget "d[\"periods\"]" | grep "^\[\]$"
'

test_done
