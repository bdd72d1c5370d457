#!/bin/sh
# t0002-logbook.sh - incidents and their log books.
. "$(dirname "$0")/../lib.sh"

test_expect_success 'open, log, show: the entry is there with its kind' '
	setup_casebook &&
	irk open "Web shell on www1" --severity critical --category web-compromise >out &&
	grep -q "opened INC-[0-9]*-0001" out &&
	irk log 1 "found cmd.php in uploads" --kind observation &&
	irk show 1 >out && grep -q "observation" out && grep -q "found cmd.php" out
'

test_expect_success 'incident ids: full, lower-case and short forms' '
	setup_casebook && irk open "a" >/dev/null && irk open "b" >/dev/null &&
	id=$(irk list --json | python3 -c "import json,sys; print([json.loads(l)[\"id\"] for l in sys.stdin][-1])") &&
	irk show "$id" | grep -q "  a$" &&
	irk show "$(echo $id | tr A-Z a-z)" >/dev/null &&
	irk show 2 | grep -q "  b$" && irk show 0002 >/dev/null
'

test_expect_success 'the one open incident is the default; with two you must say which' '
	setup_casebook && irk open "a" >/dev/null &&
	irk log "default works" &&
	irk open "b" >/dev/null &&
	test_must_fail 2 irk log "which one?" && grep -q "2 incidents are open" err &&
	IRK_INCIDENT=2 irk log "by env"
'

test_expect_success 'a call records who it was with, and --at when it happened' '
	setup_casebook && irk open "x" >/dev/null &&
	irk log 1 "phoned the ISP" --kind call --with "ISP NOC" --at "2026-01-02 14:05 +0100" &&
	irk show 1 --json >j &&
	python3 - <<-EOF
	import json
	d = json.load(open("j"))
	e = d["log"][1]
	assert e["kind"] == "call" and e["data"]["with"] == "ISP NOC", e
	assert e["at"] == "2026-01-02T13:05:00.000Z" and e["tz"] == "+01:00", e
	EOF
'

test_expect_success '--at accepts RFC 3339 and a bare time of day' '
	setup_casebook && irk open "x" >/dev/null &&
	irk log 1 a --at 2026-01-02T03:04:05Z &&
	irk log 1 b --at 00:00 &&
	irk log 1 c --at "2026-01-02 03:04:05.250 Z" &&
	irk show 1 --json | grep -q "2026-01-02T03:04:05.250Z"
'

test_expect_success 'malformed --at, future --at, bad kind are clear errors' '
	setup_casebook && irk open "x" >/dev/null &&
	test_must_fail 4 irk log 1 t --at "yesterday-ish" && grep -q "not a time" err &&
	test_must_fail 4 irk log 1 t --at 2026-13-01T00:00:00Z &&
	test_must_fail 4 irk log 1 t --at 2999-01-01T00:00:00Z && grep -q "future" err &&
	test_must_fail 2 irk log 1 t --kind gossip &&
	test_must_fail 2 irk log 1 t --with bob
'

