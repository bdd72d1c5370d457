# lib-prefilter.sh - for the prefilter tests (t4600, t4660): sourced after
# tests/lib.sh.
#
# dense_rules FILE   two rules whose texts ("Failed password", " ssh2") every
#                    failed-password line holds, so a prefilter spares none

dense_rules() {
	cat >"$1" <<'RULES'
title: failed passwords
id: 00000000-0000-4000-8000-000000004600
logsource:
  product: linux
detection:
  selection:
    message|contains: 'Failed password'
  condition: selection
level: low
---
title: protocol two
id: 00000000-0000-4000-8000-000000004601
logsource:
  product: linux
detection:
  selection:
    message|endswith: ' ssh2'
  condition: selection
level: low
RULES
}
