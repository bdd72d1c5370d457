#!/bin/sh
# t2010-bundle.sh - export, offline verification, import, and tampering inside a bundle.
. "$(dirname "$0")/../lib.sh"

# An incident with a log entry, two evidence objects, a second member and a checkpoint,
# exported to ../b.irk from the directory ./a.
make_bundle() {
	mkdir a && (
		cd a && setup_casebook &&
		key=$(IRK_KEY=$PWD/../bob irk id --email bob@example.org --json |
		      python3 -c "import json,sys; print(json.load(sys.stdin)[\"vkey\"])") &&
		irk member add --key "$key" >/dev/null &&
		irk open "other incident" >/dev/null &&
		irk open "phishing wave" >/dev/null &&
		irk log 2 "mail gateway logs pulled" >/dev/null &&
		printf "Received: from evil\n" >mail.eml && seq 1 5000 >gw.log &&
		irk evidence add 2 mail.eml >/dev/null && irk evidence add -z 2 gw.log >/dev/null &&
		IRK_KEY=$PWD/../bob irk log 2 "called the user" --kind call >/dev/null &&
		irk checkpoint 2 >/dev/null &&
		irk export 2 -o ../b.irk >/dev/null
	)
}

# Unpack ../b.irk (or $1) into ./x.
unpack() { rm -rf x && mkdir x && tar --zstd -xf "${1:-b.irk}" -C x; }
# Pack ./x (regular files only, as irk writes them) into $1.
repack() { (cd x && find . -type f | sed "s,^\./,," | sort | tar --zstd --no-recursion -cf "../$1" -T -); }

test_expect_success 'export writes a zstd tar with entries, keys, checkpoint, objects and manifest' '
	make_bundle &&
	unpack &&
	test -f x/manifest.json && test -f x/manifest.sig &&
	test $(wc -l <x/chains/incident.jsonl) = 5 && test $(wc -l <x/chains/incident.sig) = 5 &&
	test $(ls x/keys | wc -l) = 2 && test $(ls x/checkpoints | wc -l) = 1 &&
	test $(ls x/objects | wc -l) = 2 &&
	test -f x/objects/$(sha256sum a/mail.eml | cut -d" " -f1) &&
	cmp x/objects/$(sha256sum a/gw.log | cut -d" " -f1) a/gw.log &&
	grep -q "\"kind\":\"init\"" x/chains/casebook.jsonl &&
	grep -q "\"kind\":\"member\"" x/chains/casebook.jsonl &&
	grep -q "phishing wave" x/chains/casebook.jsonl &&
	! grep -q "other incident" x/chains/casebook.jsonl &&
	sqlite3 a/.irk/irk.db "SELECT body FROM entries WHERE chain LIKE \"INC-%-0002\" ORDER BY seq" | cmp - x/chains/incident.jsonl
'

test_expect_success 'the bundle verifies in an empty directory with no casebook' '
	make_bundle && mkdir empty && cd empty &&
	irk verify ../b.irk >out && grep -q "^ok: bundle ../b.irk: INC-.*-0002" out &&
	irk verify ../b.irk --json | python3 -c "import json,sys; d=json.load(sys.stdin); assert d[\"ok\"] and d[\"entries\"]==5 and d[\"objects\"]==2 and d[\"keys\"]==2 and d[\"checkpoints\"]==1 and d[\"problems\"]==[], d" &&
	test ! -e .irk
'

test_expect_success 'import into another casebook keeps it verifiable' '
	make_bundle && mkdir other && cd other &&
	IRK_KEY=$PWD/../carol irk id --email carol@example.org >/dev/null &&
	IRK_KEY=$PWD/../carol irk init >/dev/null &&
	IRK_KEY=$PWD/../carol irk import ../b.irk >out &&
	grep -q "imported INC-.*-0002 \"phishing wave\"" out &&
	IRK_KEY=$PWD/../carol irk import --list --json | python3 -c "import json,sys; d=json.loads(sys.stdin.readline()); assert d[\"entries\"]==5 and d[\"title\"]==\"phishing wave\", d" &&
	irk verify >/dev/null &&
	sqlite3 .irk/irk.db "SELECT count(*) FROM entries WHERE kind=\"import\"" | grep -qx 1 &&
	test -f .irk/objects/$(sha256sum ../a/gw.log | cut -c1-2)/$(sha256sum ../a/gw.log | cut -c3-64) &&
	IRK_KEY=$PWD/../carol test_must_fail 8 irk import ../b.irk && grep -q "already imported" err
'

