#!/bin/sh
# t7100 - irk serve: tasks, messages, evidence downloads, timeline, reports,
# findings and metrics through the API, acting for the member behind the token.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-serve.sh"

if ! command -v curl >/dev/null || ! command -v jq >/dev/null; then
	test_skip 'irk serve handling API' 'curl or jq missing (scripts/bootstrap installs them)'
	test_done
	exit
fi

# entry KIND: the newest log-book entry of that kind in incident 1, as JSON.
entry() { irk show --json 1 | jq -c "[.log[] | select(.kind == \"$1\")] | last"; }

test_expect_success 'tasks: add, acknowledge with an ETA, done; each entry names its member' '
	serve_casebook && irk open "Ransom note on fs1" >/dev/null && serve_start &&
	test "$(api responder POST /api/v1/incidents/1/tasks "{\"title\":\"Pull fs1 off the network\",\"due\":\"30m\"}")" = 201 &&
	test "$(jq -r ".num, .owner_email, .state" body | paste -sd" ")" = "1 responder@example.org open" &&
	test "$(api responder POST /api/v1/incidents/1/tasks/1/ack "{\"eta\":\"15m\",\"text\":\"on it\"}")" = 200 &&
	test "$(jq -r .state body)" = acked && test "$(jq -r .eta body)" != null &&
	test "$(api responder POST /api/v1/incidents/1/tasks/1/done "{}")" = 200 &&
	test "$(jq -r .state body)" = done &&
	serve_stop &&
	test "$(entry task.ack | jq -r ".data.on_behalf_of.email")" = responder@example.org &&
	test "$(entry task.done | jq -r ".data.on_behalf_of.email")" = responder@example.org &&
	irk task list 1 --all | grep "Pull fs1" | grep -i done &&
	irk verify
'

test_expect_success 'tasks: only the owner acknowledges; the library refuses anyone else' '
	serve_casebook && irk open "x" >/dev/null &&
	irk task add 1 "Call the ISP" --owner responder@example.org >/dev/null && serve_start &&
	test "$(api lead POST /api/v1/incidents/1/tasks/1/ack "{\"eta\":\"5m\"}")" = 409 &&
	test "$(err_of)" = state/state && jq -r .error.message body | grep "only its owner" &&
	test "$(api lead POST /api/v1/incidents/1/tasks/1/assign "{\"owner\":\"lead@example.org\"}")" = 200 &&
	test "$(jq -r .owner_email body)" = lead@example.org &&
	test "$(api lead POST /api/v1/incidents/1/tasks/1/ack "{\"eta\":\"5m\"}")" = 200 &&
	test "$(api responder POST /api/v1/incidents/1/tasks "{\"title\":\"Spare\"}")" = 201 &&
	test "$(api responder POST /api/v1/incidents/1/tasks/2/cancel "{\"text\":\"not needed\"}")" = 200 &&
	test "$(jq -r .state body)" = cancelled &&
	serve_stop
'

test_expect_success 'tasks: malformed requests are refused with JSON errors' '
	serve_casebook && irk open "x" >/dev/null &&
	irk task add 1 "Call the ISP" --owner responder@example.org >/dev/null && serve_start &&
	test "$(api responder POST /api/v1/incidents/1/tasks/1/ack "{}")" = 400 && test "$(err_of)" = invalid-input/missing-field &&
	test "$(api responder POST /api/v1/incidents/1/tasks/1/ack "{\"eta\":\"soon\"}")" = 400 &&
	jq -r .error.message body | grep "^eta" &&
	test "$(api responder POST /api/v1/incidents/1/tasks/1/ack "{\"eta\":15}")" = 400 && test "$(err_of)" = invalid-input/bad-field &&
	test "$(api responder POST /api/v1/incidents/1/tasks/x/ack "{\"eta\":\"5m\"}")" = 400 && test "$(err_of)" = invalid-input/bad-path &&
	test "$(api responder POST /api/v1/incidents/1/tasks/99/done "{}")" = 404 && test "$(err_of)" = not-found/not-found &&
	test "$(api responder POST /api/v1/incidents/1/tasks "{\"title\":\"t\",\"due\":\"whenever\"}")" = 400 &&
	test "$(api responder POST /api/v1/incidents/1/tasks "{\"owner\":\"x\"}")" = 400 && test "$(err_of)" = invalid-input/missing-field &&
	test "$(api responder POST /api/v1/incidents/1/tasks "[]")" = 400 && test "$(err_of)" = invalid-input/json &&
	test "$(api viewer POST /api/v1/incidents/1/tasks/1/done "{}")" = 403 && test "$(err_of)" = permission/role &&
	serve_stop &&
	test "$(irk task list 1 --json | jq -r .state)" = open
