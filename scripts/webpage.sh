#!/bin/sh
# webpage.sh - one page of the web UI: web/layout.html (from its <!doctype>
# line on) with the page's fragment in place of the line @BODY@, its title
# for @TITLE@ and its script for @SCRIPT@.  A fragment of web/pages/ names
# both on its first line:
#   <!-- title: incident; script: incident.js -->
# Usage: webpage.sh LAYOUT FRAGMENT > page.html
set -eu
layout=$1
page=$2
meta=$(head -n 1 "$page")
title=$(printf '%s\n' "$meta" | sed -n 's/^<!-- title: \([^;]*\); script: [^ ]* -->$/\1/p')
script=$(printf '%s\n' "$meta" | sed -n 's/^<!-- title: [^;]*; script: \([^ ]*\) -->$/\1/p')
if [ -z "$title" ] || [ -z "$script" ]; then
	echo "webpage.sh: $page:1: want '<!-- title: T; script: S -->'" >&2
	exit 1
fi
awk -v title="$title" -v script="$script" -v page="$page" '
	BEGIN { gsub(/&/, "\\\\&", title); gsub(/&/, "\\\\&", script) } # gsub reads & as the match
	/^<!doctype/ { started = 1 }
	!started { next }
	/^@BODY@$/ { n = 0; while ((getline line < page) > 0) if (n++) print line; next }
	{ gsub(/@TITLE@/, title); gsub(/@SCRIPT@/, script); print }
' "$layout"