test_expect_success 'irk verify of the receiving casebook catches a damaged stored bundle' '
	make_bundle && mkdir other && cd other &&
	irk id --email carol@example.org >/dev/null && irk init >/dev/null &&
	irk import ../b.irk >/dev/null &&
	sha=$(sha256sum ../b.irk | cut -d" " -f1) &&
	p=.irk/objects/$(echo $sha | cut -c1-2)/$(echo $sha | cut -c3-) &&
	chmod u+w $p && flip_byte $p 100 &&
	test_must_fail 10 irk verify && grep -q "imported INC-.*-0002 (import 1)" err
'

test_expect_success 'importing a bundle into the casebook it came from is refused' '
	make_bundle && cd a && test_must_fail 8 irk import ../b.irk && grep -q "came from this casebook" err
'

test_expect_success 'one changed byte in an object fails verification naming the object' '
	make_bundle && unpack &&
	obj=objects/$(sha256sum a/mail.eml | cut -d" " -f1) &&
	printf "X" | dd of=x/$obj bs=1 seek=3 conv=notrunc 2>/dev/null &&
	repack t.irk &&
	test_must_fail 10 irk verify t.irk &&
	grep -q "$obj does not match the manifest" err &&
	grep -q "$obj does not match its name" err
'

test_expect_success 'one changed byte in the manifest fails verification naming the manifest' '
	make_bundle && unpack &&
	sed -i "s/phishing wave/phishing wavE/" x/manifest.json &&
	repack t.irk &&
	test_must_fail 10 irk verify t.irk &&
	grep -q "manifest.sig: the manifest.s signature by admin@example.org does not verify" err
'

test_expect_success 'one changed byte in a log-book entry fails verification naming the entry' '
	make_bundle && unpack &&
	sed -i "s/mail gateway logs pulled/mail gateway logs pulleD/" x/chains/incident.jsonl &&
	repack t.irk &&
	test_must_fail 10 irk verify t.irk &&
	grep -q "chains/incident.jsonl does not match the manifest" err &&
	grep -q "INC-.*-0002 entry 2: its link to the previous entry is broken\|INC-.*-0002 entry 2: the signature does not verify" err
'

test_expect_success 'an entry altered and the manifest re-hashed is still caught by its signature' '
	make_bundle && unpack &&
	sed -i "s/called the user/called the boss/" x/chains/incident.jsonl &&
	python3 - <<-PY &&
	import hashlib, json
	m = json.load(open("x/manifest.json"))
	for f in m["files"]:
	    f["sha256"] = hashlib.sha256(open("x/" + f["path"], "rb").read()).hexdigest()
	    f["size"] = len(open("x/" + f["path"], "rb").read())
	open("x/manifest.json", "w").write(json.dumps(m, indent=1) + "\n")
	PY
	repack t.irk &&
	test_must_fail 10 irk verify t.irk &&
	grep -q "INC-.*-0002 entry 5: the signature does not verify" err &&
	grep -q "manifest.sig" err
'

test_expect_success 'a removed entry, a removed object and an extra file are each named' '
	make_bundle && unpack &&
	obj=objects/$(sha256sum a/gw.log | cut -d" " -f1) && rm x/$obj &&
	echo hi >x/keys/0000000000000000.vkey &&
	repack t.irk &&
	test_must_fail 10 irk verify t.irk &&
	grep -q "$obj is listed in the manifest but missing" err &&
	grep -q "keys/0000000000000000.vkey is in the bundle but not in the manifest" err &&
	unpack &&
	sed -i 2d x/chains/incident.jsonl && sed -i 2d x/chains/incident.sig && repack t2.irk &&
	test_must_fail 10 irk verify t2.irk && grep -q "chains/incident.jsonl does not match" err
'

test_expect_success 'a tampered bundle is not imported and leaves no import entry' '
	make_bundle && unpack &&
	sed -i "s/called the user/called the boss/" x/chains/incident.jsonl && repack t.irk &&
	mkdir other && cd other && irk id --email c@example.org >/dev/null && irk init >/dev/null &&
	test_must_fail 10 irk import ../t.irk &&
	sqlite3 .irk/irk.db "SELECT count(*) FROM entries WHERE kind=\"import\"" | grep -qx 0 &&
	irk import --list >l && test ! -s l
'

test_expect_success 'export refuses to overwrite and needs -o' '
	make_bundle && cd a &&
	test_must_fail 8 irk export 2 -o ../b.irk && grep -q "never overwrites" err &&
	test_must_fail 2 irk export 2
'

test_done
