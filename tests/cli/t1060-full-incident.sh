#!/bin/sh
# t1060-full-incident.sh - a whole scripted incident from a playbook to close,
# then irk verify replays every handling entry.
. "$(dirname "$0")/../lib.sh"

test_expect_success 'open --playbook, crew, tasks, assessment, notifications, phases, close, verify' '
	setup_casebook alice@example.org &&
	vkey=$(IRK_KEY=bob.key irk id --name Bob --email bob@example.org --json |
		sed "s/.*\"vkey\":\"\([^\"]*\)\".*/\1/") &&
	irk member add --key "$vkey" --role responder >/dev/null &&
	irk contact add "Exec Team" --role management --channel email:exec@example.org >/dev/null &&
	irk contact add "Data Protection Authority" --role regulator --channel web-form:https://dpa.example/ >/dev/null &&
	irk contact add "Counsel" --role legal --channel phone:+1-555-0199 >/dev/null &&
	irk open "SQL injection on the shop, customer table read" --playbook web-compromise >/dev/null &&
	irk role 1 tech bob@example.org >/dev/null &&
	irk role 1 comms alice@example.org >/dev/null &&
	irk task add 1 "Pull the WAF logs for the search endpoint" --owner bob@example.org --due 1h >/dev/null &&
	IRK_KEY=bob.key irk task ack 1 10 --eta 20m >/dev/null &&
	irk task ack 1 1 --eta 15m >/dev/null &&
	irk assess 1 --real yes --hosts 2 --data personal --damage high \
		--symptom "data-tampering:rows changed in orders table" --entry-point "search parameter" >/dev/null &&
	irk phase 1 triage >/dev/null &&
	irk notify 1 "Exec Team" --via email --summary "Shop breached; customer data read; shop in maintenance" >/dev/null &&
	irk notify ack 1 1 >/dev/null &&
	irk notify 1 Counsel --via phone --summary "possible breach of customer data" >/dev/null &&
	irk notify 1 "Data Protection Authority" --via web-form --summary "initial breach report" >/dev/null &&
	irk phase 1 contained >/dev/null &&
	IRK_KEY=bob.key irk task done 1 10 -m "logs in evidence store" >/dev/null &&
	irk task done 1 1 >/dev/null &&
	irk task cancel 1 2 -m "entry point already known" >/dev/null &&
	irk task give 1 5 bob@example.org >/dev/null &&
	IRK_KEY=bob.key irk task ack 1 5 --eta 1h >/dev/null &&
	irk phase 1 eradicated >/dev/null && irk phase 1 recovered >/dev/null &&
	irk notify duties 1 >out && ! grep -E "^(open|overdue|waiting)" out &&
	irk close 1 --resolution resolved >/dev/null &&
	irk show 1 >out && grep "phase closed" out && grep "#10 done" out && grep "#2 cancelled" out &&
	grep "#5 acked .*(bob@example.org" out &&
	irk verify >out && irk verify --json >out && grep "\"ok\":true" out
'

test_expect_success 'verify replays a drill, contacts and an override' '
	setup_casebook &&
	irk contact add Press --role pr >/dev/null && irk contact verify Press >/dev/null &&
	irk drill start exfiltration >/dev/null &&
	irk drill inject 1 >/dev/null &&
	irk assess 1 --real yes --override critical --reason "exercise says so" >/dev/null &&
	irk notify 1 Press --via phone --summary "holding statement" >/dev/null &&
	irk verify
'

test_done
