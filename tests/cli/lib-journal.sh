# lib-journal.sh - helpers for the journal tests (t4501, t4650): sourced
# after tests/lib.sh.  Journal files are written with systemd-journal-remote
# from export format; it appends to an existing output file.
#
# $JR                  systemd-journal-remote, or empty when it is missing
# journal_entries S N ADDR PORT   N failed sshd logins in export format, the
#                      first at S seconds after 2025-11-22T10:00:00Z, one
#                      every 10 s; each entry's source port (PORT, PORT + 1,
#                      ...) names it
# each_failure         writes each.yml: a rule reporting every failed login
#                      on its own, to count entries

JR=/lib/systemd/systemd-journal-remote
[ -x "$JR" ] || JR=/usr/lib/systemd/systemd-journal-remote
[ -x "$JR" ] || JR=

journal_entries() {
	i=0
	while [ "$i" -lt "$2" ]; do
		s=$(($1 + i * 10))
		printf '__REALTIME_TIMESTAMP=%d000000\n' $((1763805600 + s))
		printf '__MONOTONIC_TIMESTAMP=%d\n' $((1000000 + s))
		printf '_BOOT_ID=0123456789abcdef0123456789abcdef\n'
		printf '_HOSTNAME=web1\nSYSLOG_IDENTIFIER=sshd\n_PID=%d\n' $((100 + i))
		printf 'MESSAGE=Failed password for root from %s port %d ssh2\n\n' "$3" $(($4 + i))
		i=$((i + 1))
	done
}

each_failure() {
	cat >each.yml <<'RULE'
title: every failed login
id: 9d1f6a52-4f0e-4c43-9d36-1a3c2c1e0b01
logsource:
  product: linux
  service: sshd
detection:
  selection:
    action: login
    outcome: failure
  condition: selection
level: low
RULE
}
