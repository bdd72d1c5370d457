# lib-serve.sh - helpers for the tests of `irk serve` (sourced after lib.sh).
#
# serve_casebook   a casebook with an admin (you), a server member (key in
#                  ./server.key, role $SERVER_ROLE, default admin) and one
#                  member per role: viewer@, responder@, lead@, admin@
#                  example.org, each with the password "pw-<role>-secret" and a
#                  token in ./token.<role>
# serve_start      start the server on a free port (PORT, BASE, ./serve.pid)
# serve_stop       SIGTERM and wait (and forget its pid)
# api ROLE METHOD PATH [BODY]   a request with ROLE's token; prints the HTTP
#                  status, the body is in ./body
# member_key FILE  the verifier key of an identity file
# serve_done       instead of test_done: also stops servers that failed tests left

member_key() { IRK_KEY=$1 irk id | sed -n 's/^key: *//p'; }

serve_casebook() {
	setup_casebook admin@example.org "Admin Example" &&
	IRK_KEY=$PWD/server.key irk id --name "Team Server" --email server@example.org >/dev/null &&
	irk member add --key "$(member_key "$PWD/server.key")" --role "${SERVER_ROLE:-admin}" --server >/dev/null &&
	for r in viewer responder lead; do
		IRK_KEY=$PWD/$r.key irk id --name "$r person" --email $r@example.org >/dev/null &&
		irk member add --key "$(member_key "$PWD/$r.key")" --role $r >/dev/null &&
		echo "pw-$r-secret" | irk member passwd $r@example.org >/dev/null &&
		irk token create --member $r@example.org --label test >token.$r 2>/dev/null || return 1
	done &&
	echo "pw-admin-secret" | irk member passwd >/dev/null &&
	irk token create --label test >token.admin 2>/dev/null
}

serve_start() {
	rm -f port
	"$IRK" serve --listen 127.0.0.1:0 --key "$PWD/server.key" --ready-file port \
		--access-log access.log "$@" 2>serve.err &
	echo $! >serve.pid
	i=0
	while [ ! -s port ] && [ $i -lt 100 ]; do
		kill -0 "$(cat serve.pid)" 2>/dev/null || { cat serve.err; return 1; }
		sleep 0.1
		i=$((i + 1))
	done
	PORT=$(cat port) && BASE=http://127.0.0.1:$PORT && [ -n "$PORT" ]
}

# The pid file goes with the server: a pid is soon another process's.
serve_stop() {
	[ -f serve.pid ] || return 0
	kill -TERM "$(cat serve.pid)" 2>/dev/null
	wait "$(cat serve.pid)" 2>/dev/null
	rm -f serve.pid
	return 0
}

api() {
	role=$1 method=$2 path=$3
	shift 3
	if [ $# -gt 0 ]; then
		curl -s -o body -w '%{http_code}' -X "$method" -H "Authorization: Bearer $(cat token.$role)" \
			-H 'Content-Type: application/json' --data-binary "$1" "$BASE$path"
	else
		curl -s -o body -w '%{http_code}' -X "$method" -H "Authorization: Bearer $(cat token.$role)" \
			"$BASE$path"
	fi
}

# The error code and reason of ./body: "code/reason".
err_of() { jq -r '.error.code + "/" + .error.reason' body; }

serve_done() {
	for f in "$TEST_ROOT"/*/serve.pid; do
		[ -f "$f" ] && grep -q serve "/proc/$(cat "$f")/cmdline" 2>/dev/null &&
			kill -TERM "$(cat "$f")" 2>/dev/null
	done
	test_done
}
