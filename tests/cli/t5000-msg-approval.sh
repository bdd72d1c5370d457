#!/bin/sh
# t5000-msg-approval.sh - drafting, the two-person rule, publishing, follow-ups.
. "$(dirname "$0")/../lib.sh"
. "$SRC_DIR/tests/comms/setup.sh"
GOOD=$SRC_DIR/tests/comms/good-users.txt

test_expect_success 'a draft is recorded, linted and listed' '
	setup_comms &&
	irk msg draft 1 --audience users --file "$GOOD" >out &&
	grep -q "drafted message 1 for users" out && grep -q "0 errors" out &&
	irk msg list >out && grep -q "^1 .*users .*draft" out &&
	irk show 1 | grep -q "msg.draft"
'

test_expect_success 'a draft from the template reports its unfilled placeholders' '
	setup_comms &&
	irk msg template 1 --audience users >t.md &&
	grep -q "Fake sign-in page" t.md && grep -q "Example Ltd" t.md &&
	grep -q "Who is not affected" t.md &&
	irk msg draft 1 --audience users --file t.md >out &&
	grep -q "error: comms.unfilled" out
'

if command -v script >/dev/null 2>&1; then
test_expect_success 'on a terminal, draft opens $EDITOR on the filled template' '
	setup_comms &&
	printf "#!/bin/sh\ngrep -q \"Fake sign-in page\" \"\$1\" && cp \"%s\" \"\$1\"\n" "$GOOD" >ed.sh &&
	chmod +x ed.sh &&
	EDITOR=$PWD/ed.sh script -qec "\"$IRK\" msg draft 1 --audience users" /dev/null >out &&
	grep -q "drafted message 1" out &&
	irk msg show 1 --json | python3 -c "import json,sys; assert json.load(sys.stdin)[\"text\"] == open(sys.argv[1]).read()" "$GOOD" &&
	printf "#!/bin/sh\nexit 3\n" >fail.sh && chmod +x fail.sh &&
	EDITOR=$PWD/fail.sh script -qec "\"$IRK\" msg draft 1 --audience users" /dev/null >out;
	grep -q "the editor .* failed; nothing was recorded" out && irk msg list | grep -c "^[0-9]" | grep -q "^1$"
'
else
test_skip 'on a terminal, draft opens $EDITOR on the filled template' 'no script(1)'
fi

test_expect_success 'a casebook template overrides the bundled one' '
	setup_comms && mkdir -p .irk/templates &&
	printf "Our own notice about {{title}} ({{id}}), severity {{severity}}.\n" \
		>.irk/templates/user-notice.md &&
	irk msg template 1 --audience users >out &&
	grep -q "^Our own notice about Fake sign-in page (INC-[0-9]*-0001), severity high.$" out &&
	printf "{{nosuch}}\n" >.irk/templates/press.md &&
	test_must_fail 4 irk msg template 1 --audience press &&
	grep -q "unknown placeholder {{nosuch}}" err
'

test_expect_success 'an unknown audience or template is refused' '
	setup_comms &&
	test_must_fail 2 irk msg draft 1 --audience everyone --file "$GOOD" &&
	grep -q "unknown audience" err &&
	test_must_fail 3 irk msg template 1 --template nosuch && grep -q "no template" err
'

test_expect_success 'an unapproved message cannot be published' '
	setup_comms && irk msg draft 1 --audience users --file "$GOOD" >/dev/null &&
	test_must_fail 8 irk msg publish 1 --via file --to out.txt &&
	grep -q "message 1 is not approved" err && ! test -e out.txt &&
	! irk show 1 | grep -q msg.publish
'

test_expect_success 'the author cannot approve their own message' '
	setup_comms && irk msg draft 1 --audience users --file "$GOOD" >/dev/null &&
	test_must_fail 9 irk msg approve 1 &&
	grep -q "you wrote message 1, so you cannot approve it" err &&
	grep -q "two-person rule" err &&
	! irk show 1 | grep -q msg.approve
'

test_expect_success 'another member approves; the published file verifies against the hash' '
	setup_comms && irk msg draft 1 --audience users --file "$GOOD" >/dev/null &&
	as_bob msg approve 1 >out && grep -q "approved message 1" out &&
	irk msg publish 1 --via file --to notice.txt >out &&
	cmp notice.txt "$GOOD" &&
	sum=$(sha256sum notice.txt | cut -d" " -f1) &&
	grep -q "$sum" out && test "$(msg_sha 1)" = "$sum" &&
	irk show 1 --json | python3 "$SRC_DIR/tests/comms/check-publish.py" "$sum"
'

test_expect_success 'a message edited after approval cannot be published until approved again' '
	setup_comms && irk msg draft 1 --audience users --file "$GOOD" >/dev/null &&
	as_bob msg approve 1 >/dev/null &&
	sed "s/two-step/two-factor/" "$GOOD" >edited.txt &&
	irk msg edit 1 --file edited.txt >/dev/null &&
	irk msg list | grep -q "^1 .*stale" &&
	test_must_fail 8 irk msg publish 1 --via stdout &&
	grep -q "edited after it was approved" err &&
	as_bob msg approve 1 >/dev/null &&
	irk msg publish 1 --via stdout >pub.txt 2>/dev/null && cmp pub.txt edited.txt &&
	irk verify >out && grep -q "^ok" out
'

