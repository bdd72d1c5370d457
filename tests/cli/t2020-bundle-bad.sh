#!/bin/sh
# t2020-bundle-bad.sh - hostile and broken bundles are refused without writing anything.
. "$(dirname "$0")/../lib.sh"

# A tar (zstd-compressed) with one member named $2 of type $3 (file|symlink|dir) into $1.
evil_tar() {
	python3 - "$1" "$2" "$3" <<-PY
	import io, sys, tarfile, subprocess
	out, name, kind = sys.argv[1:4]
	buf = io.BytesIO()
	with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
	    ti = tarfile.TarInfo(name)
	    if kind == "symlink":
	        ti.type = tarfile.SYMTYPE; ti.linkname = "/etc/passwd"; t.addfile(ti)
	    elif kind == "hardlink":
	        ti.type = tarfile.LNKTYPE; ti.linkname = "/etc/passwd"; t.addfile(ti)
	    elif kind == "dir":
	        ti.type = tarfile.DIRTYPE; t.addfile(ti)
	    else:
	        data = b"pwned\n"; ti.size = len(data); t.addfile(ti, io.BytesIO(data))
	open(out, "wb").write(subprocess.run(["zstd", "-q", "-c"], input=buf.getvalue(),
	                                     capture_output=True, check=True).stdout)
	PY
}

# A casebook in ./cb to import into; the state of its objects to compare afterwards.
setup_target() {
	mkdir cb && (cd cb && { irk id --email admin@example.org >/dev/null 2>&1; irk init >/dev/null; }) &&
	find cb/.irk/objects | sort >before
}
unchanged() {
	find cb/.irk/objects | sort | diff before - &&
	sqlite3 cb/.irk/irk.db "SELECT count(*) FROM entries WHERE kind=\"import\"" | grep -qx 0
}

test_expect_success 'a member climbing out with ../ is refused by verify and import' '
	setup_target && mkdir deep && evil_tar deep/e.irk "../../escaped" file &&
	(cd deep && test_must_fail 4 irk verify e.irk && grep -q "climbs out of the bundle" err) &&
	(cd cb && test_must_fail 4 irk import ../deep/e.irk && grep -q "climbs out" err) &&
	test ! -e escaped && test ! -e ../escaped && unchanged
'

test_expect_success 'a member with an absolute path is refused' '
	setup_target && evil_tar e.irk "$PWD/absolute-owned" file &&
	test_must_fail 4 irk verify e.irk && grep -q "has an absolute path" err &&
	(cd cb && test_must_fail 4 irk import ../e.irk) &&
	test ! -e absolute-owned && unchanged
'

test_expect_success 'symbolic links, hard links and directories inside a bundle are refused' '
	setup_target &&
	evil_tar s.irk "objects/$(printf %064d 0)" symlink &&
	test_must_fail 4 irk verify s.irk && grep -q "is a link, directory or device" err &&
	evil_tar h.irk "manifest.json" hardlink &&
	test_must_fail 4 irk verify h.irk && grep -q "is a link" err &&
	evil_tar d.irk "chains/" dir && test_must_fail 4 irk verify d.irk &&
	(cd cb && test_must_fail 4 irk import ../s.irk) && unchanged
'

test_expect_success 'a member with an unknown name is refused' '
	evil_tar u.irk "objects/../../x" file && test_must_fail 4 irk verify u.irk &&
	evil_tar v.irk "notes.txt" file && test_must_fail 4 irk verify v.irk &&
	grep -q "not part of an irk bundle" err
'

test_expect_success 'a file that is not an archive is refused' '
	setup_target && echo "hello, I am not a bundle" >n.irk &&
	test_must_fail 4 irk verify n.irk && grep -q "n.irk is not a bundle" err &&
	head -c 4096 /dev/urandom >r.irk && test_must_fail 4 irk verify r.irk &&
	: >empty.irk && test_must_fail 4 irk verify empty.irk &&
	(cd cb && test_must_fail 4 irk import ../n.irk) && unchanged
'

test_expect_success 'a truncated bundle is refused and imports nothing' '
	mkdir a && (cd a && setup_casebook && irk open x >/dev/null && seq 1 200000 >big &&
		    irk evidence add big >/dev/null && irk export 1 -o ../b.irk >/dev/null) &&
	setup_target &&
	size=$(stat -c %s b.irk) && head -c $((size / 2)) b.irk >t.irk &&
	test_must_fail 4 irk verify t.irk && grep -q "damaged or truncated" err &&
	(cd cb && test_must_fail 4 irk import ../t.irk) && unchanged
'

test_expect_success 'a bundle missing its manifest, or with a foreign format, is refused' '
	evil_tar m.irk "chains/incident.jsonl" file &&
	test_must_fail 4 irk verify m.irk && grep -q "no manifest.json" err &&
	mkdir x && echo "{\"format\":\"other/9\"}" >x/manifest.json &&
	(cd x && tar --zstd -cf ../f.irk manifest.json) &&
	test_must_fail 4 irk verify f.irk && grep -q "does not declare format" err
'

test_expect_success 'a missing bundle file is reported as not found' '
	test_must_fail 3 irk verify ./nope.irk
'

test_done
