#!/bin/sh
# t4660-watch-prefilter.sh - irk watch keeps one scanner for all the blocks
# it reads: the PCRE2 prefilter's count of a format's lines carries from
# block to block, so a watch whose blocks are each too small to judge still
# switches the prefilter off where it spares nothing; --prefilter-info says
# so when the watch stops, and the findings stay those of a watch without
# a prefilter.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-prefilter.sh"

# lines $1..$2, every one holding the texts of both rules below
lines() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		for (i = a; i <= b; i++)
			printf "Nov 21 10:%02d:%02d gw sshd[%d]: Failed password for root from 203.0.113.%d port %d ssh2\n", int(i / 60) % 60, i % 60, 100 + i % 50, i % 7, 40000 + i;
	}'
}

dense_rules "$TEST_ROOT/both.yml"

# wait until `found` holds $1 findings (the watcher has read what was appended;
# up to 90 s: a sanitizer build on a loaded machine once had not shown the first
# block after 30 s, not reproduced since)
wait_found() {
	i=0
	while [ "$(grep -c "^{" found)" -lt "$1" ] && [ $i -lt 900 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	test "$(grep -c "^{" found)" = "$1"
}

test_expect_success 'blocks of 300 lines: switched off after 1,000 lines in all, same findings' '
	: >auth.log &&
	: >found && # before the watcher starts: wait_found may look first
	# "$IRK", not the irk function: $! must be the watcher itself, for the kill
	IRK_NO_HYPERSCAN=1 "$IRK" watch --json --year 2026 --state state.json --interval 1 \
		--prefilter-info --rules "$TEST_ROOT/both.yml" auth.log >found 2>err &
	pid=$! &&
	for k in 0 1 2 3 4; do
		lines $((k * 300 + 1)) $((k * 300 + 300)) >>auth.log &&
		wait_found $((k * 600 + 600)) || break
	done &&
	kill $pid && wait $pid;
	test "$(grep -c "^{" found)" = 3000 &&
	grep "^irk watch: prefilter: pcre2" err &&
	grep "^irk watch: prefilter: switched off for syslog lines: it let through 100% of the rules" err &&
	irk watch --once --json --year 2026 --state s1.json --no-prefilter \
		--rules "$TEST_ROOT/both.yml" auth.log >unfiltered 2>/dev/null &&
	sort found >a &&
	sort unfiltered >b &&
	cmp a b
'

test_expect_success 'without --prefilter-info the watch says nothing of it' '
	lines 1 10 >small.log &&
	irk watch --once --json --year 2026 --state s2.json --rules "$TEST_ROOT/both.yml" small.log >out 2>err &&
	! grep prefilter err
'

test_done
