#!/bin/sh
# t7003 - irk serve under a write load: SIGTERM loses no acknowledged write,
# and after kill -9 the casebook verifies and the server starts again.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-serve.sh"

if ! command -v curl >/dev/null || ! command -v jq >/dev/null || ! command -v sqlite3 >/dev/null; then
	test_skip 'irk serve under load' 'curl, jq or sqlite3 missing (scripts/bootstrap installs them)'
	serve_done
	exit
fi

# writers N: N background loops posting entries; each acknowledged seq goes
# into acked.<n>.  They stop when the server is gone.
writers() {
	for w in $(seq 1 "$1"); do
		(
			i=0
			while [ $i -lt 400 ]; do
				i=$((i + 1))
				code=$(curl -s -m 10 -o out.$w -w "%{http_code}" -X POST \
					-H "Authorization: Bearer $(cat token.responder)" \
					--data-binary "{\"text\":\"writer $w entry $i\"}" \
					"$BASE/api/v1/incidents/1/entries") || break
				[ "$code" = 201 ] || break
				jq -r .seq out.$w >>acked.$w
			done
		) &
	done
}

# Every acknowledged seq is in the log book with the text that was sent.
all_acked_present() {
	cat acked.* | sort -n >acked
	test -s acked &&
	sqlite3 .irk/irk.db "SELECT seq FROM entries WHERE chain = (SELECT id FROM incidents)" | sort -n >stored &&
	test -z "$(comm -23 acked stored)"
}

test_expect_success 'SIGTERM during a write load: every acknowledged write is kept' '
	serve_casebook && irk open "load" >/dev/null && serve_start &&
	writers 4 &&
	while [ "$(cat acked.* 2>/dev/null | wc -l)" -lt 20 ]; do sleep 0.1; done &&
	kill -TERM "$(cat serve.pid)" &&
	wait "$(cat serve.pid)"; status=$? &&
	wait &&
	test $status -eq 0 &&
	grep "stopped" serve.err &&
	all_acked_present &&
	irk verify
'

test_expect_success 'kill -9 during a write load: the casebook verifies and serving resumes' '
	serve_casebook && irk open "load" >/dev/null && serve_start &&
	writers 4 &&
	while [ "$(cat acked.* 2>/dev/null | wc -l)" -lt 20 ]; do sleep 0.1; done &&
	kill -9 "$(cat serve.pid)" &&
	{ wait "$(cat serve.pid)"; wait; true; } &&
	all_acked_present &&
	irk verify &&
	serve_start &&
	test "$(api responder POST /api/v1/incidents/1/entries "{\"text\":\"after the crash\"}")" = 201 &&
	serve_stop &&
	irk verify
'

serve_done
