#!/bin/sh
# t3010-verify-packages.sh - irk verify-packages against dpkg's checksums:
# on this machine's own packages, and on a copied admindir and file tree with
# one file modified, one missing, one replaced, a changed conffile and a
# package without md5sums.
. "$(dirname "$0")/../lib.sh"

# A small package of this machine that ships md5sums, or nothing.
pick_package() {
	for p in hostname sed grep gzip debianutils; do
		if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" &&
			test -f "/var/lib/dpkg/info/$p.md5sums"; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# Copy package $1's dpkg records to ./admin and its files to ./root.
copy_package() {
	mkdir -p admin/info root &&
	dpkg-query -s "$1" >admin/status && echo >>admin/status &&
	cp "/var/lib/dpkg/info/$1.md5sums" "/var/lib/dpkg/info/$1.list" admin/info/ &&
	cut -c35- "admin/info/$1.md5sums" | while read -r f; do
		mkdir -p "root/$(dirname "$f")" && cp -p "/$f" "root/$f" || exit 1
	done
}

if ! command -v dpkg-query >/dev/null 2>&1 || ! PKG=$(pick_package); then
	test_skip 'verify-packages on this machine' 'no dpkg database with md5sums here'
	test_done
	exit 0
fi

test_expect_success "an untouched installed package ($PKG) verifies, exit 0" '
	irk verify-packages "$PKG" >out &&
	grep -q "^1 packages, [1-9][0-9]* files and [0-9]* conffiles checked: 0 modified, 0 missing, 0 replaced" out
'

test_expect_success 'a copied admindir with one modified file reports exactly that file' '
	copy_package "$PKG" &&
	irk verify-packages --admindir admin --root "$PWD/root" >out &&
	victim=$(cut -c35- "admin/info/$PKG.md5sums" | head -n 1) &&
	printf "tampered" >>"root/$victim" &&
	test_must_fail 1 irk verify-packages --admindir admin --root "$PWD/root" --json &&
	grep -c "\"finding\"" out >n && test "$(cat n)" = 1 &&
	grep -q "\"finding\":\"modified\",\"package\":\"$PKG\",\"path\":\"$PWD/root/$victim\"" out &&
	want=$(head -n 1 "admin/info/$PKG.md5sums" | cut -c1-32) &&
	got=$(md5sum "root/$victim" | cut -c1-32) &&
	grep -q "\"expected_md5\":\"$want\",\"actual_md5\":\"$got\"" out &&
	grep -q "\"modified\":1,\"missing\":0" out
'

test_expect_success 'missing and replaced files are told apart' '
	copy_package "$PKG" &&
	n=$(wc -l <"admin/info/$PKG.md5sums") && test "$n" -ge 2 &&
	first=$(cut -c35- "admin/info/$PKG.md5sums" | sed -n 1p) &&
	second=$(cut -c35- "admin/info/$PKG.md5sums" | sed -n 2p) &&
	rm "root/$first" && rm "root/$second" && ln -s /etc/hostname "root/$second" &&
	test_must_fail 1 irk verify-packages --admindir admin --root "$PWD/root" &&
	grep -q "^missing  *$PKG  *$PWD/root/$first$" out &&
	grep -q "^replaced  *$PKG  *$PWD/root/$second$" out
'

test_expect_success 'conffiles are reported separately; packages without md5sums are named' '
	mkdir -p admin/info root/etc root/usr/bin &&
	echo "setting=1" >root/etc/fake.conf && echo tool >root/usr/bin/faketool &&
	sum=$(md5sum root/etc/fake.conf | cut -c1-32) &&
	printf "Package: fake\nStatus: install ok installed\nArchitecture: all\nConffiles:\n /etc/fake.conf %s\n /etc/old.conf 00000000000000000000000000000000 obsolete\n\n" "$sum" >admin/status &&
	printf "Package: nosums\nStatus: install ok installed\nArchitecture: all\n\n" >>admin/status &&
	printf "Package: gone\nStatus: deinstall ok config-files\nArchitecture: all\n\n" >>admin/status &&
	printf "/.\n/usr\n/usr/bin\n/usr/bin/faketool\n" >admin/info/nosums.list &&
	irk verify-packages --admindir admin --root "$PWD/root" >out &&
	grep -q "^no md5sums (files not checked): 1 package: nosums$" out &&
	echo "setting=2" >root/etc/fake.conf &&
	test_must_fail 1 irk verify-packages --admindir admin --root "$PWD/root" &&
	grep -q "^conffile-modified  *fake  *$PWD/root/etc/fake.conf$" out &&
	grep -q "conffiles: 1 modified, 0 missing" out
'

test_expect_success 'diversions are followed' '
	mkdir -p admin/info root/usr/bin &&
	echo real >root/usr/bin/tool.distrib && echo local >root/usr/bin/tool &&
	sum=$(md5sum root/usr/bin/tool.distrib | cut -c1-32) &&
	printf "Package: tool\nStatus: install ok installed\nArchitecture: all\n\n" >admin/status &&
	printf "%s  usr/bin/tool\n" "$sum" >admin/info/tool.md5sums &&
	printf "/usr/bin/tool\n/usr/bin/tool.distrib\n:\n" >admin/diversions &&
	irk verify-packages --admindir admin --root "$PWD/root" >out
'

test_expect_success 'a damaged md5sums file is refused with its name and line' '
	mkdir -p admin/info root &&
	printf "Package: bad\nStatus: install ok installed\nArchitecture: all\n\n" >admin/status &&
	printf "not a checksum line\n" >admin/info/bad.md5sums &&
	test_must_fail 4 irk verify-packages --admindir admin --root "$PWD/root" &&
	grep -q "admin/info/bad.md5sums:1: not an md5sums line" err
'

test_expect_success 'no dpkg database: a clear error with a hint' '
	test_must_fail 3 irk verify-packages --admindir nothere &&
	grep -q "hint: .*--admindir" err
'

test_expect_success 'verify-packages --attach records the outcome' '
	setup_casebook && irk open "packages check" >/dev/null &&
	copy_package "$PKG" &&
	irk verify-packages --admindir admin --root "$PWD/root" --attach 1 --report rep >out &&
	sum=$(sha256sum rep | cut -c1-64) &&
	irk show 1 --json | grep -q "$sum" &&
	irk verify >/dev/null
'

test_done
