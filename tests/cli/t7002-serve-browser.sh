#!/bin/sh
# t7002 - the web UI in headless chromium (tests/browser/ui.test.js).
# Screenshots are kept in build/artifacts/browser/.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-serve.sh"

BROWSER_DIR=$SRC_DIR/tests/browser
ARTIFACTS=$SRC_DIR/build/artifacts/browser
if ! command -v node >/dev/null || [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
	test_skip 'web UI in a browser' 'node or chromium missing (scripts/bootstrap installs them)'
	serve_done
	exit
fi
if [ ! -d "$BROWSER_DIR/node_modules/playwright-core" ]; then
	test_skip 'web UI in a browser' 'tests/browser/node_modules missing (run scripts/bootstrap)'
	serve_done
	exit
fi

test_expect_success 'log in, follow an incident live in two browsers, change its phase' '
	serve_casebook &&
	irk open --severity high "Credential stuffing on the portal" >/dev/null &&
	irk task add 1 "Rotate the portal API keys" --owner responder@example.org >/dev/null &&
	serve_start &&
	node "$BROWSER_DIR/ui.test.js" "$BASE" "$ARTIFACTS" "Credential stuffing on the portal" &&
	test -s "$ARTIFACTS/incident-phone.png" &&
	serve_stop &&
	irk show 1 | grep "blocked 203.0.113.7" &&
	irk verify
'

serve_done
