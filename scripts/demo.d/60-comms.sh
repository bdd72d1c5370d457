# 60-comms.sh - demo step: a user notice drafted, linted, approved by a second member, published.
say "Communications: tell irk what is ours (domains, internal hosts, users)"
cat >>.irk/config <<'CFG'
comms.org-domain: example.org
comms.internal-host: bastion*, *.corp.example.org
comms.local-user: alice, bob
comms.org-name: Example Ltd
comms.contact: security@example.org
CFG
run msg config
say "Bob drafts a notice for the affected users; every draft is linted"
cat >notice.md <<'TXT'
Security notice from Example Ltd

URGENT!! Yesterday someone tried to guess passwords on bastion.corp.example.org.
Reset yours at https://login.example.org/reset now.
TXT
IRK_KEY="$DEMO/bob.key" run msg draft 1 --audience users --file notice.md
say "He rewrites it along the lines of the user-notice template; the linter is satisfied"
cat >notice.md <<TXT
Security notice from Example Ltd

Between $(date -u -d '-2 hour' '+%Y-%m-%d %H:%M') +00:00 and $(date -u '+%Y-%m-%d %H:%M') +00:00 someone tried
to guess passwords on one of our remote-access servers.

Who is affected
Staff who sign in to the remote-access service with a password.

How to tell whether you are affected
Check the recent sign-ins on your account page for any you do not recognise.

What to do
Please change your password at login.example[.]org and turn on two-step sign-in.

Who is not affected
Customers and staff who use security keys are not affected.

Questions go to security@example.org.
TXT
IRK_KEY="$DEMO/bob.key" run msg edit 1 --file notice.md
run msg lint 1
say "Bob may not approve his own message (two-person rule); Alice, the second member, does"
IRK_KEY="$DEMO/bob.key" run msg approve 1 || true
run msg approve 1
say "Publish to a file: the log book records its SHA-256, audience, channel and time"
run msg publish 1 --via file --to notice-published.txt
sha256sum notice-published.txt
run msg list
say "Share the log lines about the attacker's network with its abuse desk (pseudonymised)"
run share 1 --site 203.0.113.0/24 --to "ISP abuse desk"