'

test_expect_success 'messages: draft, read with lint results, the author cannot approve, another member can' '
	serve_casebook && irk open "Phishing" >/dev/null && serve_start &&
	test "$(api responder POST /api/v1/incidents/1/messages "{\"audience\":\"internal\",\"text\":\"We are handling a phishing wave. Do not click links in mail about invoices; report such mail to the security team.\"}")" = 201 &&
	test "$(jq -r .num body)" = 1 && test "$(jq -r .lint.errors body)" = 0 &&
	test "$(api viewer GET /api/v1/messages/1)" = 200 &&
	jq -r .text body | grep "phishing wave" && test "$(jq -r .state body)" = draft &&
	test "$(jq -r ".lint | has(\"findings\")" body)" = true &&
	test "$(api viewer GET /api/v1/messages/1/lint)" = 200 && test "$(jq -r .errors body)" = 0 &&
	test "$(api responder POST /api/v1/messages/1/approve "{}")" = 403 &&
	test "$(err_of)" = permission/permission && jq -r .error.message body | grep "you wrote message 1.*two-person" &&
	test "$(api lead POST /api/v1/messages/1/approve)" = 200 &&
	test "$(jq -r .state body)" = approved &&
	test "$(jq -r .approved_by body)" != null &&
	test "$(api responder POST /api/v1/messages/1/publish "{\"via\":\"webhook\"}")" = 400 && test "$(err_of)" = invalid-input/bad-channel &&
	test "$(api responder POST /api/v1/messages/1/publish "{}")" = 200 &&
	jq -r .text body | grep "phishing wave" && test "$(jq -r .channel body)" = stdout &&
	serve_stop &&
	test "$(entry msg.approve | jq -r ".data.on_behalf_of.email")" = lead@example.org &&
	test "$(entry msg.publish | jq -r ".data.on_behalf_of.email")" = responder@example.org &&
	irk msg show 1 --json | jq -e ".state == \"published\"" &&
	irk verify
'

test_expect_success 'messages: lint errors block approval (422 with the findings); bad drafts are refused' '
	serve_casebook && irk open "x" >/dev/null && serve_start &&
	test "$(api responder POST /api/v1/incidents/1/messages "{\"audience\":\"users\",\"text\":\"Dear [FILL IN: name], we are sorry.\"}")" = 201 &&
	test "$(jq -r ".lint.errors" body)" -ge 1 &&
	jq -r ".lint.findings[].rule" body | grep comms.unfilled &&
	test "$(api lead POST /api/v1/messages/1/approve "{}")" = 422 &&
	test "$(err_of)" = check-failed/check-failed &&
	jq -r ".error.lint.findings[].rule" body | grep comms.unfilled &&
	test "$(api responder POST /api/v1/incidents/1/messages "{\"audience\":\"martians\",\"text\":\"hi\"}")" = 400 && test "$(err_of)" = invalid-input/bad-audience &&
	test "$(api responder POST /api/v1/incidents/1/messages "{\"audience\":\"internal\"}")" = 400 && test "$(err_of)" = invalid-input/missing-field &&
	test "$(api responder POST /api/v1/incidents/1/messages "{\"audience\":\"internal\",\"text\":\"x\",\"template\":\"nope\"}")" = 404 &&
	test "$(api viewer GET /api/v1/messages/9)" = 404 &&
	test "$(api viewer GET /api/v1/messages/M1x)" = 400 && test "$(err_of)" = invalid-input/bad-path &&
	serve_stop &&
	test "$(irk msg list --json | jq -s "map(select(.num)) | length")" = 1
'

