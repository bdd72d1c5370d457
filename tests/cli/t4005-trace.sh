#!/bin/sh
# t4005-trace.sh - irk trace: one request's events across JSON Lines and
# text logs, in time order, with the service each came from.
. "$(dirname "$0")/../lib.sh"

test_expect_success 'events of one trace id across files, in time order' '
	cat >api.jsonl <<-\EOF &&
	{"timestamp":"2026-11-21T10:00:02Z","service":"api","trace_id":"abc123","message":"charge card"}
	{"timestamp":"2026-11-21T10:00:00Z","service":"api","trace_id":"abc123","message":"request in"}
	{"timestamp":"2026-11-21T10:00:01Z","service":"api","trace_id":"zzz","message":"other request abc123x"}
	EOF
	cat >db.jsonl <<-\EOF &&
	{"ts":"2026-11-21T10:00:01.500Z","app":"db","traceId":"abc123","msg":"select"}
	EOF
	cat >web.log <<-\EOF &&
	2026-11-21T10:00:03Z web1 nginx[5]: done request_id=abc123 status=200
	2026-11-21T10:00:04Z web1 nginx[5]: done request_id=abc1234 status=200
	EOF
	irk trace abc123 api.jsonl db.jsonl web.log >out &&
	cat out &&
	test "$(wc -l <out)" = 4 &&
	sed -n 1p out | grep "10:00:00.000Z  api .*api.jsonl:2  request in" &&
	sed -n 2p out | grep "10:00:01.500Z  db .*db.jsonl:1  select" &&
	sed -n 3p out | grep "10:00:02.000Z  api .*charge card" &&
	sed -n 4p out | grep "10:00:03.000Z  nginx .*web.log:1" &&
	irk trace --json abc123 api.jsonl db.jsonl web.log >json &&
	test "$(grep -c "\"service\":" json)" = 4
'

test_expect_success 'a configured trace field, gzip input, and no match' '
	echo "{\"time\":\"2026-11-21T10:00:00Z\",\"ctx\":{\"rid\":\"r-9\"},\"message\":\"hello\"}" | gzip >a.jsonl.gz &&
	irk trace --trace-field ctx.rid r-9 a.jsonl.gz >out &&
	grep "a.jsonl.gz:1  hello" out &&
	test_must_fail 3 irk trace nothing-here a.jsonl.gz
'

test_done
