#!/bin/sh
# t4000-scan-ssh.sh - irk scan on sshd logs: the brute-force rule against an
# expected set computed here with awk, repeated messages, JSON Lines output.
. "$(dirname "$0")/../lib.sh"

# Sources with >= 5 failed logins inside any 10-minute window (sliding,
# inclusive), counting "message repeated N times" as N: computed without irk.
expected_bruteforce() {
	awk '
	BEGIN { split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", m, " "); for (i = 1; i <= 12; i++) mon[m[i]] = i }
	{
		w = 1; line = $0
		if (match(line, /message repeated [0-9]+ times: \[ /)) {
			w = substr(line, RSTART + 17) + 0
		}
		if (line !~ /sshd(-session)?\[[0-9]+\]: (message repeated [0-9]+ times: \[ )?Failed [^ ]+ for /) next
		if (!match(line, / from [0-9a-fA-F.:]+ port /)) next
		ip = substr(line, RSTART + 6, RLENGTH - 12)
		split($3, hms, ":")
		t = ((mon[$1] * 31 + $2) * 86400) + hms[1] * 3600 + hms[2] * 60 + hms[3]
		n[ip]++; T[ip, n[ip]] = t; W[ip, n[ip]] = w
		sum = 0
		for (k = n[ip]; k >= 1; k--) { if (T[ip, k] < t - 600) break; sum += W[ip, k] }
		if (sum >= 5) hit[ip] = 1
	}
	END { for (ip in hit) print ip }' "$1" | sort
}

if have_shared; then
test_expect_success 'brute force: flagged sources equal the independently computed set' '
	f=$SHARED/data/loghub-OpenSSH_2k.log &&
	expected_bruteforce "$f" >expected &&
	test -s expected &&
	irk scan --json "$f" >findings 2>summary &&
	grep "\"rule\":\"SSH brute force from one source\"" findings |
		sed "s/.*\"group\":{\"src_ip\":\"\([^\"]*\)\".*/\1/" | sort -u >actual &&
	cat expected actual &&
	cmp expected actual
'

test_expect_success 'every line of the OpenSSH sample is read, none malformed' '
	f=$SHARED/data/loghub-OpenSSH_2k.log &&
	irk scan "$f" >/dev/null 2>summary &&
	n=$(awk "END{print NR}" "$f") &&
	grep "irk scan: $n lines in 1 file, $n events, 0 malformed" summary
'
else
	test_skip 'brute force on the OpenSSH sample' 'no ../shared/data'
	test_skip 'every line of the OpenSSH sample is read' 'no ../shared/data'
fi

cat >"$TEST_ROOT/auth.log" <<'LOG'
Nov 21 10:00:00 web1 sshd[100]: Failed password for root from 198.51.100.7 port 40000 ssh2
Nov 21 10:00:01 web1 sshd[100]: message repeated 3 times: [ Failed password for root from 198.51.100.7 port 40000 ssh2]
Nov 21 10:00:02 web1 sshd-session[101]: Failed password for invalid user bob from 198.51.100.7 port 40001 ssh2
Nov 21 10:00:03 web1 sshd[102]: Failed password for alice from 203.0.113.9 port 50000 ssh2
Nov 21 10:30:03 web1 sshd[103]: Failed password for alice from 203.0.113.9 port 50001 ssh2
LOG

test_expect_success 'repeated messages count N times; separate windows do not add up' '

	irk scan --json --year 2026 "$TEST_ROOT/auth.log" >out 2>err &&
	grep -c "SSH brute force" out >n &&
	test "$(cat n)" = 1 &&
	grep "SSH brute force" out | grep "\"count\":5" &&
	grep "SSH brute force" out | grep "198.51.100.7" &&
	! grep "SSH brute force.*203.0.113.9" out
'

test_expect_success 'text output names rule, window, entities and first/last lines' '
	irk scan --year 2026 "$TEST_ROOT/auth.log" >out 2>err &&
	grep "^high *SSH brute force from one source  \[2026-11-21T10:00:00.000Z .. 2026-11-21T10:00:02.000Z\]  count=5 src_ip=198.51.100.7" out &&
	grep "first .*auth.log:1: " out &&
	grep "last  .*auth.log:3: " out
'

test_expect_success 'gzip input and stdin give the same findings' '
	irk scan --json --year 2026 "$TEST_ROOT/auth.log" >plain 2>/dev/null &&
	gzip -c "$TEST_ROOT/auth.log" >auth.log.gz &&
	irk scan --json --year 2026 auth.log.gz | sed "s/auth.log.gz/F/g" >gz 2>/dev/null &&
	sed "s|$TEST_ROOT/auth.log|F|g" plain >plain2 &&
	cmp plain2 gz &&
	irk scan --json --year 2026 <"$TEST_ROOT/auth.log" | sed "s|\"file\":\"-\"|\"file\":\"F\"|g" >stdin &&
	cmp plain2 stdin
'

test_expect_success 'malformed lines are counted, and --strict fails on the first' '
	printf "%s\n" "Nov 21 10:00:00 h sshd[1]: ok" "not a log line" >bad.log &&
	irk scan bad.log 2>err &&
	grep "1 malformed" err &&
	grep "bad.log:2:" err &&
	test_must_fail 4 irk scan --strict bad.log &&
	grep "bad.log:2: malformed line" err
'

test_done
