#!/bin/sh
# t7002 - the web UI in headless chromium (tests/browser/ui.test.js).
# Screenshots are kept in build/artifacts/browser/.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-serve.sh"

BROWSER_DIR=$SRC_DIR/tests/browser
ARTIFACTS=$SRC_DIR/build/artifacts/browser
if ! command -v node >/dev/null || ! command -v curl >/dev/null || ! command -v jq >/dev/null ||
	[ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
	test_skip 'web UI in a browser' 'node, curl, jq or chromium missing (scripts/bootstrap installs them)'
	serve_done
	exit
fi
if [ ! -d "$BROWSER_DIR/node_modules/playwright-core" ]; then
	test_skip 'web UI in a browser' 'tests/browser/node_modules missing (run scripts/bootstrap)'
	serve_done
	exit
fi

test_expect_success 'log in, follow an incident live, change its phase, ack a task, approve a message' '
	serve_casebook &&
	irk open --severity high "Credential stuffing on the portal" >/dev/null &&
	irk task add 1 "Rotate the portal API keys" --owner responder@example.org >/dev/null &&
	printf "%s\n" "Nov 21 10:06:00 web1 useradd[200]: new user: name=backdoor, UID=1001, GID=1001, home=/home/backdoor, shell=/bin/bash, from=/dev/pts/0" >auth.log &&
	irk scan --year 2026 --attach 1 auth.log >/dev/null 2>&1 &&
	serve_start &&
	test "$(api responder POST /api/v1/incidents/1/messages "{\"audience\":\"internal\",\"text\":\"The portal sees a credential stuffing wave. Expect forced password resets for affected accounts.\"}")" = 201 &&
	rm -f "$ARTIFACTS"/*.png &&
	node "$BROWSER_DIR/ui.test.js" "$BASE" "$ARTIFACTS" "Credential stuffing on the portal" &&
	for shot in login dashboard-laptop incident-laptop incident-phone incident-contained incident-task-acked \
		incident-message-approved-phone report metrics metrics-phone dashboard-after; do
		test -s "$ARTIFACTS/$shot.png" || { echo "missing screenshot $shot"; exit 1; }
	done &&
	serve_stop &&
	irk show 1 | grep "blocked 203.0.113.7" &&
	test "$(irk task list 1 --json | jq -r .state)" = acked &&
	irk msg show 1 --json >msg && test "$(jq -r .state msg)" = approved &&
	irk show --json 1 | jq -e "[.log[] | select(.kind == \"msg.approve\") | .data.on_behalf_of.email] == [\"lead@example.org\"]" &&
	irk verify
'

serve_done
