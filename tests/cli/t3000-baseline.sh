#!/bin/sh
# t3000-baseline.sh - baseline create and check on a temporary tree: every
# kind of change is reported once, with the right attributes and flags.
. "$(dirname "$0")/../lib.sh"

# A small tree with a log, a "system" directory and a policy for it.
make_tree() {
	mkdir -p tree/sub tree/bin &&
	echo hello >tree/a && echo bee >tree/b && echo sea >tree/c && echo dee >tree/d &&
	echo eee >tree/e && echo tool >tree/bin/tool && echo keep >tree/sub/keep &&
	printf "one\ntwo\nthree\n" >tree/app.log && ln -s a tree/link &&
	T=$PWD/tree &&
	printf "root %s\ngrow %s/*.log\nsystem %s/bin\n" "$T" "$T" "$T" >policy
}

# changes FILE PATH: the JSON lines of the report about PATH (exactly).
changes() { grep -F "\"path\":\"$PWD/tree$2\"" "$1"; }

test_expect_success 'an untouched tree reports nothing, exit 0' '
	irk id --email a@example.org >/dev/null && make_tree &&
	irk baseline create -q --policy policy -o base >out &&
	grep -q "base: 12 entries, signed by " out &&
	irk baseline check -q --baseline base >out &&
	grep -q "^0 added, 0 removed, 0 changed, 0 skipped" out &&
	test $(wc -l <out) = 1 &&
	irk baseline check -q --baseline base --json >rep &&
	test $(wc -l <rep) = 2 && grep -q "\"added\":0,\"removed\":0,\"changed\":0" rep
'

test_expect_success 'each change is reported exactly once with the right attributes' '
	irk id --email a@example.org >/dev/null && make_tree &&
	irk baseline create -q --policy policy -o base >/dev/null &&
	echo more >>tree/a &&
	rm tree/b &&
	chmod 600 tree/c &&
	chown 4242:4343 tree/d &&
	rm tree/e && ln -s /etc/passwd tree/e &&
	: >tree/app.log &&
	cp tree/c tree/suid && chmod 4755 tree/suid &&
	echo new >tree/added &&
	echo x >tree/.hidden &&
	echo changed >tree/bin/tool &&
	test_must_fail 1 irk baseline check -q --baseline base --json &&
	mv out rep &&
	python3 - rep "$PWD/tree" <<-\PY
	import json, sys
	lines = [json.loads(l) for l in open(sys.argv[1])]
	t = sys.argv[2]
	assert lines[0]["report"] == "baseline.check"
	summary = lines[-1]["summary"]
	ch = {}
	for l in lines[1:-1]:
	    assert l["path"] not in ch, "reported twice: " + l["path"]
	    ch[l["path"]] = l
	def attrs(p): return set(ch[t + p].get("attrs", {}))
	want = {"/a", "/b", "/c", "/d", "/e", "/app.log", "/suid", "/added", "/.hidden", "/bin/tool"}
	assert set(ch) == {t + p for p in want}, sorted(ch)
	assert ch[t + "/a"]["change"] == "changed" and attrs("/a") == {"size", "mtime", "ctime", "sha256"}, ch[t + "/a"]
	assert ch[t + "/a"]["attrs"]["size"] == {"old": "6", "new": "11"}
	assert ch[t + "/b"]["change"] == "removed"
	assert attrs("/c") == {"mode", "ctime"} and ch[t + "/c"]["attrs"]["mode"] == {"old": "0644", "new": "0600"}
	assert "mode" in ch[t + "/c"]["flags"]
	assert attrs("/d") == {"uid", "gid", "ctime"} and ch[t + "/d"]["attrs"]["uid"]["new"] == "4242"
	assert "owner" in ch[t + "/d"]["flags"]
	e = ch[t + "/e"]
	assert e["attrs"]["type"] == {"old": "file", "new": "symlink"} and e["attrs"]["target"]["new"] == "/etc/passwd", e
	assert ch[t + "/app.log"]["flags"] == ["shrank"] and ch[t + "/app.log"]["attrs"]["size"]["new"] == "0"
	assert ch[t + "/suid"]["change"] == "added" and "setid" in ch[t + "/suid"]["flags"]
	assert ch[t + "/added"]["change"] == "added" and ch[t + "/added"]["flags"] == []
	assert "odd-name" in ch[t + "/.hidden"]["flags"]
	assert "system" in ch[t + "/bin/tool"]["flags"] and "sha256" in attrs("/bin/tool")
	assert summary["added"] == 3 and summary["removed"] == 1 and summary["changed"] == 6, summary
	PY
