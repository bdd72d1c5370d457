# 00-logbook.sh - demo step: identity, casebook, an incident and its log book.
say "Create your signing identity and a casebook"
run id --name "Alice Example" --email alice@example.org
run init
say "A second responder joins (their key comes from 'irk id' on their machine)"
BOB_KEY=$(IRK_KEY="$DEMO/bob.key" "$IRK_BIN" id --name "Bob Example" --email bob@example.org --json |
	sed 's/.*"vkey":"\([^"]*\)".*/\1/')
run member add --key "$BOB_KEY" --name "Bob Example" --role responder
run member list
say "Open an incident and keep its log book"
run open "SSH brute force against the bastion host" --severity high --category account-compromise
run log 1 "Alerted by 300 failed logins from 203.0.113.7 in 10 minutes" --kind observation
run log 1 "Called the ISP abuse desk about 203.0.113.7" --kind call --with "ISP NOC" --at "$(date -u -d '-20 min' +%H:%M) +0000"
IRK_KEY="$DEMO/bob.key" run log 1 "Blocked 203.0.113.7 at the edge firewall" --kind action
run phase 1 contained
run amend 1 3 "The abuse desk ticket number is 4711"
run show 1
