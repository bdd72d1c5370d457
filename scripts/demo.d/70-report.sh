# 70-report.sh - after the incident: timeline, postmortem, report, metrics.
say "After the incident: the chronology, a blameless postmortem, a report, metrics"

# The earlier steps leave incident 1 behind; make one when run on its own.
if ! irk show 1 >/dev/null 2>&1; then
	irk id >/dev/null 2>&1 || irk id --name "Demo Lead" --email lead@example.org >/dev/null
	[ -d .irk ] || irk init >/dev/null
	irk open "Web server defaced" --category web-compromise --severity high \
		--occurred "$(date -u -d '-5 hours' +%Y-%m-%dT%H:%M:00Z)" \
		--detected "$(date -u -d '-3 hours' +%Y-%m-%dT%H:%M:00Z)" >/dev/null
	irk log 1 "visitor reported the defaced front page" --kind call --with "a visitor" \
		--at "$(date -u -d '-3 hours' +%Y-%m-%dT%H:%M:00Z)" >/dev/null
	irk phase 1 contained --at "$(date -u -d '-2 hours' +%Y-%m-%dT%H:%M:00Z)" >/dev/null
fi

say "The timeline: in the order things happened; '!' marks entries written up late"
run timeline 1

say "A postmortem written in a file (several factors, each tied to entries and principles)"
me=$(irk member list --json | head -n 1 | sed 's/.*"email":"\([^"]*\)".*/\1/')
cat >postmortem.txt <<PM
## Summary
The public web server was defaced through an outdated content-management plugin.
## Impact
systems: www
data: none known
people: visitors for about two hours
## Detection
A visitor called; no monitoring had noticed.
## Response
Site taken offline, restored from the last backup, plugin updated.
## Contributing factors
- Plugin updates were applied by hand and had fallen behind (entries: 2) (principles: rigor)
- The admin interface was reachable from the whole internet (entries: 2, 3) (principles: minimization, compartmentation)
- No alert on changes to the published pages (entries: 2) (principles: opportunity)
## What went well
The backup restored cleanly.
## Lessons
Changes to public pages must raise an alert.
## Action items
- Turn on automatic plugin updates | owner: $me | due: $(date -u -d '+14 days' +%Y-%m-%d)
- Alert on changes to the web root | owner: $me | due: $(date -u -d '+30 days' +%Y-%m-%d)
## Cost
rate: 90
currency: EUR
other: 400 forensic copy of the disk
## Recommendations for users
Nothing to do: no accounts were affected.
## Recommendations for other projects
Put admin interfaces behind a VPN.
PM
run postmortem 1 edit --file postmortem.txt
run postmortem 1 check

say "A report as HTML, with the chart and a footer tied to the log book"
run report 1 --kind postmortem --format html -o report.html
run report --check report.html
echo "(open $PWD/report.html in a browser)"

say "Metrics: times to detect, contain and recover; drills counted apart"
run stats
