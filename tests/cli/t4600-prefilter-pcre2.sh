#!/bin/sh
# t4600-prefilter-pcre2.sh - the PCRE2 prefilter (irk/prefilter.h): irk scan
# --prefilter-info names the engine that ran and its searches; when on a
# block it lets through nearly every rule on nearly every line, the PCRE2
# prefilter switches itself off for that format, says so, and the findings
# stay the same as without a prefilter; where it spares rules it stays on.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-prefilter.sh"

# $1 lines, each holding a text ("Failed "), from a few addresses; $2 = 1 makes
# only every third line hold one.  A 1 MiB chunk holds about 11,000 of them.
gen() {
	awk -v n="$1" -v sparse="$2" 'BEGIN {
		for (i = 0; i < n; i++) {
			t = sprintf("Nov 21 %02d:%02d:%02d", int(i / 3600) % 24, int(i / 60) % 60, i % 60);
			if (!sparse || i % 3 == 0)
				printf "%s gw sshd[%d]: Failed password for root from 203.0.113.%d port %d ssh2\n", t, 100 + i % 50, i % 7, 40000 + i % 20000;
			else
				printf "%s gw sshd[%d]: Connection closed by 198.51.100.%d port %d [preauth]\n", t, 100 + i % 50, i % 7, 40000 + i % 20000;
		}
	}'
}

test_expect_success '--prefilter-info names the engine: PCRE2 when asked, none with --no-prefilter' '
	gen 100 0 >small.log &&
	IRK_NO_HYPERSCAN=1 irk scan --quiet --prefilter-info small.log >/dev/null 2>err &&
	grep "^irk scan: prefilter: pcre2, [0-9]* texts, searches per block: syslog [1-9][0-9]*, access [1-9][0-9]*, json 0;" err &&
	! grep "switched off" err &&
	irk scan --quiet --no-prefilter --prefilter-info small.log >/dev/null 2>err &&
	grep "^irk scan: prefilter: none (--no-prefilter)" err &&
	irk scan --quiet --prefilter-info small.log >/dev/null 2>err &&
	grep -E "^irk scan: prefilter: (hyperscan|pcre2), " err &&
	# Hyperscan too searches a format only for its own texts: JSON rules have none
	if grep -q "^irk scan: prefilter: hyperscan" err; then
		grep "searches per block: syslog 1, access 1, json 0;" err
	fi
'

test_expect_success 'the summary is unchanged without --prefilter-info' '
	gen 100 0 >small.log &&
	IRK_NO_HYPERSCAN=1 irk scan small.log >/dev/null 2>err &&
	! grep prefilter err
'

dense_rules "$TEST_ROOT/both.yml"

test_expect_success 'every line holds the texts of every rule: PCRE2 switches itself off for syslog, same findings' '
	gen 140000 0 >dense.log &&
	IRK_NO_HYPERSCAN=1 irk scan --json --threads 1 --prefilter-info --rules "$TEST_ROOT/both.yml" dense.log >pcre2 2>err &&
	grep "^irk scan: prefilter: switched off for syslog lines: it let through 100% of the rules" err &&
	grep "140000 lines in 1 file" err &&
	irk scan --json --threads 1 --no-prefilter --rules "$TEST_ROOT/both.yml" dense.log >without 2>/dev/null &&
	cmp without pcre2 &&
	grep -q "failed passwords" pcre2 &&
	grep -q "protocol two" pcre2 &&
	IRK_NO_HYPERSCAN=1 irk scan --json --threads 2 --prefilter-info --rules "$TEST_ROOT/both.yml" dense.log >pcre2-threads 2>err &&
	grep "^irk scan: prefilter: switched off for syslog lines" err &&
	cmp without pcre2-threads
'

# stays_on SPARSE: on gen's lines ($2 = SPARSE) with the bundled rules,
# PCRE2 stays on and finds what no prefilter finds
stays_on() {
	gen 140000 "$1" >in.log &&
	IRK_NO_HYPERSCAN=1 irk scan --json --threads 1 --prefilter-info in.log >pcre2 2>err &&
	grep "^irk scan: prefilter: pcre2" err &&
	! grep "switched off" err &&
	irk scan --json --threads 1 --no-prefilter in.log >without 2>/dev/null &&
	cmp without pcre2 &&
	grep -q "SSH brute force" pcre2
}

test_expect_success 'every line holds a text, but of a few of the bundled rules only: PCRE2 stays on' '
	stays_on 0
'

test_expect_success 'one line in three holds a text: PCRE2 stays on, same findings' '
	stays_on 1
'

test_done
