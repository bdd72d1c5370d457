#!/bin/sh
# t0003-tamper.sh - every way of changing the record behind irk's back is caught.
. "$(dirname "$0")/../lib.sh"

# A casebook with two incidents and a few entries.
make_book() {
	setup_casebook &&
	irk open "first incident" >/dev/null &&
	irk log 1 "alpha entry" && irk log 1 "bravo entry" && irk log 1 "charlie entry" &&
	irk open "second incident" >/dev/null && irk log 2 "delta entry" &&
	irk verify >/dev/null
}
inc1() { irk list --all --json | python3 -c "import json,sys; print([json.loads(l)[\"id\"] for l in sys.stdin][-1])"; }
# SQL run with the append-only triggers dropped (irk recreates them on open).
tamper() { sqlite3 .irk/irk.db "DROP TRIGGER IF EXISTS entries_no_update; DROP TRIGGER IF EXISTS entries_no_delete; $1"; }

test_expect_success 'an untouched casebook verifies' '
	make_book && irk verify >out && grep -q "^ok: 9 entries in 3 log books" out
'

test_expect_success 'one changed byte of an entry text is caught' '
	make_book && I=$(inc1) &&
	tamper "UPDATE entries SET body=CAST(replace(CAST(body AS TEXT), \"bravo\", \"bravp\") AS BLOB) WHERE chain=\"$I\" AND seq=3" &&
	test_must_fail 10 irk verify && grep -q "$I entry 3: its bytes do not match its hash" err
'

test_expect_success 'a changed entry with a recomputed hash breaks the next link' '
	make_book && I=$(inc1) &&
	tamper "UPDATE entries SET body=CAST(replace(CAST(body AS TEXT), \"bravo\", \"bravp\") AS BLOB) WHERE chain=\"$I\" AND seq=3" &&
	h=$(sqlite3 .irk/irk.db "SELECT body FROM entries WHERE chain=\"$I\" AND seq=3" | tr -d "\n" | sha256sum | cut -c1-64) &&
	tamper "UPDATE entries SET hash=\"$h\" WHERE chain=\"$I\" AND seq=3" &&
	test_must_fail 10 irk verify && grep -q "$I entry 3: the signature does not verify" err
'

test_expect_success 'a deleted entry is caught' '
	make_book && I=$(inc1) &&
	tamper "DELETE FROM entries WHERE chain=\"$I\" AND seq=2" &&
	test_must_fail 10 irk verify && grep -q "$I entry 3: entries are missing before it" err
'

test_expect_success 'two swapped entries are caught' '
	make_book && I=$(inc1) &&
	tamper "UPDATE entries SET seq=-1 WHERE chain=\"$I\" AND seq=2;
		UPDATE entries SET seq=2 WHERE chain=\"$I\" AND seq=3;
		UPDATE entries SET seq=3 WHERE chain=\"$I\" AND seq=-1;" &&
	test_must_fail 10 irk verify && grep -q "$I entry" err
'

test_expect_success 'a forged entry appended with a made-up signature is caught' '
	make_book && I=$(inc1) &&
	python3 - "$I" <<-EOF &&
	import hashlib, json, os, sqlite3, sys
	inc = sys.argv[1]
	db = sqlite3.connect(".irk/irk.db")
	book = db.execute("SELECT value FROM meta WHERE key=\"book\"").fetchone()[0]
	seq, prev, by = db.execute("SELECT seq, hash, by FROM entries WHERE chain=? ORDER BY seq DESC LIMIT 1", (inc,)).fetchone()
	body = json.dumps({"v":1,"book":book,"inc":inc,"seq":seq+1,"prev":prev,"rec":"2026-01-01T00:00:00.000Z",
	                   "at":"2026-01-01T00:00:00Z","tz":"+00:00","by":by,"kind":"note","text":"forged","data":{}},
	                  separators=(",",":")).encode()
	db.execute("INSERT INTO entries(chain,seq,hash,body,sig,by,kind,at,rec) VALUES(?,?,?,?,?,?,?,?,?)",
	           (inc, seq+1, hashlib.sha256(body).hexdigest(), body, os.urandom(64), by, "note",
	            1767225600000, 1767225600000))
	db.commit()
	EOF
	test_must_fail 10 irk verify && grep -q "$I entry 5: the signature does not verify" err
'

test_expect_success 'an entry signed by a key that is not a member is caught' '
	make_book && I=$(inc1) &&
	sqlite3 .irk/irk.db "SELECT body FROM entries WHERE chain=\"$I\" AND seq=4" >/dev/null &&
	tamper "UPDATE entries SET by=\"0123456789abcdef\" WHERE chain=\"$I\" AND seq=4" &&
	test_must_fail 10 irk verify && grep -q "$I entry 4: its columns disagree" err
'

test_expect_success 'entries of several signers check each against its own key' '
	setup_casebook && irk open "shared incident" >/dev/null &&
	for n in bob carol; do
		IRK_KEY=$PWD/$n irk id --email $n@example.org --json >$n.json &&
		k=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[\"vkey\"])" $n.json) &&
		irk member add --key "$k" --role responder >/dev/null || return 1
	done &&
	for w in admin bob carol bob admin carol; do
		if [ $w = admin ]; then irk log 1 "by $w"; else IRK_KEY=$PWD/$w irk log 1 "by $w"; fi || return 1
	done &&
	irk verify >out && grep -q "^ok: 11 entries" out &&
	I=$(inc1) &&
	python3 - "$I" bob.json carol.json <<-EOF &&
	import hashlib, json, sqlite3, sys
	inc = sys.argv[1]
	bob, carol = (json.load(open(f))["keyid"] for f in sys.argv[2:4])
	db = sqlite3.connect(".irk/irk.db")
	db.execute("DROP TRIGGER IF EXISTS entries_no_update")
	seq, body = db.execute("SELECT seq, body FROM entries WHERE chain=? ORDER BY seq DESC LIMIT 1", (inc,)).fetchone()
	old = ("\"by\":\"%s\"" % carol).encode()
	assert body.count(old) == 1, body
	body = body.replace(old, ("\"by\":\"%s\"" % bob).encode())
	db.execute("UPDATE entries SET body=?, hash=?, by=? WHERE chain=? AND seq=?",
	           (body, hashlib.sha256(body).hexdigest(), bob, inc, seq))
	db.commit()
	EOF
	test_must_fail 10 irk verify && grep -q "$I entry 7: the signature does not verify" err
