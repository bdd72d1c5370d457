#!/bin/sh
# t3002-baseline-bad-input.sh - unreadable files and directories are reported
# and skipped; a file that changes while it is hashed is reported as such;
# --attach records the outcome in an incident.
. "$(dirname "$0")/../lib.sh"

# Run irk as an unprivileged user (root reads everything); HOME stays ours.
as_user() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups -- "$IRK" "$@"
	else
		"$IRK" "$@"
	fi
}

# A world-accessible directory for the unprivileged run.
setup_user() {
	mkdir -p u && chmod 777 u && cd u &&
	export HOME=$PWD/home XDG_CONFIG_HOME=$PWD/home/.config &&
	mkdir -p home && chmod 777 home &&
	as_user id --email nobody@example.org >/dev/null &&
	mkdir -p tree/closed tree/open && echo x >tree/open/f && echo y >tree/closed/f &&
	echo secret >tree/private && chmod -R a+rX tree && chmod 777 tree .
}

test_expect_success 'unreadable files and directories are reported and skipped' '
	setup_user &&
	chmod 000 tree/closed && chmod 000 tree/private &&
	as_user baseline create -o base tree 2>warn >out &&
	grep -q "cannot read directory $PWD/tree/closed: Permission denied" warn &&
	grep -q "cannot read $PWD/tree/private: Permission denied" warn &&
	grep "^$PWD/tree/private	" base | grep -q "	unreadable	" &&
	grep "^$PWD/tree/closed	" base | grep -q "	unreadable	" &&
	! grep -q "closed/f" base &&
	as_user baseline check -q --baseline base >out &&
	grep -q "^0 added, 0 removed, 0 changed, 0 skipped" out
'

test_expect_success 'a file that becomes unreadable: its mode change is reported, its content skipped' '
	setup_user &&
	as_user baseline create -q -o base tree >/dev/null &&
	chmod 000 tree/private tree/closed &&
	test_must_fail 1 as_user baseline check -q --baseline base --json &&
	grep "\"path\":\"$PWD/tree/private\"" out >p &&
	grep -q "\"change\":\"changed\".*\"mode\":{\"old\":\"0644\",\"new\":\"0000\"}" p &&
	grep -q "\"flags\":\[\"mode\",\"unreadable\"\]" p && ! grep -q sha256 p &&
	grep "\"path\":\"$PWD/tree/closed\"" out | grep -q "\"unreadable\"" &&
	! grep -q "closed/f" out
'

test_expect_success 'a file that changes while it is hashed is reported as such' '
	irk id --email a@example.org >/dev/null && mkdir tree &&
	dd if=/dev/zero of=tree/busy bs=1M count=64 2>/dev/null &&
	( while test -f go; do printf x | dd of=tree/busy bs=1 seek=5 conv=notrunc 2>/dev/null; done ) &
	touch go &&
	n=0 && while [ $n -lt 20 ]; do
		irk baseline create -o base tree 2>warn >/dev/null
		grep -q "tree/busy changed while it was being hashed" warn && break
		n=$((n + 1))
	done
	rm -f go; wait
	grep -q "tree/busy changed while it was being hashed" warn &&
	grep "^$PWD/tree/busy	" base | grep -q "	changing	"
'

test_expect_success 'check --attach records the outcome in the incident' '
	setup_casebook && irk open "web server compromise" >/dev/null &&
	mkdir tree && echo a >tree/a &&
	irk baseline create -q -o base tree >/dev/null &&
	echo b >tree/b &&
	test_must_fail 1 irk baseline check -q --baseline base --attach 1 --report rep.jsonl &&
	grep -q "^recorded in INC-" out &&
	sum=$(sha256sum rep.jsonl | cut -c1-64) &&
	irk show 1 --json >show && grep -q "baseline.check" show && grep -q "$sum" show &&
	irk verify >/dev/null
'

test_expect_success 'attaching to a closed or unknown incident is refused' '
	setup_casebook &&
	mkdir tree && echo a >tree/a &&
	irk baseline create -q -o base tree >/dev/null &&
	test_must_fail 3 irk baseline check -q --baseline base --attach 99
'

test_done
