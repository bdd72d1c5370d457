# setup.sh - shared set-up for the communication tests (t5000-t5999).
# setup_comms: a casebook with alice (admin, the default identity), bob (a
# responder, IRK_KEY=$PWD/bob.key), the settings in tests/comms/config and
# incident 1 open.  as_bob CMD runs irk as bob.
setup_comms() {
	setup_casebook alice@example.org Alice &&
	cat "$SRC_DIR/tests/comms/config" >>.irk/config &&
	irk open "Fake sign-in page" --severity high >/dev/null &&
	IRK_KEY=$PWD/bob.key irk id --name Bob --email bob@example.org >bob.out &&
	irk member add --key "$(awk '/^key:/ {print $2}' bob.out)" --role responder >/dev/null
}
as_bob() { IRK_KEY=$PWD/bob.key irk "$@"; }
# The "sha256" of message $1 as irk msg show --json reports it.
msg_sha() {
	irk msg show "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["sha256"])'
}
