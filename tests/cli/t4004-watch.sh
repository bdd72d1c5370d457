#!/bin/sh
# t4004-watch.sh - irk watch: appended lines, partial lines, rotation (while
# stopped), truncation and restarts: every finding reported exactly once.
. "$(dirname "$0")/../lib.sh"

root_login() { # $1 = second, $2 = address
	echo "Nov 21 10:00:$1 web1 sshd[1$1]: Accepted password for root from $2 port 22 ssh2"
}

watch_once() {
	irk watch --once --json --year 2026 --state state.json "$@" auth.log >>found
}

test_expect_success 'appends, partial lines and restarts: each finding once' '
	root_login 01 192.0.2.1 >auth.log &&
	watch_once &&
	test "$(grep -c "SSH login as root" found)" = 1 &&
	watch_once &&
	test "$(grep -c "SSH login as root" found)" = 1 &&
	root_login 02 192.0.2.2 >>auth.log &&
	root_login 03 192.0.2.3 | tr -d "\n" >>auth.log &&
	watch_once &&
	test "$(grep -c "SSH login as root" found)" = 2 &&
	echo >>auth.log &&
	watch_once &&
	test "$(grep -c "SSH login as root" found)" = 3 &&
	grep "192.0.2.3" found | grep "\"line\":3"
'

test_expect_success 'rotation while stopped: the rest of the old file, then the new one' '
	root_login 01 192.0.2.1 >auth.log &&
	watch_once &&
	root_login 02 192.0.2.2 >>auth.log &&
	mv auth.log auth.log.1 &&
	root_login 03 192.0.2.3 >auth.log &&
	watch_once &&
	test "$(grep -c "SSH login as root" found)" = 3 &&
	grep "192.0.2.2" found | grep "auth.log.1\",\"line\":2" &&
	grep "192.0.2.3" found | grep "auth.log\",\"line\":1" &&
	watch_once &&
	test "$(grep -c "SSH login as root" found)" = 3
'

test_expect_success 'truncation starts the file again' '
	root_login 01 192.0.2.1 >auth.log &&
	root_login 02 192.0.2.2 >>auth.log &&
	watch_once &&
	: >auth.log &&
	root_login 03 192.0.2.3 >auth.log &&
	watch_once &&
	test "$(grep -c "SSH login as root" found)" = 3 &&
	grep "192.0.2.3" found
'

test_expect_success 'rotation while running is followed (background watcher)' '
	root_login 01 192.0.2.1 >auth.log &&
	irk watch --json --year 2026 --state state.json --interval 1 auth.log >found 2>err &
	pid=$! &&
	i=0; while ! grep -q 192.0.2.1 found && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done &&
	root_login 02 192.0.2.2 >>auth.log &&
	mv auth.log auth.log.1 &&
	root_login 03 192.0.2.3 >auth.log &&
	i=0; while ! grep -q 192.0.2.3 found && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done &&
	kill $pid && wait $pid;
	test "$(grep -c "SSH login as root" found)" = 3 &&
	test "$(grep -c 192.0.2.2 found)" = 1
'

test_expect_success 'findings go into the casebook once, across restarts' '
	setup_casebook &&
	irk open "watching" >/dev/null &&
	root_login 01 192.0.2.1 >auth.log &&
	irk watch --once --year 2026 --attach 1 auth.log >out 2>err &&
	grep "recorded 1 finding" out &&
	rm .irk/watch-state.json &&
	irk watch --once --year 2026 --attach 1 auth.log >out 2>err &&
	grep "recorded 0 findings (1 already recorded)" out &&
	irk show --json 1 >show &&
	test "$(grep -o "\"kind\":\"finding\"" show | wc -l)" = 1
'

test_expect_success 'watch --open opens one incident and keeps adding to it' '
	setup_casebook &&
	root_login 01 192.0.2.1 >auth.log &&
	irk watch --once --year 2026 --open auth.log >out 2>err &&
	grep "^opened INC-" out &&
	root_login 02 192.0.2.2 >>auth.log &&
	irk watch --once --year 2026 --open auth.log >out 2>err &&
	! grep "^opened" out &&
	irk list --json >list &&
	test "$(grep -o "\"id\":\"INC-" list | wc -l)" = 1
'

test_expect_success 'webhook receives each finding as a JSON POST' '
	cat >hook.py <<-\EOF &&
	import http.server, sys
	class H(http.server.BaseHTTPRequestHandler):
	    def do_POST(self):
	        body = self.rfile.read(int(self.headers["Content-Length"]))
	        open("posted", "ab").write(body + b"\n")
	        self.send_response(204); self.end_headers()
	    def log_message(self, *a): pass
	s = http.server.HTTPServer(("127.0.0.1", 0), H)
	open("port", "w").write(str(s.server_address[1]))
	s.timeout = 10
	s.handle_request()
	EOF
	python3 hook.py &
	pid=$! &&
	i=0; while [ ! -s port ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done &&
	root_login 01 192.0.2.1 >auth.log &&
	irk watch --once --year 2026 --state s.json --webhook "http://127.0.0.1:$(cat port)/hook" auth.log >out 2>err &&
	wait $pid &&
	grep "\"rule\":\"SSH login as root\"" posted &&
	grep "192.0.2.1" posted
'

test_expect_success 'a line longer than a read block is one malformed line: its tail is no event' '
	# 4 MiB of x, then what looks like a root login, on one line; then a real one
	{ head -c 4194304 /dev/zero | tr "\\000" x && root_login 01 198.51.100.6; } >long.log &&
	root_login 02 198.51.100.7 >>long.log &&
	irk watch --once --json --year 2026 --state long.json long.log >long-found 2>long-err &&
	grep 198.51.100.7 long-found &&
	! grep 198.51.100.6 long-found &&
	grep "\"line\": 2" long.json
'

test_expect_success 'bad options are refused' '
	test_must_fail 2 irk watch --once &&
	test_must_fail 2 irk watch --once --webhook https://example.org/x auth.log
'

test_done
