#!/bin/sh
# t7200 - irk serve: a long read (verify, an evidence download) holds up no
# other request, and a verify beside writes still sees one moment.
#
# No timing: a download is held inside the server by a lease on its object
# file (the server's open(2) waits until the test lets it go), a slow client
# by curl --limit-rate, and a verify is shown to overlap the writes by what
# it counted (the writes it did not see were answered before it was).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-serve.sh"

for tool in curl jq python3 sqlite3; do
	if ! command -v $tool >/dev/null; then
		test_skip 'irk serve concurrency' "$tool missing (scripts/bootstrap installs it)"
		test_done
		exit
	fi
done

# hold_open FILE: take a write lease on FILE (fcntl(2) F_SETLEASE), so that
# the next open(2) of it by another process waits.  Touches ./leased once
# held, ./opening when an open is waiting, and gives the lease up when
# ./release appears (or after 60 s, so that nothing is left behind).
hold_open() {
	python3 -c '
import fcntl, os, signal, sys, time
signal.signal(signal.SIGIO, lambda *_: open("opening", "w").close())
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_WRLCK)
open("leased", "w").close()
end = time.time() + 60
while not os.path.exists("release") and time.time() < end:
    time.sleep(0.02)
os.close(fd)
' "$1" 2>lease.err &
}

