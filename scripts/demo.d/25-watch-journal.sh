# 25-watch-journal.sh - demo step: irk watch following a journal directory live,
# stopped with SIGTERM and restarted without repeating or missing an entry.
jr=/lib/systemd/systemd-journal-remote
# failed sshd logins in export format: $1 = first second, $2 = count, $3 = first port
demo_failures() {
	i=0
	while [ $i -lt "$2" ]; do
		printf '__REALTIME_TIMESTAMP=%d000000\n_HOSTNAME=web1\nSYSLOG_IDENTIFIER=sshd\n_PID=%d\n' \
			$((1763809200 + $1 + i * 10)) $((200 + i))
		printf 'MESSAGE=Failed password for root from 198.51.100.23 port %d ssh2\n\n' $(($3 + i))
		i=$((i + 1))
	done | "$jr" -o jdemo/web1.journal - 2>/dev/null
}
# wait (10 s at most) until the watch has printed $1 lines
demo_lines() {
	i=0
	while [ "$(wc -l <watch.out)" -lt "$1" ] && [ $i -lt 50 ]; do
		sleep 0.2
		i=$((i + 1))
	done
}
if [ -x "$jr" ]; then
	mkdir -p jdemo
	demo_failures 0 2 41000
	say "Watch a journal directory live (started at its end; a writer appends 5 failed logins)"
	printf '$ irk watch --journal-dir jdemo --state jwatch.json &\n'
	"$IRK_BIN" watch --journal-dir jdemo --state jwatch.json >watch.out 2>&1 &
	wpid=$!
	i=0
	while [ ! -s jwatch.json ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
	demo_failures 100 5 41100
	demo_lines 6
	kill -TERM $wpid
	wait $wpid || true
	say "Its finding names journal entries by sequence number (journal:3 .. journal:7)"
	cat watch.out
	say "Stopped with SIGTERM (its cursor saved); 5 more while it was down; a restart reads just those"
	demo_failures 200 5 41200
	run watch --once --journal-dir jdemo --state jwatch.json
fi