'

test_expect_success 'a replaced signature is caught' '
	make_book && I=$(inc1) &&
	tamper "UPDATE entries SET sig=(SELECT sig FROM entries WHERE chain=\"$I\" AND seq=2) WHERE chain=\"$I\" AND seq=3" &&
	test_must_fail 10 irk verify && grep -q "$I entry 3: the signature does not verify" err
'

test_expect_success 'a whole removed incident is caught' '
	make_book && I=$(inc1) &&
	tamper "DELETE FROM entries WHERE chain=\"$I\"; DELETE FROM incidents WHERE id=\"$I\"" &&
	test_must_fail 10 irk verify && grep -q "$I is recorded in the casebook chain.*removed" err
'

test_expect_success 'a changed projection row is caught by the replay' '
	make_book &&
	sqlite3 .irk/irk.db "UPDATE incidents SET severity=\"low\" WHERE num=1" &&
	test_must_fail 10 irk verify && grep -q "table incidents" err
'

test_expect_success 'a truncated tail is caught against a stored and an external checkpoint' '
	make_book && I=$(inc1) &&
	irk checkpoint 1 -o receipt &&
	tamper "DELETE FROM entries WHERE chain=\"$I\" AND seq>=3" &&
	test_must_fail 10 irk verify && grep -q "were removed" err &&
	sqlite3 .irk/irk.db "DELETE FROM checkpoints" &&
	irk verify >out && grep -q "^ok" out &&
	test_must_fail 10 irk verify --checkpoint receipt && grep -q "has 2 entries, but the checkpoint receipted 4" err
'

test_expect_success 'a rewritten log book is caught against a checkpoint' '
	make_book &&
	irk checkpoint 1 -o receipt && sqlite3 .irk/irk.db "DELETE FROM checkpoints" &&
	I=$(inc1) && tamper "DELETE FROM entries WHERE chain=\"$I\" AND seq>=2" &&
	sqlite3 .irk/irk.db "DELETE FROM incidents" >/dev/null &&
	cp receipt r2 && test_must_fail 10 irk verify --checkpoint r2
'

test_expect_success 'entries after a checkpoint are reported as not yet receipted' '
	make_book && irk checkpoint 1 >receipt && irk log 1 "after" &&
	irk verify --checkpoint receipt >out &&
	grep -q "extends the 4 receipted entries (now 5)" out &&
	irk verify --json | python3 -c "import json,sys; d=json.load(sys.stdin); assert d[\"unreceipted\"]==6, d"
'

test_expect_success 'a countersigned checkpoint verifies with both keys' '
	make_book &&
	k=$(IRK_KEY=$PWD/carol irk id --email carol@example.org --json | python3 -c "import json,sys; print(json.load(sys.stdin)[\"vkey\"])") &&
	irk member add --key "$k" --role viewer >/dev/null &&
	irk checkpoint 1 -o receipt &&
	IRK_KEY=$PWD/carol irk checkpoint --countersign receipt &&
	test "$(grep -c "^— " receipt)" = 2 &&
	irk verify --checkpoint receipt --json | python3 -c "
import json,sys; r=json.load(sys.stdin)[\"receipts\"][0]
assert r[\"signers\"]==1 and r[\"cosigners\"]==1, r" &&
	IRK_KEY=$PWD/carol test_must_fail 8 irk checkpoint --countersign receipt
'

test_expect_success 'a damaged countersignature or foreign checkpoint is refused' '
	make_book &&
	k=$(IRK_KEY=$PWD/carol irk id --email carol@example.org --json | python3 -c "import json,sys; print(json.load(sys.stdin)[\"vkey\"])") &&
	irk member add --key "$k" --role viewer >/dev/null &&
	irk checkpoint 1 -o receipt && IRK_KEY=$PWD/carol irk checkpoint --countersign receipt &&
	python3 - <<-EOF &&
	import base64
	lines = open("receipt", encoding="utf-8").read().split("\n")
	name, sig = lines[-2].rsplit(" ", 1)
	raw = bytearray(base64.b64decode(sig)); raw[20] ^= 1
	lines[-2] = name + " " + base64.b64encode(bytes(raw)).decode()
	open("bad", "w", encoding="utf-8").write("\n".join(lines))
	EOF
	test_must_fail 10 irk verify --checkpoint bad && grep -q "signature by carol@example.org does not verify" err &&
	sed "1s/irk\/[0-9a-f]*/irk\/0000000000000000/" receipt >foreign &&
	test_must_fail 10 irk verify --checkpoint foreign && grep -q "not for this casebook" err &&
	printf "garbage\n" >junk && test_must_fail 4 irk verify --checkpoint junk
'

test_expect_success 'the casebook chain can be checkpointed too' '
	make_book && irk checkpoint --casebook >cb &&
	head -1 cb | grep -q "/casebook$" && irk verify --checkpoint cb >/dev/null
'

test_done
