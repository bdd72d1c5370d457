# 10-handling.sh - demo step: an incident run from a playbook - crew, tasks, notification.
say "Open an incident from the ransomware playbook: its tasks, duties and a lead come with it"
run playbook show ransomware
run open "Files encrypted on the finance share" --playbook ransomware --reported "$(date -u -d '-20 min' +%Y-%m-%dT%H:%M:%SZ)"
INC=$("$IRK_BIN" list --json | grep '"playbook":"ransomware"' | sed 's/.*"id":"\([^"]*\)".*/\1/' | head -n 1)
say "Acknowledge it: the time to acknowledge is one of the crew's metrics"
run ack "$INC"
run role "$INC" tech bob@example.org
say "Rate it: real, 14 hosts, personal data involved"
run assess "$INC" --real yes --hosts 14 --data personal --damage high \
	--symptom "data-tampering:files renamed to .locked on FIN-FS1"
say "Tasks are acknowledged by their owners, with an ETA"
run task add "$INC" "Pull the EDR timeline of FIN-FS1" --owner bob@example.org --due 45m
IRK_KEY="$DEMO/bob.key" run task ack "$INC" 10 --eta 20m
run task ack "$INC" 1 --eta 5m
say "Tell the people who must be told, and record their acknowledgement"
run contact add "Executive Board" --role management --channel email:board@example.org
run notify "$INC" "Executive Board" --via phone --summary "Ransomware on the finance share; 14 hosts isolated; backups being checked"
run notify ack "$INC" 1 -m "CFO confirmed, will brief the CEO"
run notify duties "$INC"
run show "$INC"
say "What is due across every open incident (exit 1 when something is overdue)"
run due || true
