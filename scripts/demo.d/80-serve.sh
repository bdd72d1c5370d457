# 80-serve.sh - demo step: the team server - a token, a few API calls, SIGTERM.
[ -d .irk ] || { run id --name "Demo Admin" --email admin@example.org && run init; }
say "The team server runs as a member of its own; its entries name who asked"
IRK_KEY="$DEMO/server.key" "$IRK_BIN" id --name "Team server" --email server@example.org >/dev/null
run member add --key "$(IRK_KEY="$DEMO/server.key" "$IRK_BIN" id | sed -n 's/^key: *//p')" --role lead --server
say "Scripts use API tokens (stored hashed; shown once)"
TOKEN=$("$IRK_BIN" token create --label demo --days 1 2>/dev/null)
run token list
"$IRK_BIN" serve --listen 127.0.0.1:0 --key "$DEMO/server.key" --ready-file "$DEMO/port" \
	--access-log "$DEMO/access.log" 2>"$DEMO/serve.err" &
SERVE_PID=$!
while [ ! -s "$DEMO/port" ]; do sleep 0.1; done
BASE=http://127.0.0.1:$(cat "$DEMO/port")
say "irk serve is listening on $BASE (the web UI is at $BASE/)"
api() { # METHOD PATH [JSON]
	echo "\$ curl -X $1 $BASE$2 ${3:+-d '$3'}"
	if [ $# -gt 2 ]; then
		curl -s -X "$1" -H "Authorization: Bearer $TOKEN" -d "$3" "$BASE$2"
	else
		curl -s -X "$1" -H "Authorization: Bearer $TOKEN" "$BASE$2"
	fi
	echo
}
api POST /api/v1/incidents '{"title":"Suspicious OAuth app in the tenant","severity":"high"}'
SINC=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/incidents" |
	sed 's/.*"id":"\([^"]*\)","title":"Suspicious OAuth app.*/\1/')
api POST "/api/v1/incidents/$SINC/entries" '{"text":"revoked the app consent tenant-wide","kind":"action"}'
api GET "/api/v1/incidents/$SINC/entries?after=1"
say "Tasks and messages go through the same library checks as the commands"
api POST "/api/v1/incidents/$SINC/tasks" '{"title":"List the users who granted consent","due":"1h"}'
api POST "/api/v1/incidents/$SINC/tasks/1/ack" '{"eta":"20m"}'
api POST "/api/v1/incidents/$SINC/messages" '{"audience":"internal","text":"An OAuth app asked for mail access; consent is revoked. Do not approve app requests you do not expect."}'
say "The author cannot approve their own message: the two-person rule holds through the server"
api POST /api/v1/messages/1/approve
say "A request without credentials is refused, in JSON with a stable code"
echo "\$ curl -X POST $BASE/api/v1/incidents/$SINC/phase"
curl -s -X POST -d '{"phase":"triage"}' "$BASE/api/v1/incidents/$SINC/phase"; echo
say "SIGTERM: the server finishes what it accepted, then stops"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID" || true
tail -n 2 "$DEMO/access.log"