test_expect_success 'the last editor cannot approve either' '
	setup_comms && irk msg draft 1 --audience users --file "$GOOD" >/dev/null &&
	as_bob msg edit 1 --file "$GOOD" >/dev/null &&
	test_must_fail 9 as_bob msg approve 1 && grep -q "last edited message 1" err
'

test_expect_success 'public and press messages need a lead to approve them' '
	setup_comms &&
	irk msg draft 1 --audience press --file "$SRC_DIR/tests/comms/good-press.txt" >/dev/null &&
	test_must_fail 9 as_bob msg approve 1 &&
	grep -q "cannot approve a public or press message (needs lead" err &&
	as_bob msg draft 1 --audience press --file "$SRC_DIR/tests/comms/good-press.txt" >/dev/null &&
	irk msg approve 2 >/dev/null
'

test_expect_success 'a message with lint errors cannot be approved' '
	setup_comms &&
	printf "URGENT!! Reset your password now.\n" >bad.txt &&
	irk msg draft 1 --audience users --file bad.txt >/dev/null &&
	test_must_fail 1 as_bob msg approve 1 && grep -q "lint error" err &&
	grep -q "comms.shouting" out
'

test_expect_success 'a published file is never overwritten' '
	setup_comms && irk msg draft 1 --audience users --file "$GOOD" >/dev/null &&
	as_bob msg approve 1 >/dev/null && echo keep >notice.txt &&
	test_must_fail 8 irk msg publish 1 --via file --to notice.txt &&
	grep -q "already exists" err && test "$(cat notice.txt)" = keep
'

test_expect_success 'sendmail: the text goes to the program with To and Subject headers' '
	setup_comms && irk msg draft 1 --audience users --file "$GOOD" >/dev/null &&
	as_bob msg approve 1 >/dev/null &&
	printf "#!/bin/sh\necho \"\$*\" >args\ncat >mail\n" >fake-sendmail && chmod +x fake-sendmail &&
	IRK_SENDMAIL=$PWD/fake-sendmail irk msg publish 1 --via sendmail --to "users@example.org" >out &&
	grep -q "^-t -i" args && grep -q "^To: users@example.org" mail &&
	grep -q "^Subject: Fake sign-in page" mail &&
	sed "1,/^\$/d" mail >body && cmp body "$GOOD" &&
	test_must_fail 3 irk msg publish 1 --via sendmail --to x@example.org --sendmail ./nonexistent
'

test_expect_success 'webhook: the text is POSTed to an http:// URL' '
	setup_comms && irk msg draft 1 --audience users --file "$GOOD" >/dev/null &&
	as_bob msg approve 1 >/dev/null &&
	python3 "$SRC_DIR/tests/comms/webhook.py" port body &
	for i in 1 2 3 4 5 6 7 8 9 10; do test -s port && break; sleep 1; done &&
	irk msg publish 1 --via webhook --to "http://127.0.0.1:$(cat port)/hook" >out &&
	wait && cmp body "$GOOD" &&
	test_must_fail 4 irk msg publish 1 --via webhook --to https://example.org/ &&
	grep -q "not an http:// URL" err
'

test_expect_success 'after publication and resolution, follow-ups are scheduled until done' '
	setup_comms && irk msg draft 1 --audience users --file "$GOOD" >/dev/null &&
	as_bob msg approve 1 >/dev/null && irk msg publish 1 --via stdout >/dev/null 2>&1 &&
	irk msg list >out && ! grep -q "follow-ups" out &&
	irk close 1 --resolution resolved >/dev/null &&
	irk msg list >out && grep -q "resolved update .*upcoming" out &&
	grep -q "recap" out && grep -q "postmortem" out &&
	irk msg list --json | grep "\"kind\":\"follow-up\"" >due.jsonl &&
	test $(wc -l <due.jsonl) -eq 3 &&
	irk msg draft 1 --audience users --template resolved --file "$GOOD" >/dev/null &&
	as_bob msg approve 2 >/dev/null && irk msg publish 2 --via stdout >/dev/null 2>&1 &&
	irk msg list --json | grep "\"kind\":\"follow-up\"" >due.jsonl &&
	test $(wc -l <due.jsonl) -eq 2 && ! grep -q "resolved update" due.jsonl
'

test_expect_success 'an internal message alone schedules no follow-ups' '
	setup_comms &&
	irk msg draft 1 --audience internal --file "$SRC_DIR/tests/comms/good-internal.txt" >/dev/null &&
	as_bob msg approve 1 >/dev/null && irk msg publish 1 --via stdout >/dev/null 2>&1 &&
	irk close 1 --resolution resolved >/dev/null &&
	irk msg list --json >out && ! grep -q follow-up out
'

test_expect_success 'msg show prints the text and the approval; --json has it all' '
	setup_comms && irk msg draft 1 --audience users --file "$GOOD" >/dev/null &&
	as_bob msg approve 1 >/dev/null &&
	irk msg show 1 >out && grep -q "approved_by *bob@example.org" out &&
	grep -q "Who is not affected" out &&
	irk msg show 1 --json | python3 -c "import json,sys; m=json.load(sys.stdin); assert m[\"state\"]==\"approved\" and m[\"approved_sha256\"]==m[\"sha256\"]" &&
	test_must_fail 3 irk msg show 9 && test_must_fail 2 irk msg show x
'

test_done
