#!/bin/sh
# t7001 - irk serve: roles on every endpoint, sessions, CSRF, tokens, limits.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-serve.sh"

if ! command -v curl >/dev/null || ! command -v jq >/dev/null; then
	test_skip 'irk serve authentication' 'curl or jq missing (scripts/bootstrap installs them)'
	test_done
	exit
fi

# rank ROLE: viewer 1 ... admin 4, anyone 0
rank() { case $1 in viewer) echo 1 ;; responder) echo 2 ;; lead) echo 3 ;; admin) echo 4 ;; *) echo 0 ;; esac; }

test_expect_success 'authorisation matrix: each role can use what it should and nothing more' '
	serve_casebook && irk open "matrix" >/dev/null &&
	irk task add 1 "Check the proxy logs" --owner responder@example.org >/dev/null &&
	echo "proxy log" >proxy.log && irk evidence add 1 proxy.log >/dev/null &&
	echo "We are looking into slow logins." | irk msg draft 1 --audience internal --file - >/dev/null &&
	serve_start &&
	curl -s "$BASE/api/v1/capabilities" | jq -r ".endpoints[] | .method + \" \" + .path + \" \" + .role" >routes &&
	test $(wc -l <routes) -ge 35 &&
	while read method path least; do
		p=$(echo "$path" | sed "s/{id}/1/g; s/{num}/1/g")
		for role in anonymous viewer responder lead admin; do
			auth="Authorization: Bearer $(cat token.$role 2>/dev/null)"
			[ $role = anonymous ] && auth="X-None: 1"
			if [ $method = GET ]; then
				got=$(curl -s -m 2 -o body -w "%{http_code}" -H "$auth" "$BASE$p")
			else
				got=$(curl -s -m 2 -o body -w "%{http_code}" -X $method -H "$auth" --data-binary "{}" "$BASE$p")
			fi
			if [ $(rank $role) -ge $(rank $least) ]; then
				# The casebook may still refuse (permission/permission: not the
				# task'"'"'s owner, the message'"'"'s author); the router must not.
				case $got/$(err_of 2>/dev/null) in 401/*|403/permission/role|403/permission/csrf)
					echo "FAIL: $role was refused $method $path ($got)"; exit 1 ;; esac
			elif [ $role = anonymous ]; then
				[ "$got" = 401 ] || { echo "FAIL: anonymous got $got for $method $path"; exit 1; }
				[ "$(err_of)" = key/unauthenticated ] || exit 1
			else
				[ "$got" = 403 ] || { echo "FAIL: $role got $got for $method $path (needs $least)"; exit 1; }
				[ "$(err_of)" = permission/role ] || exit 1
			fi
			echo "$method $path $role $got" >>matrix
		done
	done <routes &&
	test $(wc -l <matrix) -eq $(( $(wc -l <routes) * 5 )) &&
	grep "POST /api/v1/incidents/{id}/entries viewer 403" matrix &&
	grep "POST /api/v1/incidents/{id}/phase responder 403" matrix &&
	grep "POST /api/v1/members lead 403" matrix &&
	grep "POST /api/v1/incidents/{id}/tasks/{num}/ack viewer 403" matrix &&
	grep "POST /api/v1/messages/{num}/approve responder 200" matrix &&
	grep "GET /api/v1/evidence/{num}/download viewer 200" matrix &&
	grep "GET /api/v1/messages/{num} anonymous 401" matrix &&
	serve_stop &&
	irk verify
'

login() { # login EMAIL PASSWORD -> status; cookie jar ./jar, body ./body
	curl -s -c jar -b jar -o body -w "%{http_code}" -X POST -H "Content-Type: application/json" \
		--data-binary "{\"email\":\"$1\",\"password\":\"$2\"}" "$BASE/api/v1/login"
}

test_expect_success 'log in with a password: an HttpOnly SameSite=Strict cookie' '
	serve_casebook && serve_start &&
	curl -s -D hdr -c jar -o body -X POST --data-binary "{\"email\":\"lead@example.org\",\"password\":\"pw-lead-secret\"}" "$BASE/api/v1/login" &&
	grep -i "^set-cookie: irk_session=[0-9a-f]\{64\}; Path=/; HttpOnly; SameSite=Strict" hdr &&
	! grep -i "secure" hdr &&
	test "$(jq -r .role body)" = lead &&
	curl -s -b jar "$BASE/api/v1/whoami" >who &&
	test "$(jq -r .email who)" = lead@example.org &&
	test "$(jq -r .csrf who)" = "$(jq -r .csrf body)" &&
	serve_stop
'

test_expect_success 'a wrong password is refused, the same way as an unknown member' '
	serve_casebook && serve_start &&
	test "$(login lead@example.org wrong-password)" = 401 && test "$(err_of)" = key/bad-login &&
	m1=$(jq -r .error.message body) &&
	test "$(login nobody@example.org wrong-password)" = 401 &&
	test "$(jq -r .error.message body)" = "$m1" &&
	serve_stop
'

test_expect_success 'writes from a session need the CSRF header' '
	serve_casebook && irk open "x" >/dev/null && serve_start &&
	test "$(login responder@example.org pw-responder-secret)" = 200 &&
	csrf=$(jq -r .csrf body) &&
	test "$(curl -s -b jar -o body -w "%{http_code}" -X POST --data-binary "{\"text\":\"no token\"}" "$BASE/api/v1/incidents/1/entries")" = 403 &&
	test "$(err_of)" = permission/csrf &&
	test "$(curl -s -b jar -o body -w "%{http_code}" -X POST -H "X-CSRF-Token: $(echo $csrf | tr 0-9a-f a-f0-9)" --data-binary "{\"text\":\"bad token\"}" "$BASE/api/v1/incidents/1/entries")" = 403 &&
	test "$(curl -s -b jar -o body -w "%{http_code}" -X POST -H "X-CSRF-Token: $csrf" --data-binary "{\"text\":\"with token\"}" "$BASE/api/v1/incidents/1/entries")" = 201 &&
	test "$(curl -s -b jar -o body -w "%{http_code}" "$BASE/api/v1/incidents/1/entries")" = 200 &&
	test "$(jq -r "[.entries[].text] | join(\",\")" body)" = "opened: x,with token" &&
	test "$(jq -r ".entries[1].data.on_behalf_of.auth" body)" = session &&
	serve_stop
'

test_expect_success 'logout ends the session' '
	serve_casebook && serve_start &&
	login viewer@example.org pw-viewer-secret >/dev/null && csrf=$(jq -r .csrf body) &&
	cp jar jar.old &&
	test "$(curl -s -b jar -c jar -o body -w "%{http_code}" -X POST -H "X-CSRF-Token: $csrf" "$BASE/api/v1/logout")" = 200 &&
	test "$(curl -s -b jar.old -o body -w "%{http_code}" "$BASE/api/v1/whoami")" = 401 &&
	test "$(err_of)" = key/bad-session &&
	serve_stop
'

test_expect_success 'an expired session is refused' '
	serve_casebook && serve_start --session-seconds 1 &&
	test "$(login viewer@example.org pw-viewer-secret)" = 200 &&
	cookie=$(awk "\$6 == \"irk_session\" { print \$7 }" jar) && test -n "$cookie" &&
	sleep 2 &&
	test "$(curl -s -H "Cookie: irk_session=$cookie" -o body -w "%{http_code}" "$BASE/api/v1/whoami")" = 401 &&
	test "$(err_of)" = key/session-expired &&
	serve_stop
'

test_expect_success 'a revoked token is refused; unknown and malformed ones too' '
	serve_casebook && serve_start &&
	test "$(api viewer GET /api/v1/whoami)" = 200 &&
	id=$(cut -d_ -f2 token.viewer) &&
	irk token list | grep "$id" &&
	irk token revoke "$id" &&
	irk token list --json >tokens &&
	test "$(jq -r "select(.id==\"$id\") | .revoked | type" tokens)" = string &&
	test "$(api viewer GET /api/v1/whoami)" = 401 && test "$(err_of)" = key/token-revoked &&
	echo "irk_${id}_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" >token.forged &&
	test "$(api forged GET /api/v1/whoami)" = 401 && test "$(err_of)" = key/bad-token &&
	echo "garbage" >token.junk &&
	test "$(api junk GET /api/v1/whoami)" = 401 &&
	test "$(curl -s -o body -w "%{http_code}" -H "Authorization: Basic eDp5" "$BASE/api/v1/whoami")" = 401 &&
	test "$(err_of)" = key/bad-authorization &&
	serve_stop
'

test_expect_success 'tokens are stored hashed and only their owner or an admin manages them' '
	serve_casebook &&
	t=$(cat token.lead) && secret=${t#irk_*_} &&
	! sqlite3 .irk/irk.db .dump | grep -F "$secret" &&
	! grep -rF "$secret" .irk &&
	IRK_KEY=$PWD/viewer.key test_must_fail 9 irk token create --member lead@example.org &&
	IRK_KEY=$PWD/viewer.key irk token create >/dev/null 2>&1 &&
	IRK_KEY=$PWD/viewer.key test_must_fail 9 irk token revoke "$(cut -d_ -f2 token.lead)"
'

test_expect_success 'passwords: Argon2id hash outside the log book, length checked, self or admin' '
	serve_casebook &&
	test "$(sqlite3 .irk/irk.db "SELECT count(*) FROM http_passwords WHERE hash LIKE \"\$argon2id\$%\"")" = 4 &&
	! sqlite3 .irk/irk.db "SELECT body FROM entries" | grep -i "argon2\|pw-lead-secret" &&
	! grep -ra "pw-lead-secret" .irk &&
	echo short | test_must_fail 4 irk member passwd && grep "shorter than" err &&
	echo "another-long-one" | IRK_KEY=$PWD/viewer.key test_must_fail 9 irk member passwd lead@example.org &&
	echo "another-long-one" | IRK_KEY=$PWD/viewer.key irk member passwd
'

test_expect_success 'failed logins are rate limited (429) per address and account' '
	serve_casebook && serve_start &&
	for i in 1 2 3 4 5; do test "$(login lead@example.org nope-nope-nope)" = 401 || exit 1; done &&
	test "$(login lead@example.org pw-lead-secret)" = 429 && test "$(err_of)" = busy/rate-limited &&
	curl -s -D hdr -o /dev/null -X POST --data-binary "{\"email\":\"lead@example.org\",\"password\":\"x\"}" "$BASE/api/v1/login" &&
	grep -i "^retry-after: 60" hdr &&
	serve_stop
'

test_expect_success 'oversized and malformed requests are refused with JSON errors' '
	serve_casebook && irk open "x" >/dev/null && serve_start &&
	head -c 300000 /dev/zero | tr "\0" a >big &&
	test "$(curl -s -o body -w "%{http_code}" -X POST -H "Authorization: Bearer $(cat token.responder)" --data-binary @big "$BASE/api/v1/incidents/1/entries")" = 413 &&
	test "$(err_of)" = invalid-input/too-large &&
	test "$(curl -s -o body -w "%{http_code}" -X POST -H "Authorization: Bearer $(cat token.responder)" -H "Transfer-Encoding: chunked" --data-binary @big "$BASE/api/v1/incidents/1/entries")" = 413 &&
	test "$(api responder POST /api/v1/incidents/1/entries "{\"text\":")" = 400 && test "$(err_of)" = invalid-input/json &&
	test "$(api responder POST /api/v1/incidents/1/entries "[1,2]")" = 400 && test "$(err_of)" = invalid-input/json &&
	printf "{\"text\":\"\\377\"}" >bad8 &&
	test "$(curl -s -o body -w "%{http_code}" -X POST -H "Authorization: Bearer $(cat token.responder)" --data-binary @bad8 "$BASE/api/v1/incidents/1/entries")" = 400 &&
	test "$(api responder POST /api/v1/incidents/1/entries "{\"text\":\"a\",\"text\":\"b\"}")" = 400 &&
	test "$(api responder GET "/api/v1/incidents/1/entries?after=x")" = 400 &&
	head -c 20000 /dev/zero | tr "\0" b >longhdr &&
	code=$(curl -s -o body -w "%{http_code}" -H "X-Long: $(cat longhdr)" -H "Authorization: Bearer $(cat token.viewer)" "$BASE/api/v1/whoami") &&
	test "$code" = 431 -o "$code" = 413 -o "$code" = 400 &&
	test "$(api viewer GET /api/v1/whoami)" = 200 &&
	serve_stop &&
	irk verify
'

serve_done
