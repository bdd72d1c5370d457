#!/bin/sh
# t0004-durability.sh - killed writers and concurrent writers lose nothing.
. "$(dirname "$0")/../lib.sh"

test_expect_success 'irk log killed with SIGKILL 50 times keeps every reported entry' '
	setup_casebook && irk open "crash test" >/dev/null &&
	# Kill at a random moment within twice the time one append takes here,
	# so that about half the appends are cut short on a fast or a slow machine.
	t0=$(date +%s%N) && irk log 1 "timing" >/dev/null && t1=$(date +%s%N) &&
	span=$(( (t1 - t0) / 500000 + 1 )) &&
	: >reported &&
	i=0 &&
	while [ $i -lt 50 ]; do
		i=$((i + 1))
		# The binary itself, not the irk() wrapper: $! must be the process we kill.
		"$IRK" log 1 "entry number $i" >"out.$i" 2>/dev/null &
		pid=$!
		r=$(od -An -N2 -tu2 /dev/urandom | tr -d " ")
		sleep "$(printf "0.%03d" $((r % span % 1000)))"
		kill -9 $pid 2>/dev/null
		if wait $pid; then cat "out.$i" >>reported; fi
	done &&
	n=$(wc -l <reported) && echo "$n of 50 appends reported success" &&
	test "$n" -gt 0 && test "$n" -lt 50 &&
	irk verify &&
	while read -r inc seq hash; do
		test "$(sqlite3 -cmd ".timeout 5000" .irk/irk.db "SELECT count(*) FROM entries WHERE hash=\"$hash\"")" = 1 || return 1
	done <reported
'

# Append 500 entries to incident 1, each from its own irk process.
writer() {
	n=0
	while [ $n -lt 500 ]; do
		n=$((n + 1))
		irk log 1 "$1 $n" >/dev/null || return 1
	done
}

test_expect_success 'two processes appending 500 entries each: 1,000 entries, valid' '
	setup_casebook && irk open "concurrency" >/dev/null || return 1
	writer alpha &
	a=$!
	writer bravo &
	b=$!
	wait $a && wait $b &&
	test "$(sqlite3 .irk/irk.db "SELECT count(*) FROM entries WHERE chain LIKE \"INC-%\"")" = 1001 &&
	test "$(sqlite3 .irk/irk.db "SELECT count(DISTINCT text) FROM (SELECT json_extract(body, \"$.text\") AS text FROM entries WHERE chain LIKE \"INC-%\" AND seq > 1)")" = 1000 &&
	irk verify
'

test_expect_success 'incidents opened concurrently get distinct numbers' '
	setup_casebook &&
	for p in 1 2 3 4; do (for k in 1 2 3 4 5; do irk open "p$p-$k" >/dev/null || exit 1; done) & done &&
	wait &&
	test "$(irk list --json | wc -l)" = 20 &&
	test "$(sqlite3 .irk/irk.db "SELECT count(DISTINCT num) FROM incidents")" = 20 &&
	irk verify
'

test_expect_success 'irk verify while another process changes the casebook: never a false alarm' '
	{ setup_casebook && irk open "busy" >/dev/null || return 1; }
	# tasks change a projection table, so a verify that read the entries and
	# the tables at two moments would see a row the entries do not support
	( i=0; while [ $i -lt 120 ]; do i=$((i + 1)); "$IRK" task add 1 "task $i" >/dev/null || exit 1; done ) &
	writer=$! &&
	runs=0 && fails=0 &&
	while kill -0 $writer 2>/dev/null; do
		runs=$((runs + 1))
		"$IRK" verify >verify.out 2>&1 || { fails=$((fails + 1)); cat verify.out; }
	done &&
	wait $writer &&
	echo "$runs verify runs during the writes, $fails failed" &&
	test "$runs" -gt 0 && test "$fails" = 0 &&
	irk verify
'

test_done