'

test_expect_success 'a "grow" log that grows is not reported; other files are' '
	irk id --email a@example.org >/dev/null && make_tree &&
	irk baseline create -q --policy policy -o base >/dev/null &&
	echo four >>tree/app.log &&
	irk baseline check -q --baseline base >out &&
	grep -q "^0 added, 0 removed, 0 changed" out
'

test_expect_success 'text output shows old -> new and the flags' '
	irk id --email a@example.org >/dev/null && make_tree &&
	irk baseline create -q --policy policy -o base >/dev/null &&
	chmod 4755 tree/c &&
	test_must_fail 1 irk baseline check -q --baseline base &&
	grep -q "^changed  $PWD/tree/c \[setid, mode\]" out &&
	grep -q "^         mode: 0644 -> 4755$" out
'

test_expect_success 'a directory turned into a file: the old content is removed, once each' '
	irk id --email a@example.org >/dev/null && make_tree &&
	irk baseline create -q --policy policy -o base >/dev/null &&
	rm -r tree/sub && echo flat >tree/sub &&
	test_must_fail 1 irk baseline check -q --baseline base --json &&
	test $(grep -c "\"path\":\"$PWD/tree/sub\"" out) = 1 &&
	test $(grep -c "\"path\":\"$PWD/tree/sub/keep\"" out) = 1 &&
	grep "\"path\":\"$PWD/tree/sub/keep\"" out | grep -q "\"change\":\"removed\""
'

test_expect_success 'create takes PATHs instead of the policy roots and never follows symlinks' '
	irk id --email a@example.org >/dev/null && make_tree &&
	mkdir outside && echo secret >outside/s && ln -s ../outside tree/out &&
	irk baseline create -q -o base tree >/dev/null &&
	grep -q "^policy root%20$PWD/tree$" base &&
	grep -q "^$PWD/tree/out	l	" base &&
	! grep -q "outside/s" base
'

test_expect_success 'names that need escaping survive the round trip' '
	irk id --email a@example.org >/dev/null && mkdir tree &&
	printf x >"tree/with space" && printf y >"tree/per%cent" && printf z >"tree/$(printf "tab\there")" &&
	irk baseline create -q -o base tree >/dev/null &&
	grep -q "^$PWD/tree/with%20space	" base &&
	grep -q "^$PWD/tree/per%25cent	" base &&
	irk baseline check -q --baseline base >out &&
	grep -q "^0 added, 0 removed, 0 changed" out
'

test_expect_success 'the records are sorted in walk order (a/b before a.b)' '
	irk id --email a@example.org >/dev/null && mkdir -p tree/a && echo 1 >tree/a/b && echo 2 >tree/a.b &&
	irk baseline create -q -o base tree >/dev/null &&
	sed -n "/^records$/,/^end /p" base | cut -f1 >order &&
	printf "records\n%s\n%s\n%s\n%s\n" "$PWD/tree" "$PWD/tree/a" "$PWD/tree/a/b" "$PWD/tree/a.b" >want &&
	head -n 5 order | diff want - &&
	irk baseline check -q --baseline base >out && grep -q "^0 added" out
'

test_expect_success 'the bundled policy parses and covers the system paths' '
	irk baseline policy >p &&
	grep -q "^root /usr$" p && grep -q "^grow /var/log$" p && grep -q "^system /usr/bin$" p
'

test_expect_success 'a bad policy is refused with its line number' '
	irk id --email a@example.org >/dev/null &&
	printf "root /tmp\nfrobnicate /x\n" >p &&
	test_must_fail 4 irk baseline create --policy p -o base &&
	grep -q "p:2: unknown directive" err &&
	printf "root relative/path\n" >p &&
	test_must_fail 4 irk baseline create --policy p -o base &&
	grep -q "not an absolute path" err &&
	printf "ignore /x size,colour\n" >p &&
	test_must_fail 4 irk baseline create --policy p -o base &&
	grep -q "unknown attribute" err
'

test_expect_success 'ignore rules silence the named attributes only' '
	irk id --email a@example.org >/dev/null && make_tree &&
	printf "ignore %s/a mtime,ctime,size,sha256\n" "$PWD/tree" >>policy &&
	irk baseline create -q --policy policy -o base >/dev/null &&
	echo more >>tree/a && irk baseline check -q --baseline base >out &&
	grep -q "^0 added, 0 removed, 0 changed" out &&
	chmod 700 tree/a && test_must_fail 1 irk baseline check -q --baseline base &&
	grep -q "mode: 0644 -> 0700" out
'

test_done
