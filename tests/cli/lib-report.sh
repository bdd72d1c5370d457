# lib-report.sh - helpers shared by the report tests (t6000-t6999): sourced
# after tests/lib.sh.

# Seconds since the epoch of a UTC time (GNU date).
secs() { date -u -d "$1" +%s; }

# Well-formed XML (SVG, and irk's HTML, which is XHTML): python3's expat.
check_xml() {
	python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$1"
}

# Parse as HTML too (python3's html.parser): every opened element closed in
# order, and no <script> anywhere (record text must never become markup).
check_html() {
	python3 - "$1" <<'PY'
import sys
from html.parser import HTMLParser
VOID = {"br", "meta", "hr", "img", "input", "link", "col", "area", "base", "wbr"}
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []
    def handle_starttag(self, tag, attrs):
        if tag == "script":
            sys.exit("script element found")
        if tag not in VOID:
            self.stack.append(tag)
    def handle_startendtag(self, tag, attrs):
        if tag == "script":
            sys.exit("script element found")
    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            sys.exit("unbalanced </%s>, open: %s" % (tag, self.stack[-3:]))
        self.stack.pop()
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
p.close()
if p.stack:
    sys.exit("unclosed: %s" % p.stack)
PY
}

# A field of a JSON document on stdin: jget 'd["periods"][0]["incidents"]'.
jget() {
	python3 -c 'import sys, json; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}

have_chromium() { command -v chromium >/dev/null 2>&1; }

# Screenshot a page with headless Chromium into build/artifacts/ (kept for
# people to look at) and check that a PNG came out.
screenshot() { # $1 = page, $2 = name
	art="$SRC_DIR/build/artifacts"
	mkdir -p "$art" &&
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$PWD/chromium-profile" --window-size=1100,1400 \
		--screenshot="$art/$2.png" "file://$PWD/$1" >/dev/null 2>&1 &&
	test "$(head -c 4 "$art/$2.png" | tail -c 3)" = "PNG"
}
