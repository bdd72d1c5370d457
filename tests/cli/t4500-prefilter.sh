#!/bin/sh
# t4500-prefilter.sh - the prefilter (irk/prefilter.h) never changes what a
# scan finds: findings and counts with the prefilter (Hyperscan, and PCRE2
# with IRK_NO_HYPERSCAN=1) and without it (--no-prefilter) are byte for byte
# the same, on the shared real data, on a mixed sample of every format, with
# the bundled rules and with rules that use every kind of value and condition.
. "$(dirname "$0")/../lib.sh"

FIX=$TEST_ROOT/fixtures
mkdir -p "$FIX"

# Every format, the auth messages the extractor knows, odd cases (upper case,
# repeated, RFC 5424 and RFC 3339 times, CRLF, garbage, an escaped JSON value).
cat >"$FIX/mixed.log" <<'LOG'
Nov 21 10:00:01 gw sshd[11]: Failed password for invalid user admin from 203.0.113.5 port 40001 ssh2
Nov 21 10:00:02 gw sshd[11]: Failed password for root from 203.0.113.5 port 40002 ssh2
Nov 21 10:00:03 gw sshd[11]: FAILED PASSWORD FOR ROOT FROM 203.0.113.5 PORT 40003 SSH2
Nov 21 10:00:04 gw sshd[12]: message repeated 3 times: [ Failed password for bob from 10.1.2.3 port 50000 ssh2]
Nov 21 10:00:05 gw sshd[13]: Accepted publickey for svcbackup from 10.1.2.3 port 50001 ssh2
Nov 21 10:00:06 gw sshd[13]: pam_unix(sshd:session): session opened for user svcbackup(uid=1001) by (uid=0)
Nov 21 10:00:07 gw sshd[14]: Invalid user oracle from 198.51.100.7
Nov 21 10:00:08 gw sshd[14]: reverse mapping checking getaddrinfo for x.example [198.51.100.7] failed - POSSIBLE BREAK-IN ATTEMPT!
Nov 21 10:00:09 gw sshd[15]: Did not receive identification string from 192.0.2.1
Nov 21 10:00:10 gw sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/vi /etc/ssh/sshd_config
Nov 21 10:00:11 gw sudo:    mallory : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/sh
Nov 21 10:00:12 gw su[20]: FAILED SU (to root) mallory on pts/1
Nov 21 10:00:13 gw useradd[21]: new user: name=backdoor, UID=0, GID=0, home=/root, shell=/bin/bash
Nov 21 10:00:14 gw usermod[22]: add 'backdoor' to group 'sudo'
Nov 21 10:00:15 gw kernel: [ 12.3] eth0: link up
Nov 21 10:00:16 gw gw[1]: a user named like the host
Nov 21 10:00:17 gw CRON[30]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)
<34>1 2026-11-21T10:00:18.000Z gw sshd 31 - - Failed password for carol from 203.0.113.9 port 40018 ssh2
2026-11-21T10:00:19.123456+00:00 gw sshd[32]: Failed keyboard-interactive/pam for dave from 203.0.113.9 port 40019 ssh2
203.0.113.50 - - [21/Nov/2026:10:00:20 +0000] "GET /admin/login.php HTTP/1.1" 404 153 "-" "curl/8"
203.0.113.50 - - [21/Nov/2026:10:00:21 +0000] "GET /wp-login.php HTTP/1.1" 401 12 "-" "curl/8"
203.0.113.50 - - [21/Nov/2026:10:00:22 +0000] "GET /../../etc/passwd HTTP/1.1" 500 0 "-" "curl/8"
{"@timestamp":"2026-11-21T10:00:23Z","event":{"action":"login","outcome":"failure"},"user":{"name":"erin"},"source":{"ip":"203.0.113.77"}}
{"@timestamp":"2026-11-21T10:00:24Z","event":{"action":"log\u0069n","outcome":"success"},"user":{"name":"erin"},"message":"Failed password for root"}
not a log line at all
Nov 21 10:00:25 gw sshd[33]: Connection closed by 203.0.113.5 port 40025 [preauth]
Nov 21 10:00:26 gw sshd[34]: Failed password for root from 203.0.113.5 port 40026 ssh2
Nov 21 10:00:27 gw sudo:    gw : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/true
LOG
printf 'Nov 21 10:00:28 gw sshd[34]: Failed password for root from 203.0.113.5 port 40028 ssh2\r\n' >>"$FIX/mixed.log"

# Keywords, cased, re, not, |all, cidr, categories, JSON, a field syslog
# never has, derived fields, exists, null, fieldref, wildcards, 1 of them.
cat >"$FIX/rules.yml" <<'RULES'
title: keyword anywhere
id: 00000000-0000-4000-8000-000000000001
logsource:
  product: linux
detection:
  keywords:
    - 'possible break-in'
    - 'Did not receive'
  condition: keywords
level: low
---
title: cased message
id: 00000000-0000-4000-8000-000000000002
logsource:
  product: linux
detection:
  selection:
    message|contains|cased: 'Invalid user'
  condition: selection
level: low
---
title: regular expression
id: 00000000-0000-4000-8000-000000000003
logsource:
  product: linux
detection:
  selection:
    message|re: 'port 4[0-9]{4}'
  condition: selection
level: low
---
title: failures but not for root
id: 00000000-0000-4000-8000-000000000004
logsource:
  product: linux
  service: sshd
detection:
  selection:
    action: login
    outcome: failure
  filter:
    user: root
  condition: selection and not filter
level: low
---
title: all of the words
id: 00000000-0000-4000-8000-000000000005
logsource:
  product: linux
