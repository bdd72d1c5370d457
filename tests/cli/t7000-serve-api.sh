#!/bin/sh
# t7000 - irk serve: the API with tokens (incidents, entries, members, headers, logs).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-serve.sh"

if ! command -v curl >/dev/null || ! command -v jq >/dev/null; then
	test_skip 'irk serve API' 'curl or jq missing (scripts/bootstrap installs them)'
	test_done
	exit
fi

test_expect_success 'the server refuses a key that is not a member' '
	setup_casebook &&
	IRK_KEY=$PWD/stranger.key irk id --name S --email s@example.org >/dev/null &&
	test_must_fail 5 irk serve --listen 127.0.0.1:0 --key "$PWD/stranger.key" &&
	grep "not a member" err && grep "irk member add" err
'

test_expect_success 'the server refuses a member key not marked as a team server' '
	setup_casebook &&
	IRK_KEY=$PWD/plain.key irk id --name P --email p@example.org >/dev/null &&
	irk member add --key "$(IRK_KEY=$PWD/plain.key irk id | sed -n "s/^key: *//p")" --role lead &&
	test_must_fail 5 irk serve --listen 127.0.0.1:0 --key "$PWD/plain.key" &&
	grep "not marked as a team server" err && grep -- "--server" err &&
	irk member add --key "$(IRK_KEY=$PWD/plain.key irk id | sed -n "s/^key: *//p")" --role lead --server >out &&
	grep "a team server" out &&
	irk member list --json | jq -e "select(.email == \"p@example.org\") | .server" &&
	irk member list | grep "p@example.org.*(server)"
'

test_expect_success 'a bad --listen is a usage error' '
	setup_casebook &&
	test_must_fail 2 irk serve --listen nowhere --key "$HOME/.config/irk/identity" &&
	grep "listening address" err
'

test_expect_success 'open, list, get, write and read entries through the API' '
	serve_casebook && serve_start &&
	test "$(api responder POST /api/v1/incidents "{\"title\":\"Web shell on www1\",\"severity\":\"high\"}")" = 201 &&
	test "$(jq -r .id body)" = INC-$(date -u +%Y)-0001 &&
	test "$(api viewer GET /api/v1/incidents)" = 200 &&
	test "$(jq -r ".incidents[0].severity" body)" = high &&
	test "$(api viewer GET /api/v1/incidents/1)" = 200 &&
	test "$(jq -r .title body)" = "Web shell on www1" &&
	test "$(api responder POST /api/v1/incidents/1/entries "{\"text\":\"isolated www1\",\"kind\":\"action\"}")" = 201 &&
	test "$(jq -r .seq body)" = 2 &&
	test "$(api viewer GET "/api/v1/incidents/1/entries?after=1")" = 200 &&
	test "$(jq -r ".entries | length" body)" = 1 &&
	test "$(jq -r ".entries[0].text" body)" = "isolated www1" &&
	test "$(jq -r ".entries[0].data.on_behalf_of.email" body)" = responder@example.org &&
	test "$(jq -r ".entries[0].author" body)" = responder@example.org &&
	test "$(jq -r ".entries[0].via" body)" = server@example.org &&
	serve_stop &&
	irk show 1 | grep "isolated www1"
'

