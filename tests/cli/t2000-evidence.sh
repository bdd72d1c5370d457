#!/bin/sh
# t2000-evidence.sh - the evidence locker: acquisition, links, custody, access, verify.
. "$(dirname "$0")/../lib.sh"

# A casebook with one open incident and a second member, bob (key file ./bob).
setup_two() {
	setup_casebook &&
	irk open "web server compromise" >/dev/null &&
	key=$(IRK_KEY=$PWD/bob irk id --email bob@example.org --name Bob --json |
	      python3 -c "import json,sys; print(json.load(sys.stdin)[\"vkey\"])") &&
	irk member add --key "$key" --role responder >/dev/null
}

obj_path() { # $1 = sha256
	p=.irk/objects/$(echo "$1" | cut -c1-2)/$(echo "$1" | cut -c3-)
	if [ -f "$p" ]; then echo "$p"; else echo "$p.zst"; fi
}

test_expect_success 'add stores the file by SHA-256, read-only, and records where it came from' '
	setup_casebook && irk open "x" >/dev/null &&
	printf "evil payload\n" >dropper.sh && chmod 750 dropper.sh &&
	irk evidence add 1 dropper.sh --why "found in /tmp" --how "copied from the live host" >out &&
	sha=$(sha256sum dropper.sh | cut -d" " -f1) &&
	grep -q "^E1 INC-.*-0001 $sha $PWD/dropper.sh\$" out &&
	p=$(obj_path $sha) && test "$(stat -c %a "$p")" = 400 && cmp "$p" dropper.sh &&
	irk evidence show E1 --json >j &&
	python3 - <<-PY
	import json, os
	d = json.load(open("j")); r = d["record"]; st = os.lstat("dropper.sh")
	assert r["sha256"] == "$sha" and r["size"] == st.st_size, r
	assert r["path"] == os.path.abspath("dropper.sh") and r["mode"] == "0750", r
	assert r["uid"] == st.st_uid and r["host"] == os.uname().nodename, r
	assert r["why"] == "found in /tmp" and r["how"] == "copied from the live host", r
	assert r["mtime"].startswith("20") and r["ctime"].endswith("Z") and "atime" in r, r
	assert d["custodian"] == "admin@example.org" and d["custody"][0]["event"] == "acquire", d
	PY
'

test_expect_success 'a symbolic link is refused by default and recorded as a link with --links' '
	setup_casebook && irk open "x" >/dev/null &&
	echo secret >target && ln -s target link &&
	test_must_fail 4 irk evidence add link &&
	grep -q "is a symbolic link (to target)" err && grep -q -- "--links" err &&
	irk evidence list >out && test ! -s out &&
	irk evidence add --links link >out &&
	grep -q "the link itself, not followed" out &&
	irk evidence show E1 --json | python3 -c "import json,sys; d=json.load(sys.stdin); r=d[\"record\"]; assert r[\"type\"]==\"symlink\" and r[\"target\"]==\"target\" and r[\"size\"]==6, r"
'

test_expect_success 'directories need -r; a link inside one stops the whole add' '
	setup_casebook && irk open "x" >/dev/null &&
	mkdir -p d/sub && echo a >d/a && echo b >d/sub/b &&
	test_must_fail 4 irk evidence add d && grep -q "is a directory" err &&
	irk evidence add -r d >out && test $(wc -l <out) = 2 &&
	ln -s /etc/passwd d/pw &&
	test_must_fail 4 irk evidence add -r d && grep -q "d/pw is a symbolic link" err &&
	test $(irk evidence list | wc -l) = 2
'

test_expect_success 'compressed objects are stored as zstd and verify' '
	setup_casebook && irk open "x" >/dev/null &&
	seq 1 20000 >big.log &&
	irk evidence add -z big.log >/dev/null &&
	sha=$(sha256sum big.log | cut -d" " -f1) &&
	p=$(obj_path $sha) && case $p in *.zst) ;; *) false ;; esac &&
	zstd -dc "$p" | cmp - big.log &&
	irk evidence get E1 -o copy && cmp copy big.log &&
	irk evidence verify >out 2>&1 && grep -q "E1 *ok" out
'

test_expect_success 'get re-hashes, writes a new file, never overwrites, and records the access' '
	setup_casebook && irk open "x" >/dev/null &&
	echo data >f && irk evidence add f >/dev/null &&
	irk evidence get E1 -o out1 --why "analysis" && cmp out1 f &&
	test_must_fail 8 irk evidence get E1 -o out1 && grep -q "never overwrites" err &&
	irk show 1 --json >s && grep -q "evidence-access" s &&
	irk evidence show 1 --json | python3 -c "import json,sys; d=json.load(sys.stdin); assert [e[\"event\"] for e in d[\"custody\"]]==[\"acquire\",\"access\"], d"
