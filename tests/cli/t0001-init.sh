#!/bin/sh
# t0001-init.sh - identities and casebooks.
. "$(dirname "$0")/../lib.sh"

test_expect_success 'irk id creates a private identity and shows it again' '
	irk id --name "Ann Responder" --email ann@example.org >out &&
	grep -q "^key:   ann@example.org+" out &&
	f=$XDG_CONFIG_HOME/irk/identity &&
	test "$(stat -c %a "$f")" = 600 &&
	irk id --json >j &&
	python3 -c "import json,sys; d=json.load(open(\"j\")); assert d[\"email\"]==\"ann@example.org\" and not d[\"created\"]"
'

test_expect_success 'irk id honours IRK_KEY and never overwrites' '
	IRK_KEY=$PWD/k1 irk id --email one@example.org >/dev/null &&
	IRK_KEY=$PWD/k1 irk id --json | grep -q "\"email\":\"one@example.org\"" &&
	test -f k1
'

test_expect_success 'an identity readable by others is refused' '
	irk id --email ann@example.org >/dev/null &&
	chmod 644 "$XDG_CONFIG_HOME/irk/identity" &&
	test_must_fail 5 irk id &&
	grep -q "readable by others" err && grep -q "chmod 600" err
'

test_expect_success 'a damaged identity is refused' '
	printf "name: x\nemail: x@example.org\nseed: not-base64\n" >bad && chmod 600 bad &&
	IRK_KEY=$PWD/bad test_must_fail 5 irk id &&
	grep -q "damaged" err
'

test_expect_success 'a key name with a plus sign is refused' '
	test_must_fail 4 irk id --email "a+b@example.org"
'

test_expect_success 'init creates .irk with a database and refuses to run twice' '
	setup_casebook &&
	test -f .irk/irk.db && test -d .irk/objects &&
	test "$(stat -c %a .irk)" = 700 &&
	test_must_fail 8 irk init && grep -q "already exists" err
'

test_expect_success 'init without an identity says how to make one' '
	test_must_fail 5 irk init && grep -q "irk id" err
'

test_expect_success 'the casebook is found from a subdirectory, via IRK_DIR and via -C' '
	setup_casebook && mkdir -p a/b &&
	(cd a/b && irk list) &&
	(cd / && IRK_DIR=$OLDPWD/.irk irk list) &&
	irk -C a/b list
'

test_expect_success 'no casebook is a clear error with exit code 3' '
	irk id >/dev/null &&
	test_must_fail 3 irk list && grep -q "irk init" err
'

test_expect_success 'a foreign SQLite file and a corrupt one are refused' '
	setup_casebook &&
	mkdir other && sqlite3 other/irk.db "CREATE TABLE t(x)" &&
	IRK_DIR=$PWD/other test_must_fail 6 irk list && grep -q "not an irk casebook" err &&
	mkdir junk && head -c 8192 /dev/urandom >junk/irk.db &&
	IRK_DIR=$PWD/junk test_must_fail 6 irk list
'

test_expect_success 'member add and list, with roles' '
	setup_casebook &&
	key=$(IRK_KEY=$PWD/bob irk id --email bob@example.org --name Bob --json | python3 -c "import json,sys; print(json.load(sys.stdin)[\"vkey\"])") &&
	irk member add --key "$key" --name "Bob B" --role lead &&
	irk member list >out && grep -q "lead .*bob@example.org" out &&
	irk member list --json | grep -c "\"role\"" | grep -qx 2
'

test_expect_success 'only admins add members; bad keys and roles are refused' '
	setup_casebook &&
	key=$(IRK_KEY=$PWD/bob irk id --email bob@example.org --json | python3 -c "import json,sys; print(json.load(sys.stdin)[\"vkey\"])") &&
	irk member add --key "$key" &&
	key2=$(IRK_KEY=$PWD/eve irk id --email eve@example.org --json | python3 -c "import json,sys; print(json.load(sys.stdin)[\"vkey\"])") &&
	IRK_KEY=$PWD/bob test_must_fail 9 irk member add --key "$key2" && grep -q "cannot manage members" err &&
	test_must_fail 4 irk member add --key "nonsense+1234+abc" &&
	test_must_fail 2 irk member add --key "$key2" --role boss
'

test_expect_success 'a stranger cannot write to the casebook' '
	setup_casebook && irk open "x" >/dev/null &&
	IRK_KEY=$PWD/eve irk id --email eve@example.org >/dev/null &&
	IRK_KEY=$PWD/eve test_must_fail 5 irk log 1 "hello" && grep -q "not a member" err
'

test_done
