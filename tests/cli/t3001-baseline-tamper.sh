#!/bin/sh
# t3001-baseline-tamper.sh - a baseline that is not exactly what its owner
# signed is refused: a changed byte, a swapped signature, a stranger's
# signature, truncation, another format.
. "$(dirname "$0")/../lib.sh"

setup() {
	irk id --email a@example.org >/dev/null &&
	mkdir tree && echo one >tree/one && echo two >tree/two &&
	irk baseline create -q -o base tree >/dev/null
}

test_expect_success 'a byte changed in a record is refused (exit 10)' '
	setup &&
	sed "s/	0644	/	0645	/" base >bad && ! cmp -s base bad &&
	test_must_fail 10 irk baseline check -q --baseline bad &&
	grep -q "does not match its own trailer" err &&
	! test -s out
'

test_expect_success 'a byte changed in the header is refused by the signature' '
	setup &&
	sed "s/^host .*/host elsewhere/" base >bad &&
	test_must_fail 10 irk baseline check -q --baseline bad &&
	grep -q "signature does not verify" err
'

test_expect_success 'records and trailer rewritten consistently are refused by the signature' '
	setup &&
	python3 - base bad <<-\PY
	import hashlib, sys
	lines = open(sys.argv[1]).read().split("\n")
	i = lines.index("records") + 1
	j = next(k for k, l in enumerate(lines) if l.startswith("end "))
	lines[i + 1] = lines[i + 1].replace("\t0644\t", "\t4755\t")
	body = "".join(l + "\n" for l in lines[i:j])
	lines[j] = "end %d %s" % (j - i, hashlib.sha256(body.encode()).hexdigest())
	open(sys.argv[2], "w").write("\n".join(lines))
	PY
	test_must_fail 10 irk baseline check -q --baseline bad &&
	grep -q "signature does not verify" err
'

test_expect_success 'a signature swapped in from another baseline is refused' '
	setup &&
	echo three >tree/three && irk baseline create -q -o other tree >/dev/null &&
	{ grep -v "^signature " base; grep "^signature " other; } >bad &&
	test_must_fail 10 irk baseline check -q --baseline bad &&
	grep -q "signature does not verify" err
'

test_expect_success 'a baseline re-signed by a stranger is refused, unless trusted' '
	setup &&
	IRK_KEY=$PWD/stranger irk id --email s@example.org >/dev/null &&
	IRK_KEY=$PWD/stranger irk baseline create -q -o theirs tree >/dev/null &&
	test_must_fail 10 irk baseline check -q --baseline theirs &&
	grep -q "signed by key .* which is not yours" err &&
	vkey=$(IRK_KEY=$PWD/stranger irk id | sed -n "s/^key: *//p") &&
	irk baseline check -q --baseline theirs --trust "$vkey" >out &&
	grep -q "^0 added" out
'

test_expect_success 'a truncated baseline is refused' '
	setup &&
	head -n 5 base >bad &&
	test_must_fail 4 irk baseline check -q --baseline bad && grep -q "truncated" err &&
	grep -v "^signature " base >bad &&
	test_must_fail 4 irk baseline check -q --baseline bad && grep -q "truncated: it ends before its signature" err &&
	head -c -10 base >bad &&
	test_must_fail 4 irk baseline check -q --baseline bad && grep -q "truncated" err
'

test_expect_success 'a file of another format is refused with a clear error' '
	setup &&
	printf "# AIDE database\n@@begin_db\n" >aide.db &&
	test_must_fail 4 irk baseline check -q --baseline aide.db &&
	grep -q "not an irk baseline" err &&
	sed "1s/.*/irk-baseline 2/" base >v2 &&
	test_must_fail 4 irk baseline check -q --baseline v2 &&
	grep -q "format .2., which this irk does not read" err &&
	: >empty && test_must_fail 4 irk baseline check -q --baseline empty && grep -q "is empty" err
'

test_expect_success 'records out of order or duplicated are refused' '
	setup &&
	python3 - base bad <<-\PY
	import sys
	lines = open(sys.argv[1]).read().split("\n")
	i = lines.index("records") + 1
	lines[i + 1], lines[i + 2] = lines[i + 2], lines[i + 1]
	open(sys.argv[2], "w").write("\n".join(lines))
	PY
	test_must_fail 4 irk baseline check -q --baseline bad &&
	grep -q "out of order" err
'

test_expect_success 'a missing baseline says how to make one' '
	irk id --email a@example.org >/dev/null &&
	test_must_fail 3 irk baseline check --baseline nothere &&
	grep -q "irk baseline create" err
'

test_done