'

test_expect_success 'verify and get find an altered object and name it; get writes nothing' '
	setup_casebook && irk open "x" >/dev/null &&
	echo original >f && irk evidence add f >/dev/null &&
	echo other >g && irk evidence add g >/dev/null &&
	p=$(obj_path $(sha256sum f | cut -d" " -f1)) &&
	chmod u+w "$p" && echo tampered >"$p" &&
	test_must_fail 10 irk evidence verify && grep -q "evidence E1: object .* does not match its hash" err &&
	grep -q "E1 *BAD" out && grep -q "E2 *ok" out &&
	test_must_fail 10 irk evidence get E1 -o copy && test ! -e copy &&
	test_must_fail 10 irk export 1 -o b.irk && test ! -e b.irk &&
	rm -f "$p" && test_must_fail 10 irk evidence verify && grep -q "missing" err
'

test_expect_success 'custody: only the custodian offers, only the named receiver accepts' '
	setup_two &&
	echo disk >img && irk evidence add img >/dev/null &&
	IRK_KEY=$PWD/bob test_must_fail 9 irk evidence transfer E1 --to admin@example.org &&
	grep -q "only the custodian" err &&
	IRK_KEY=$PWD/bob test_must_fail 8 irk evidence accept E1 && grep -q "nobody has offered" err &&
	irk evidence transfer E1 --to bob@example.org --why "to the lab" >out &&
	grep -q "accept E1" out &&
	irk evidence show E1 --json | python3 -c "import json,sys; d=json.load(sys.stdin); assert d[\"custodian\"]==\"admin@example.org\" and d[\"offered_to\"]==\"bob@example.org\", d" &&
	test_must_fail 8 irk evidence accept E1 && grep -q "has not been offered to" err &&
	IRK_KEY=$PWD/bob irk evidence accept E1 &&
	irk evidence show E1 --json >j &&
	python3 - <<-PY
	import json
	d = json.load(open("j"))
	assert d["custodian"] == "bob@example.org" and d["offered_to"] is None, d
	ev = [(e["event"], e["by"]) for e in d["custody"]]
	assert ev == [("acquire", "admin@example.org"), ("offer", "admin@example.org"),
	              ("accept", "bob@example.org")], ev
	PY
	irk verify >/dev/null
'

test_expect_success 'custody entries are signed by giver and receiver in the log book' '
	setup_two &&
	echo disk >img && irk evidence add img >/dev/null &&
	irk evidence transfer E1 --to bob@example.org >/dev/null &&
	IRK_KEY=$PWD/bob irk evidence accept E1 >/dev/null &&
	bob=$(IRK_KEY=$PWD/bob irk id --json | python3 -c "import json,sys; print(json.load(sys.stdin)[\"keyid\"])") &&
	me=$(irk id --json | python3 -c "import json,sys; print(json.load(sys.stdin)[\"keyid\"])") &&
	sqlite3 .irk/irk.db "SELECT kind, by FROM entries WHERE kind LIKE \"custody%\" ORDER BY id" >k &&
	printf "custody-offer|%s\ncustody-accept|%s\n" "$me" "$bob" | diff - k
'

test_expect_success 'bad usage: unknown ids, missing options, no incident' '
	setup_casebook &&
	echo x >f && test_must_fail 2 irk evidence add f && grep -q "no incident is open" err &&
	irk open "x" >/dev/null &&
	test_must_fail 3 irk evidence show E9 &&
	test_must_fail 2 irk evidence get E1 &&
	test_must_fail 2 irk evidence transfer E1 &&
	test_must_fail 3 irk evidence add nonexistent &&
	test_must_fail 2 irk evidence frobnicate
'

test_expect_success 'a closed incident takes no more evidence; list and verify --json' '
	setup_casebook && irk open "x" >/dev/null &&
	echo x >f && irk evidence add f >/dev/null &&
	irk close 1 --resolution resolved >/dev/null &&
	echo y >g && test_must_fail 8 irk evidence add 1 g &&
	irk evidence list --json | python3 -c "import json,sys; l=[json.loads(x) for x in sys.stdin]; assert len(l)==1 and l[0][\"id\"]==\"E1\"" &&
	irk evidence verify --json | python3 -c "import json,sys; l=[json.loads(x) for x in sys.stdin]; assert l[0][\"ok\"] is True"
'

test_done