test_expect_success 'unknown incident and oversized or invalid text are refused' '
	setup_casebook && irk open "x" >/dev/null &&
	test_must_fail 3 irk log 99 "t" && grep -q "no incident" err &&
	head -c 70000 /dev/zero | tr "\0" a >big &&
	test_must_fail 4 irk log 1 - <big && grep -q "over the limit" err &&
	printf "bad \377 byte" >inv &&
	test_must_fail 4 irk log 1 - <inv && grep -q "UTF-8" err &&
	test_must_fail 4 irk log 1 "$(printf "bell\007")" &&
	test "$(irk show 1 --json | python3 -c "import json,sys; print(len(json.load(sys.stdin)[\"log\"]))")" = 1
'

test_expect_success 'text at the size cap is accepted, one byte more is not' '
	setup_casebook && irk open "x" >/dev/null &&
	head -c 65536 /dev/zero | tr "\0" a >cap && irk log 1 - <cap &&
	head -c 65537 /dev/zero | tr "\0" a >over && test_must_fail 4 irk log 1 - <over
'

test_expect_success 'amend adds a correction and keeps the original' '
	setup_casebook && irk open "x" >/dev/null &&
	irk log 1 "called at 14:05" &&
	irk amend 1 2 "it was 14:07" &&
	irk show 1 >out && grep -q "called at 14:05" out && grep -q "corrected by #3" out &&
	test_must_fail 3 irk amend 1 9 "no such entry"
'

test_expect_success 'phases record their stage times; closing needs a resolution' '
	setup_casebook && irk open "x" >/dev/null &&
	irk phase 1 triage && irk phase 1 contained --at "2026-01-01T10:00:00Z" &&
	test_must_fail 2 irk phase 1 closed &&
	test_must_fail 2 irk close 1 &&
	irk close 1 --resolution false-positive &&
	irk show 1 --json >j &&
	python3 -c "
import json; d=json.load(open(\"j\"))
assert d[\"phase\"]==\"closed\" and d[\"resolution\"]==\"false-positive\"
assert d[\"times\"][\"contained\"]==\"2026-01-01T10:00:00.000Z\"
assert d[\"times\"][\"triage\"] and d[\"times\"][\"closed\"]"
'

test_expect_success 'a closed incident refuses phase changes until reopened' '
	setup_casebook && irk open "x" >/dev/null && irk close 1 --resolution resolved &&
	test_must_fail 8 irk phase 1 contained && grep -q "reopen" err &&
	irk log 1 "postmortem note after close" &&
	irk reopen 1 && irk phase 1 contained && irk list | grep -q contained
'

test_expect_success 'a duplicate names the incident it duplicates' '
	setup_casebook && irk open "a" >/dev/null && irk open "b" >/dev/null &&
	test_must_fail 2 irk close 2 --resolution duplicate &&
	irk close 2 --resolution duplicate --duplicate-of 1 &&
	irk show 2 --json | grep -q "\"duplicate_of\":\"INC-"
'

test_expect_success 'a responder cannot change phases; a viewer cannot write' '
	setup_casebook && irk open "x" >/dev/null &&
	for who in bob:responder val:viewer; do
		n=${who%%:*}; r=${who#*:}
		k=$(IRK_KEY=$PWD/$n irk id --email $n@example.org --json | python3 -c "import json,sys; print(json.load(sys.stdin)[\"vkey\"])") &&
		irk member add --key "$k" --role $r >/dev/null || return 1
	done &&
	IRK_KEY=$PWD/bob irk log 1 "responder writes" &&
	IRK_KEY=$PWD/bob test_must_fail 9 irk phase 1 contained &&
	IRK_KEY=$PWD/val test_must_fail 9 irk log 1 "viewer writes" && grep -q viewer err
'

test_expect_success 'the database refuses to update or delete entries' '
	setup_casebook && irk open "x" >/dev/null &&
	! sqlite3 .irk/irk.db "UPDATE entries SET kind=\"note\" WHERE seq=1" 2>err &&
	grep -q "append-only" err &&
	! sqlite3 .irk/irk.db "DELETE FROM entries" 2>err && grep -q "append-only" err
'

test_expect_success 'list, list --all and --json' '
	setup_casebook && irk open "a" >/dev/null && irk open "b" --drill >/dev/null &&
	irk close 1 --resolution resolved &&
	irk list >out && ! grep -q " a$" out && grep -q "\[DRILL\] b" out &&
	irk list --all | grep -q " a$" &&
	test "$(irk list --all --json | wc -l)" = 2
'

test_expect_success 'every command has --help' '
	for c in init id member open list show log amend phase close reopen verify checkpoint; do
		irk $c --help >out || return 1
		grep -q "^usage: irk $c" out || return 1
	done
'

test_done