test_expect_success 'evidence: metadata, and a download that is re-hashed and recorded as an access' '
	serve_casebook && irk open "x" >/dev/null &&
	printf "Nov 21 sshd: Accepted password for root\n" >auth.log && irk evidence add 1 auth.log >/dev/null &&
	serve_start &&
	test "$(api viewer GET /api/v1/evidence/E1)" = 200 &&
	test "$(jq -r .name body)" = auth.log && test "$(jq -r ".custody | length" body)" -ge 1 &&
	curl -s -D hdr -o got -w "%{http_code}" -H "Authorization: Bearer $(cat token.viewer)" \
		"$BASE/api/v1/evidence/1/download?why=review" >code &&
	test "$(cat code)" = 200 && cmp got auth.log &&
	grep -i "^content-type: application/octet-stream" hdr &&
	grep -i "^content-disposition: attachment; filename=\"E1-auth.log\"" hdr &&
	grep -i "^x-content-type-options: nosniff" hdr &&
	test "$(api viewer GET /api/v1/evidence/E9/download)" = 404 &&
	test "$(api viewer GET /api/v1/evidence/..%2F..%2Fetc%2Fpasswd/download)" != 200 &&
	serve_stop &&
	entry evidence-access >acc &&
	test "$(jq -r .data.on_behalf_of.email acc)" = viewer@example.org &&
	test "$(jq -r .data.sent acc)" = "download over HTTP" && test "$(jq -r .data.why acc)" = review &&
	irk evidence show E1 --json | jq -e "[.custody[] | select(.event == \"access\")] | length == 1" &&
	irk verify
'

test_expect_success 'evidence over the download limit is refused, nothing recorded' '
	serve_casebook && irk open "x" >/dev/null &&
	head -c 67108865 /dev/zero >big.img && irk evidence add -z 1 big.img >/dev/null && rm big.img &&
	serve_start &&
	test "$(api viewer GET /api/v1/evidence/1/download)" = 409 && test "$(err_of)" = state/state &&
	jq -r .error.hint body | grep "irk evidence get" &&
	serve_stop &&
	test "$(entry evidence-access)" = null
'

test_expect_success 'timeline: JSON as irk timeline --json, the SVG chart, pages' '
	serve_casebook && irk open "x" >/dev/null && irk log 1 "called the ISP" >/dev/null && serve_start &&
	test "$(api viewer GET /api/v1/incidents/1/timeline)" = 200 &&
	jq -c ".events[]" body >api.jsonl && irk timeline 1 --json >cli.jsonl && cmp api.jsonl cli.jsonl &&
	test "$(api viewer GET "/api/v1/incidents/1/timeline?kind=note")" = 200 &&
	test "$(jq -r "[.events[].kind] | unique | join(\",\")" body)" = note &&
	curl -s -D hdr -o chart.svg -H "Authorization: Bearer $(cat token.viewer)" "$BASE/api/v1/incidents/1/timeline?format=svg" &&
	grep -i "^content-type: image/svg+xml" hdr && grep "<svg" chart.svg &&
	irk timeline 1 --format svg | cmp - chart.svg &&
	test "$(api viewer GET "/api/v1/incidents/1/timeline?format=pdf")" = 400 && test "$(err_of)" = invalid-input/bad-query &&
	serve_stop
'

test_expect_success 'reports render read-only, in a sandbox; a postmortem report needs a postmortem' '
	serve_casebook && irk open "x" >/dev/null && serve_start &&
	before=$(sqlite3 .irk/irk.db "SELECT count(*) FROM checkpoints") &&
	curl -s -D hdr -o rep.html -H "Authorization: Bearer $(cat token.viewer)" "$BASE/api/v1/incidents/1/report?kind=executive" &&
	grep -i "^content-type: text/html" hdr && grep "irk-record: INC-" rep.html &&
	grep -i "^content-security-policy: sandbox;" hdr && ! grep -i "script-src" hdr &&
	grep -i "^x-frame-options: SAMEORIGIN" hdr &&
	test "$(sqlite3 .irk/irk.db "SELECT count(*) FROM checkpoints")" = "$before" &&
	curl -s -D hdr -o rep.md -H "Authorization: Bearer $(cat token.viewer)" "$BASE/api/v1/incidents/1/report?kind=technical&format=md&download=1" &&
	grep -i "^content-disposition: attachment; filename=\"INC-[0-9]*-0001-technical.md\"" hdr &&
	test "$(api viewer GET "/api/v1/incidents/1/report")" = 404 && jq -r .error.message body | grep "no postmortem" &&
	test "$(api viewer GET "/api/v1/incidents/1/postmortem")" = 404 &&
	test "$(api viewer GET "/api/v1/incidents/1/report?kind=gossip")" = 400 &&
	serve_stop
