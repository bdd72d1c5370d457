#!/bin/sh
# t4001-scan-access.sh - the access-log parser and the web rules, on the
# Elastic Apache sample (expected values computed here with awk and grep).
. "$(dirname "$0")/../lib.sh"

if have_shared; then
f=$SHARED/data/elastic-apache_access.log

test_expect_success 'the access-log parser reads every line of the sample' '
	irk scan --format access --strict "$f" >/dev/null 2>summary &&
	n=$(awk "END{print NR}" "$f") &&
	test "$n" -gt 9000 &&
	grep "irk scan: $n lines in 1 file, $n events, 0 malformed" summary
'

test_expect_success 'the 5xx rule reports every server error in the data' '
	want=$(awk "\$9 ~ /^5[0-9][0-9]\$/" "$f" | wc -l) &&
	test "$want" -gt 0 &&
	irk scan --json "$f" 2>/dev/null >out &&
	got=$(grep "\"rule\":\"Web server error (5xx)\"" out |
		sed "s/.*\"count\":\([0-9]*\).*/\1/" | awk "{s+=\$1} END{print s+0}") &&
	echo "want $want got $got" &&
	test "$want" = "$got" &&
	ips=$(awk "\$9 ~ /^5/ {print \$1}" "$f" | sort -u | tr "\n" " ") &&
	for ip in $ips; do grep "Web server error" out | grep -q "\"$ip\"" || exit 1; done
'

test_expect_success 'the scanning rule reports every probing request in the data' '
	want=$(awk "{print \$7}" "$f" | grep -ciE "/wp-login\.php|/xmlrpc\.php|/\.env|/\.git/|/phpmyadmin|/administrator/|/admin\.php|/cgi-bin/|/etc/passwd|/fckeditor|/boaform|/vendor/phpunit|\.\./|\.\.%2f|%2e%2e") &&
	test "$want" -gt 0 &&
	irk scan --json "$f" 2>/dev/null >out &&
	got=$(grep "\"rule\":\"Web scanning" out |
		sed "s/.*\"count\":\([0-9]*\).*/\1/" | awk "{s+=\$1} END{print s+0}") &&
	echo "want $want got $got" &&
	test "$want" = "$got"
'
else
	test_skip 'access log sample' 'no ../shared/data'
fi

test_expect_success 'common and combined formats, odd requests, status bursts' '
	for i in 1 2 3 4 5 6 7 8 9 10 11; do
		echo "192.0.2.5 - bob [21/Nov/2026:10:00:0$((i % 10)) +0100] \"POST /login HTTP/1.1\" 401 12"
	done >access.log &&
	echo "192.0.2.6 - - [21/Nov/2026:10:00:00 +0000] \"\\x16\\x03\\x01\" 400 0 \"-\" \"-\"" >>access.log &&
	irk scan --json access.log >out 2>err &&
	grep "0 malformed" err &&
	grep "Burst of 401/403 responses to one client" out | grep "\"count\":11" &&
	grep "Burst of 401" out | grep "\"user\":\[\"bob\"\]"
'

test_done
