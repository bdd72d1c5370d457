#!/bin/sh
# t7004 - every example in docs/API.md runs, in order, against a fresh server.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-serve.sh"

if ! command -v curl >/dev/null || ! command -v jq >/dev/null; then
	test_skip 'docs/API.md examples' 'curl or jq missing (scripts/bootstrap installs them)'
	serve_done
	exit
fi

test_expect_success 'the examples of docs/API.md pass' '
	serve_casebook && serve_start &&
	awk "/^\`\`\`sh\$/ { n++; f = sprintf(\"example.%02d\", n); next } /^\`\`\`\$/ { f = \"\"; next } f { print > f }" "$SRC_DIR/docs/API.md" &&
	test $(ls example.* | wc -l) -ge 10 &&
	for ex in example.*; do
		PATH=$(dirname "$IRK"):$PATH BASE=$BASE TOKEN=$(cat token.admin) LEAD_TOKEN=$(cat token.lead) \
			sh -e "$ex" >/dev/null || { echo "FAILED: $ex"; cat "$ex"; exit 1; }
	done &&
	serve_stop
'

serve_done