# wait_for FILE: until FILE is there (at most 30 s).  curl -o creates its
# file at the first byte of the body.
wait_for() {
	n=0
	while [ ! -e "$1" ] && [ $n -lt 300 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	[ -e "$1" ]
}

# Can this file system lease files?  (Not every one can: NFS, some overlays.)
mkdir -p "$TEST_ROOT/probe" && echo x >"$TEST_ROOT/probe/f"
if (cd "$TEST_ROOT/probe" && hold_open f && wait_for leased && touch release && wait); then
	can_lease=1
else
	can_lease=
fi

# Requests that must be answered while the long one is in progress: without
# the fix they would wait for it; --max-time turns that into a failure.
write_curlrc() { echo "max-time = 20" >"$HOME/.curlrc"; }

err_of_file() { jq -r '.error.code + "/" + .error.reason' "$1"; }

# held_download ROLE QUERY: start ROLE's download of E1 (the only object)
# and return once the server waits to open its file; $dl is curl's pid, its
# status goes to ./download.status and the content to ./got.
held_download() {
	hold_open "$(find .irk/objects -type f)" && wait_for leased &&
	{ curl -s -o got -w '%{http_code}' -H "Authorization: Bearer $(cat token.$1)" \
		"$BASE/api/v1/evidence/1/download$2" >download.status & } &&
	dl=$! && wait_for opening
}

if [ -n "$can_lease" ]; then
test_expect_success 'while the server reads an evidence item, other requests are answered' '
	serve_casebook && irk open "Web shell on www1" >/dev/null && write_curlrc &&
	head -c 300000 /dev/urandom >disk.img && irk evidence add 1 disk.img --why "image" >/dev/null &&
	serve_start && held_download viewer "?why=triage" &&
	# The download is inside the server now, waiting to open the object file.
	{
		test "$(api viewer GET /api/v1/incidents)" = 200 &&
		test "$(jq -r ".incidents[0].title" body)" = "Web shell on www1" &&
		test "$(api responder POST /api/v1/incidents/1/tasks "{\"title\":\"image www1\"}")" = 201 &&
		test "$(api viewer GET /api/v1/incidents/1/tasks)" = 200 &&
		jq -e ".tasks[] | select(.title == \"image www1\")" body >/dev/null &&
		test "$(api viewer GET /api/v1/evidence/1)" = 200 &&
		test ! -s download.status && kill -0 $dl
	}; answered=$? &&
	echo "the other requests were answered during the download: $answered (0: yes)" &&
	touch release && wait $dl && test $answered = 0 &&
	test "$(cat download.status)" = 200 && cmp got disk.img &&
	test "$(api viewer GET /api/v1/incidents/1/entries)" = 200 &&
	jq -e ".entries[] | select(.kind == \"evidence-access\") |
		select(.data.on_behalf_of.email == \"viewer@example.org\" and .data.why == \"triage\")" \
		body >/dev/null &&
	serve_stop && irk verify
'

test_expect_success 'a token revoked while the server reads the item: refused, no access recorded' '
	serve_casebook && irk open "Web shell on www1" >/dev/null && write_curlrc &&
	echo "GET /shell.php?cmd=id" >www1.log && irk evidence add 1 www1.log >/dev/null &&
	serve_start && held_download viewer "" &&
	irk token revoke "$(cut -c5-12 token.viewer)" >/dev/null &&
	touch release && wait $dl &&
	test "$(cat download.status)" = 401 && test "$(err_of_file got)" = key/token-revoked &&
	test "$(api responder GET /api/v1/incidents/1/entries)" = 200 &&
	test "$(jq "[.entries[] | select(.kind == \"evidence-access\")] | length" body)" = 0 &&
	serve_stop && irk verify
'
else
	test_skip 'while the server reads an evidence item, other requests are answered' \
		'this file system cannot lease files (fcntl F_SETLEASE)'
	test_skip 'a token revoked while the server reads the item: refused, no access recorded' \
		'this file system cannot lease files (fcntl F_SETLEASE)'
fi

test_expect_success 'a slow client of a download holds up no one' '
	serve_casebook && irk open "Memory dump" >/dev/null &&
	head -c 16777216 /dev/urandom >memory.raw && irk evidence add 1 memory.raw >/dev/null &&
	serve_start &&
	{ curl -s --limit-rate 32k -o partial -H "Authorization: Bearer $(cat token.viewer)" \
		"$BASE/api/v1/evidence/1/download" & } && dl=$! &&
	wait_for partial && write_curlrc &&
	{
		test "$(api viewer GET /api/v1/incidents)" = 200 &&
		test "$(api responder POST /api/v1/incidents/1/tasks "{\"title\":\"hash it\"}")" = 201 &&
		test "$(api viewer GET /api/v1/verify)" = 200 && jq -e ".ok == true" body >/dev/null &&
		kill -0 $dl && test "$(wc -c <partial)" -lt 16777216
	}; answered=$? &&
	kill $dl && wait $dl 2>/dev/null; test $answered = 0 &&
	serve_stop
'

test_expect_success 'verify beside task writes: they are answered meanwhile, and no false alarm' '
	serve_casebook && irk open "Phishing wave" >/dev/null && write_curlrc &&
	mkdir mails && i=0 &&
	while [ $i -lt 1500 ]; do i=$((i + 1)); echo "mail $i" >mails/$i.eml; done &&
	irk evidence add 1 mails --recursive >/dev/null &&
	serve_start &&
	before=$(sqlite3 .irk/irk.db "SELECT count(*) FROM entries") &&
	{ curl -s -o verify.json -H "Authorization: Bearer $(cat token.viewer)" \
		"$BASE/api/v1/verify" & } && v=$! &&
	n=0 && : >during &&
	while [ ! -s verify.json ] && [ $n -lt 200 ]; do
		n=$((n + 1))
		test "$(api responder POST /api/v1/incidents/1/tasks "{\"title\":\"task $n\"}")" = 201 ||
			break
		[ -s verify.json ] || echo $n >>during
	done &&
	wait $v && jq -e ".ok == true" verify.json &&
	# Each task is one entry, and the verify counted the entries of its moment.
	test "$(sqlite3 .irk/irk.db "SELECT count(*) FROM entries")" = $((before + n)) &&
	seen=$(($(jq .entries verify.json) - before)) &&
	late=$(awk -v seen=$seen "\$1 > seen" during | wc -l) &&
	echo "$n tasks added; the verify saw $seen; $late more were answered before it" &&
	test "$late" -ge 2 &&
	serve_stop && irk verify
'

test_expect_success 'verifies asked for at once wait for each other and all answer' '
	serve_casebook && irk open "Phishing wave" >/dev/null && write_curlrc &&
	serve_start &&
	for k in 1 2 3 4; do
		{ curl -s -o verify.$k.json -H "Authorization: Bearer $(cat token.viewer)" \
			"$BASE/api/v1/verify" & } && eval "v$k=\$!" || break
	done &&
	wait $v1 $v2 $v3 $v4 &&
	for k in 1 2 3 4; do jq -e ".ok == true" verify.$k.json || return 1; done &&
	test "$(api viewer GET /api/v1/incidents)" = 200 &&
	serve_stop
'

serve_done