'

test_expect_success 'the postmortem reads as irk postmortem show --json' '
	serve_casebook && irk open "x" >/dev/null && irk phase 1 contained >/dev/null &&
	cat >pm.md <<-\EOF &&
	## Summary
	A phishing mail led to one stolen password.
	## Contributing factors
	- No second factor on the mail service (principle: fault-tolerance)
	- The mail filter let the lookalike domain through (principle: comprehensivity)
	## Action items
	- Turn on a second factor for mail (owner: lead@example.org, due: 2026-12-01)
	EOF
	irk postmortem 1 edit --file pm.md >/dev/null 2>&1 &&
	irk postmortem 1 show --json >cli.json &&
	serve_start &&
	test "$(api viewer GET /api/v1/incidents/1/postmortem)" = 200 &&
	jq -S . body >api.json && jq -S . cli.json | diff - api.json &&
	test "$(jq -r ".actions | length" body)" = 1 &&
	test "$(api viewer GET "/api/v1/incidents/1/report?kind=postmortem&format=md")" = 200 &&
	serve_stop
'

test_expect_success 'recent findings of open incidents; the metrics page' '
	serve_casebook && irk open "ssh trouble" >/dev/null &&
	printf "%s\n" "Nov 21 10:06:00 web1 useradd[200]: new user: name=backdoor, UID=1001, GID=1001, home=/home/backdoor, shell=/bin/bash, from=/dev/pts/0" \
		"Nov 21 10:06:05 web1 usermod[201]: add '\''backdoor'\'' to group '\''sudo'\''" >auth.log &&
	irk scan --year 2026 --attach 1 auth.log >/dev/null 2>&1 &&
	serve_start &&
	test "$(api viewer GET /api/v1/findings)" = 200 &&
	test "$(jq -r ".findings | length" body)" -ge 1 &&
	jq -r ".findings[].text" body | grep "finding:" &&
	test "$(jq -r ".findings[0].inc" body)" = "$(irk show 1 --json | jq -r .id)" &&
	curl -s -D hdr -o stats.html -H "Authorization: Bearer $(cat token.viewer)" "$BASE/api/v1/stats?format=html&by=year" &&
	grep -i "^content-type: text/html" hdr && grep "<svg" stats.html &&
	test "$(api viewer GET "/api/v1/stats?format=xml")" = 400 &&
	serve_stop
'

login() { # login EMAIL PASSWORD -> status; cookie jar ./jar, body ./body
	curl -s -c jar -b jar -o body -w "%{http_code}" -X POST -H "Content-Type: application/json" \
		--data-binary "{\"email\":\"$1\",\"password\":\"$2\"}" "$BASE/api/v1/login"
}

test_expect_success 'browser-session writes to the new endpoints need the CSRF header' '
	serve_casebook && irk open "x" >/dev/null &&
	irk task add 1 "Call the ISP" --owner responder@example.org >/dev/null && serve_start &&
	test "$(login responder@example.org pw-responder-secret)" = 200 && csrf=$(jq -r .csrf body) &&
	for p in incidents/1/tasks incidents/1/tasks/1/ack incidents/1/tasks/1/done incidents/1/messages messages/1/approve messages/1/publish; do
		test "$(curl -s -b jar -o body -w "%{http_code}" -X POST --data-binary "{\"eta\":\"5m\"}" "$BASE/api/v1/$p")" = 403 || exit 1
		test "$(err_of)" = permission/csrf || exit 1
	done &&
	test "$(curl -s -b jar -o body -w "%{http_code}" -X POST -H "X-CSRF-Token: $csrf" --data-binary "{\"eta\":\"5m\"}" "$BASE/api/v1/incidents/1/tasks/1/ack")" = 200 &&
	serve_stop &&
	test "$(irk task list 1 --json | jq -r .state)" = acked
'

serve_done