detection:
  selection:
    message|contains|all:
      - 'failed'
      - 'ROOT'
  condition: selection
level: low
---
title: ends with ssh2 from a 10 or 203 address
id: 00000000-0000-4000-8000-000000000006
logsource:
  product: linux
detection:
  selection:
    message|endswith: 'ssh2'
  nets:
    src_ip|cidr:
      - '10.0.0.0/8'
      - '203.0.113.0/24'
  condition: selection and nets
level: low
---
title: web admin probes
id: 00000000-0000-4000-8000-000000000007
logsource:
  category: webserver
detection:
  selection:
    url|contains: '/ADMIN'
  condition: selection
level: low
---
title: json login events
id: 00000000-0000-4000-8000-000000000008
logsource:
  product: json
detection:
  selection:
    event.action: 'login'
  condition: selection
level: low
---
title: a field syslog never has
id: 00000000-0000-4000-8000-000000000009
logsource:
  product: linux
detection:
  selection:
    http.status: '500'
  condition: selection
level: low
---
title: pam sessions of service accounts
id: 00000000-0000-4000-8000-00000000000a
logsource:
  product: linux
detection:
  selection:
    action: session_open
    user|startswith: 'svc'
  condition: selection
level: low
---
title: sshd lines without a port
id: 00000000-0000-4000-8000-00000000000b
logsource:
  product: linux
  service: sshd
detection:
  selection:
    src_port|exists: false
  condition: selection
level: low
---
title: no user at all
id: 00000000-0000-4000-8000-00000000000c
logsource:
  product: linux
  service: auth
detection:
  selection:
    user: null
  condition: selection
level: low
---
title: user named like the host
id: 00000000-0000-4000-8000-00000000000d
logsource:
  product: linux
detection:
  selection:
    user|fieldref: host
  condition: selection
level: low
---
title: one of two selections, wildcards inside
id: 00000000-0000-4000-8000-00000000000e
detection:
  a:
    message|contains: 'sess*opened'
  b:
    message: '*by (uid=?)'
  condition: 1 of them
logsource:
  product: linux
level: low
---
title: anything without a logsource field
id: 00000000-0000-4000-8000-00000000000f
logsource:
  service: syslog
detection:
  selection:
    program: 'KERNEL'
  condition: selection
level: low
RULES

# Scan $1 three ways (extra arguments go to every scan); fail unless all agree.
same_three_ways() {
	f=$1
	shift
	irk scan --json "$@" "$f" >with 2>&1 &&
	irk scan --json --no-prefilter "$@" "$f" >without 2>&1 &&
	IRK_NO_HYPERSCAN=1 irk scan --json "$@" "$f" >pcre2 2>&1 &&
	cmp without with &&
	cmp without pcre2
}

if have_shared; then
test_expect_success 'shared data, bundled rules: with and without the prefilter, Hyperscan and PCRE2' '
	n=0 &&
	for f in "$SHARED"/data/*.log; do
		same_three_ways "$f" &&
		grep -q "\"rule\":" with &&
		n=$((n + 1)) || exit 1
	done &&
	test $n -ge 2
'

test_expect_success 'shared data concatenated (formats mixed line by line), and on one thread' '
	cat "$SHARED"/data/*.log "$FIX/mixed.log" >all.log &&
	same_three_ways all.log &&
	same_three_ways all.log --threads 1 &&
	grep -q "SSH brute force" with
'

test_expect_success 'syslog and access lines taking turns line by line (each format searched in the same block)' '
	paste -d "\n" "$SHARED/data/loghub-OpenSSH_2k.log" "$SHARED/data/elastic-apache_access.log" |
		grep -v "^\$" >turns.log &&
	same_three_ways turns.log --threads 1 &&
	grep -q "SSH brute force" with &&
	grep -q "Web" with
'
else
test_skip 'shared data, bundled rules: with and without the prefilter' 'no ../shared/data'
test_skip 'shared data concatenated' 'no ../shared/data'
test_skip 'syslog and access lines taking turns' 'no ../shared/data'
fi

test_expect_success 'mixed formats, bundled rules: the same three ways' '
	same_three_ways "$FIX/mixed.log" &&
	grep -q "SSH server configuration or keys changed with sudo" with &&
	grep -q "Web scanning" with &&
	grep -q "Application login" with
'

test_expect_success 'every kind of value and condition: the same three ways, and they find' '
	same_three_ways "$FIX/mixed.log" --rules "$FIX/rules.yml" &&
	for rule in "keyword anywhere" "cased message" "regular expression" \
		"failures but not for root" "all of the words" "ends with ssh2" \
		"web admin probes" "json login events" "pam sessions of service accounts" \
		"sshd lines without a port" "no user at all" "user named like the host" \
		"one of two selections" "anything without a logsource field"; do
		grep -q "\"rule\":\"$rule" with || { echo "no finding of $rule"; exit 1; }
	done &&
	! grep -q "a field syslog never has" with
'

test_expect_success 'the summary counts every line, parsed or only checked' '
	irk scan --rules "$FIX/rules.yml" "$FIX/mixed.log" >/dev/null 2>with &&
	irk scan --no-prefilter --rules "$FIX/rules.yml" "$FIX/mixed.log" >/dev/null 2>without &&
	cmp without with &&
	grep "29 lines in 1 file, 28 events, 1 malformed" with
'

test_expect_success '--strict stops at the same malformed line either way' '
	test_must_fail 4 irk scan --strict "$FIX/mixed.log" &&
	mv err with &&
	test_must_fail 4 irk scan --strict --no-prefilter "$FIX/mixed.log" &&
	cmp err with &&
	grep "mixed.log:25:" with
'

test_done