test_expect_success 'phase and close name the member they were done for' '
	serve_casebook && irk open "x" >/dev/null && serve_start &&
	test "$(api lead POST /api/v1/incidents/1/phase "{\"phase\":\"contained\"}")" = 200 &&
	test "$(jq -r .phase body)" = contained &&
	test "$(api lead POST /api/v1/incidents/1/close "{\"resolution\":\"resolved\"}")" = 200 &&
	test "$(jq -r .phase body)" = closed &&
	test "$(api lead GET /api/v1/incidents/1/entries)" = 200 &&
	test "$(jq -r "[.entries[] | select(.kind==\"phase\" or .kind==\"close\") | .data.on_behalf_of.email] | unique | .[]" body)" = lead@example.org &&
	test "$(api lead POST /api/v1/incidents/1/phase "{\"phase\":\"triage\"}")" = 409 &&
	test "$(err_of)" = state/state &&
	serve_stop
'

test_expect_success 'library errors come back as JSON with stable codes' '
	serve_casebook && irk open "x" >/dev/null && serve_start &&
	test "$(api viewer GET /api/v1/incidents/99)" = 404 && test "$(err_of)" = not-found/not-found &&
	test "$(api responder POST /api/v1/incidents/1/entries "{\"text\":\"x\",\"kind\":\"shout\"}")" = 400 &&
	test "$(err_of)" = invalid-input/bad-kind &&
	test "$(api responder POST /api/v1/incidents/1/entries "{\"text\":\"\"}")" = 400 &&
	test "$(api responder POST /api/v1/incidents/1/entries "{}")" = 400 &&
	test "$(err_of)" = invalid-input/missing-field &&
	test "$(api responder POST /api/v1/incidents/1/entries "{\"text\":5}")" = 400 &&
	test "$(err_of)" = invalid-input/bad-field &&
	test "$(api lead POST /api/v1/incidents/1/phase "{\"phase\":\"closed\"}")" = 400 &&
	test "$(api viewer GET /api/v1/nothing)" = 404 && test "$(err_of)" = not-found/no-such-path &&
	test "$(api viewer DELETE /api/v1/incidents)" = 405 && test "$(err_of)" = usage/method &&
	serve_stop
'

test_expect_success 'members are listed; admins add members (signed by the server)' '
	serve_casebook && serve_start &&
	test "$(api viewer GET /api/v1/members)" = 200 &&
	test "$(jq -r ".members | length" body)" = 5 &&
	IRK_KEY=$PWD/new.key irk id --name New --email new@example.org >/dev/null &&
	test "$(api admin POST /api/v1/members "{\"key\":\"$(member_key "$PWD/new.key")\",\"role\":\"viewer\"}")" = 201 &&
	test "$(jq -r .role body)" = viewer &&
	serve_stop &&
	irk member list | grep new@example.org
'

test_expect_success 'security headers on pages and API; no caching of the API' '
	serve_casebook && serve_start &&
	curl -s -D h1 -o /dev/null "$BASE/" &&
	grep -i "^content-security-policy: .*script-src .self.;" h1 &&
	! grep -i "unsafe-inline" h1 &&
	grep -i "^x-frame-options: DENY" h1 &&
	grep -i "^referrer-policy: no-referrer" h1 &&
	grep -i "^x-content-type-options: nosniff" h1 &&
	curl -s -D h2 -o /dev/null -H "Authorization: Bearer $(cat token.viewer)" "$BASE/api/v1/incidents" &&
	grep -i "^cache-control: no-store" h2 &&
	grep -i "^content-type: application/json" h2 &&
	serve_stop
'

test_expect_success 'the access log is JSON Lines naming the member; views are recorded' '
	serve_casebook && irk open "x" >/dev/null && serve_start &&
	api viewer GET /api/v1/incidents/1 >/dev/null &&
	api viewer GET /api/v1/incidents/1/entries >/dev/null &&
	test "$(api viewer GET /api/v1/incidents/1/views)" = 403 &&
	test "$(api lead GET /api/v1/incidents/1/views)" = 200 &&
	test "$(jq -r "[.views[] | select(.email==\"viewer@example.org\") | .what] | sort | join(\",\")" body)" = entries,incident &&
	serve_stop &&
	jq -e . access.log >/dev/null &&
	jq -r "select(.path==\"/api/v1/incidents/1\") | .member + \" \" + (.status|tostring)" access.log | grep "viewer@example.org 200"
'

test_expect_success 'capabilities list every route with its role' '
	serve_casebook && serve_start &&
	curl -s "$BASE/api/v1/capabilities" >caps &&
	jq -e ".endpoints[] | select(.path==\"/api/v1/incidents/{id}/entries\" and .method==\"POST\" and .role==\"responder\")" caps &&
	serve_stop
'

test_expect_success 'tasks, evidence, messages, due and stats read what the commands read' '
	serve_casebook && irk open "x" >/dev/null &&
	irk task add 1 "Reset the VPN passwords" --owner responder@example.org --due 30m >/dev/null &&
	printf "log line\n" >auth.log && irk evidence add 1 auth.log >/dev/null &&
	serve_start &&
	test "$(api viewer GET /api/v1/incidents/1/tasks)" = 200 &&
	test "$(jq -r ".tasks[0].title" body)" = "Reset the VPN passwords" &&
	test "$(jq -r ".tasks[0].owner_email" body)" = responder@example.org &&
	test "$(api viewer GET /api/v1/incidents/1/evidence)" = 200 &&
	test "$(jq -r ".evidence | length" body)" = 1 &&
	test "$(api viewer GET /api/v1/incidents/1/messages)" = 200 &&
	test "$(jq -r ".messages | length" body)" = 0 &&
	test "$(api viewer GET /api/v1/due)" = 200 &&
	jq -e ".due | map(.what) | any(test(\"VPN\"))" body &&
	test "$(api viewer GET "/api/v1/stats?by=quarter")" = 200 &&
	jq -e "type == \"object\"" body &&
	test "$(api viewer GET "/api/v1/stats?by=week")" = 400 &&
	serve_stop
'

test_expect_success 'verify over the API agrees with irk verify' '
	serve_casebook && irk open "x" >/dev/null && serve_start &&
	api responder POST /api/v1/incidents/1/entries "{\"text\":\"one\"}" >/dev/null &&
	test "$(api viewer GET /api/v1/verify)" = 200 &&
	test "$(jq -r .ok body)" = true &&
	test "$(jq -r .entries body)" -ge 8 &&
	serve_stop &&
	irk verify
'

if command -v openssl >/dev/null; then
test_expect_success 'HTTPS with --tls-cert/--tls-key: Secure cookies and HSTS' '
	serve_casebook &&
	openssl req -x509 -newkey rsa:2048 -nodes -keyout tls.key -out tls.crt -days 1 \
		-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null &&
	serve_start --tls-cert tls.crt --tls-key tls.key &&
	curl -s --cacert tls.crt -D hdr -o body -X POST \
		--data-binary "{\"email\":\"lead@example.org\",\"password\":\"pw-lead-secret\"}" \
		"https://127.0.0.1:$PORT/api/v1/login" &&
	test "$(jq -r .role body)" = lead &&
	grep -i "^set-cookie: irk_session=.*; Secure" hdr &&
	grep -i "^strict-transport-security: max-age=" hdr &&
	! curl -s -m 5 -o /dev/null "http://127.0.0.1:$PORT/api/v1/capabilities" 2>/dev/null ||
		! curl -s -m 5 "http://127.0.0.1:$PORT/api/v1/capabilities" | grep -q endpoints &&
	serve_stop
'
else
	test_skip 'HTTPS' 'openssl missing'
fi

test_expect_success 'SIGTERM stops the server cleanly' '
	serve_casebook && serve_start && pid=$(cat serve.pid) &&
	serve_stop &&
	cat serve.err && grep "stopped" serve.err &&
	! kill -0 $pid 2>/dev/null
'

serve_done
