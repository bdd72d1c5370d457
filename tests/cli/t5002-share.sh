#!/bin/sh
# t5002-share.sh - irk share: the site's lines, the timezone, consistent pseudonyms, the record.
. "$(dirname "$0")/../lib.sh"
. "$SRC_DIR/tests/comms/setup.sh"

# Incident 1 holds syslog lines about 198.51.100.23 naming local users and hosts.
setup_share() {
	setup_comms &&
	irk log 1 "Nov 21 08:00:01 web01 sshd[311]: Failed password for jdoe from 198.51.100.23 port 4242 ssh2" &&
	irk log 1 "Nov 21 08:00:05 web01 sshd[311]: Accepted password for bsmith from 198.51.100.23 port 4243 ssh2" &&
	irk log 1 "db1.corp.example.org (10.1.2.3) opened a session to 198.51.100.23 for user=bsmith" &&
	irk log 1 "Nov 21 08:02:00 web01 sshd[320]: Failed password for invalid user oracle from 198.51.100.23" &&
	irk log 1 "alice saw 198.51.100.23 on mail.example.org" &&
	irk log 1 "Nov 21 09:00:00 web02 sshd[400]: Failed password for root from 203.0.113.50" >/dev/null
}

test_expect_success 'only the lines about the site are shared, with the timezone stated' '
	setup_share &&
	irk share 1 --site 198.51.100.0/24 --to "CERT Example" >out 2>err &&
	test $(grep -c "198.51.100.23" out) -eq 5 &&
	! grep -q "203.0.113.50" out &&
	grep -q "^# Timezone: .*UTC" out && grep -q "log lines are UTC" out &&
	grep -q "recorded in INC-.*shared with CERT Example" err
'

test_expect_success 'no local user name or internal host is left; the attacker-tried name is kept' '
	setup_share &&
	irk share 1 --site 198.51.100.23 >out 2>/dev/null &&
	for secret in jdoe bsmith alice web01 db1.corp.example.org 10.1.2.3 mail.example.org; do
		! grep -qi "$secret" out || { echo "leaked: $secret"; exit 1; }
	done &&
	grep -q "invalid user oracle" out && grep -q "user-[0-9a-f]\{10\}" out &&
	grep -q "host-[0-9a-f]\{10\}" out && grep -q "addr-[0-9a-f]\{10\}" out
'

test_expect_success 'the same original maps to the same pseudonym throughout and across shares' '
	setup_share &&
	irk share 1 --site 198.51.100.23 >one 2>/dev/null &&
	irk share 1 --site 198.51.100.0/24 --format json >two 2>/dev/null &&
	h1=$(grep "Failed password for user-" one | sed "s/.*:00:01 \(host-[0-9a-f]*\) .*/\1/") &&
	h2=$(grep "Accepted password" one | sed "s/.*:00:05 \(host-[0-9a-f]*\) .*/\1/") &&
	test -n "$h1" && test "$h1" = "$h2" &&
	u1=$(grep "Accepted password" one | sed "s/.*for \(user-[0-9a-f]*\) .*/\1/") &&
	u2=$(grep "user=" one | sed "s/.*user=\(user-[0-9a-f]*\).*/\1/") &&
	test -n "$u1" && test "$u1" = "$u2" &&
	grep -q "$u1" two && grep -q "$h1" two &&
	jd=$(grep "Failed password for user-" one | sed "s/.*for \(user-[0-9a-f]*\) .*/\1/") &&
	test "$jd" != "$u1"
'

test_expect_success 'the share is recorded: with whom, what, and the hash of the output' '
	setup_share &&
	irk share 1 --site 198.51.100.0/24 --to abuse@example.net --output shared.txt 2>/dev/null &&
	sum=$(sha256sum shared.txt | cut -d" " -f1) &&
	irk show 1 --json >show.json &&
	grep -q "\"kind\":\"share\"" show.json && grep -q "$sum" show.json &&
	grep -q "abuse@example.net" show.json &&
	irk verify >/dev/null
'

test_expect_success '--no-record records nothing; a host name site works; json and xarf parse' '
	setup_share &&
	irk share 1 --site mail.example.org --no-record >out 2>&1 &&
	! irk show 1 | grep -q "share" &&
	irk share 1 --site 198.51.100.23 --format json --no-record >j &&
	python3 -c "import json,sys; d=json.load(open(\"j\")); assert d[\"timezone\"][\"logs\"]==\"UTC\" and len(d[\"lines\"])==5" &&
	irk share 1 --site 198.51.100.23 --format xarf --no-record >x &&
	python3 -c "import json; d=json.load(open(\"x\")); assert d[\"Version\"]==\"4\" and len(d[\"Report\"][\"Samples\"])==5"
'

test_expect_success 'a site that nothing mentions, or a malformed site, is a clear error' '
	setup_share &&
	test_must_fail 3 irk share 1 --site 192.0.2.0/24 && grep -q "nothing in INC-.* concerns 192.0.2.0/24" err &&
	test_must_fail 2 irk share 1 --site "not a site!" && grep -q "neither a CIDR range nor a host" err &&
	test_must_fail 2 irk share 1 &&
	test_must_fail 2 irk share 1 --site 198.51.100.23 --format xml
'

test_expect_success 'the share key is private and stable' '
	setup_share && irk share 1 --site 198.51.100.23 --no-record >a &&
	test "$(stat -c %a .irk/share.key)" = 600 &&
	irk share 1 --site 198.51.100.23 --no-record >b && cmp a b ||
	{ diff a b | grep -v Prepared | grep -q "^[<>]" && exit 1; true; }
'

test_done
