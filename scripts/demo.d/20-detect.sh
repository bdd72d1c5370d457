# 20-detect.sh - demo step: Sigma rules over real sshd logs; the findings go into incident 1.
log=$SHARED/data/loghub-OpenSSH_2k.log
if [ -f "$log" ]; then
	say "The bundled Sigma rules all load (a rule irk cannot honour would be named here)"
	run rules check | tail -n 1
	say "Scan a real OpenSSH log: brute force, spraying, probing, each with its window and sources"
	run scan --rules "$SRC/rules/ssh" "$log" | head -n 12
	"$IRK_BIN" show 1 >/dev/null 2>&1 || run open "SSH attacks on LabSZ" --severity high
	say "Attach the findings to incident 1; a second scan adds nothing (each finding is kept once)"
	run scan --quiet --attach 1 "$log"
	run scan --quiet --attach 1 "$log"
	run show 1 | grep -m 3 "finding:"
else
	say "Detection step skipped: $log is not there (../shared/data)"
fi
jr=/lib/systemd/systemd-journal-remote
if [ -x "$jr" ]; then
	say "The systemd journal too: six failed logins stored as a journal file, then scanned"
	i=0
	while [ $i -lt 6 ]; do
		printf '__REALTIME_TIMESTAMP=%d000000\n_HOSTNAME=web1\nSYSLOG_IDENTIFIER=sshd\n_PID=%d\n' \
			$((1763805600 + i * 10)) $((100 + i))
		printf 'MESSAGE=Failed password for root from 203.0.113.9 port %d ssh2\n\n' $((40000 + i))
		i=$((i + 1))
	done | "$jr" -o demo.journal - 2>/dev/null
	run scan --journal-file demo.journal | head -n 1
fi
