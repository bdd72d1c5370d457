#!/bin/sh
# t4002-rules-check.sh - irk rules check/list: every bundled rule loads, and
# rules irk cannot honour are refused with file, line and reason.
. "$(dirname "$0")/../lib.sh"

test_expect_success 'all bundled rules load' '
	irk rules check >out &&
	grep " 0 refused" out &&
	! grep "^refused" out &&
	test "$(grep -c "^ok" out)" -ge 30
'

test_expect_success 'rules list shows detections and each correlation type' '
	irk rules list >out &&
	grep "^event_count .*SSH brute force from one source" out &&
	grep "^value_count .*password spraying" out &&
	grep "^temporal_ordered .*followed by a success" out &&
	grep "^detection .*User added to a privileged group" out
'

test_expect_success 'unsupported rules are refused with file, line and reason' '
	mkdir r &&
	cat >r/win.yml <<-\EOF &&
	title: windows thing
	logsource:
	  product: windows
	detection:
	  sel:
	    EventID: 4624
	  condition: sel
	EOF
	cat >r/bad.yml <<-\EOF &&
	title: bad modifier
	logsource:
	  product: linux
	detection:
	  sel:
	    message|sparkle: x
	  condition: sel
	---
	title: bad condition
	logsource:
	  service: sshd
	detection:
	  sel:
	    user: root
	  condition: sel and nothere
	---
	title: old aggregation
	logsource:
	  service: sshd
	detection:
	  sel:
	    user: root
	  condition: sel | count() > 5
	---
	title: dangling correlation
	correlation:
	  type: event_count
	  rules: [no_such_rule]
	  timespan: 5m
	  condition: {gte: 3}
	---
	title: good one
	logsource:
	  service: sshd
	detection:
	  sel:
	    user|contains: ro
	  condition: sel
	EOF
	printf "title: [broken\n" >r/yaml.yml &&
	test_must_fail 1 irk rules check r &&
	cat out &&
	grep "^refused  r/win.yml:3  windows thing: logsource product .windows. is not read by irk" out &&
	grep "^refused  r/bad.yml:6  bad modifier: unknown modifier in field message" out &&
	grep "^refused  r/bad.yml:15  bad condition: condition: the condition names .nothere., which is not a selection" out &&
	grep "^refused  r/bad.yml:.*old aggregation: condition: aggregations" out &&
	grep "^refused  r/bad.yml:25  dangling correlation: the correlation refers to .no_such_rule." out &&
	grep "^ok       r/bad.yml:32  good one" out &&
	grep "^refused  r/yaml.yml:" out &&
	grep "7 rules, 6 refused" out
'

test_expect_success 'scan refuses to run with refused rules unless told to skip them' '
	mkdir r &&
	printf "title: x\nlogsource:\n  product: windows\ndetection:\n  s:\n    a: b\n  condition: s\n" >r/w.yml &&
	printf "title: y\nlogsource:\n  service: sshd\ndetection:\n  s:\n    user: root\n  condition: s\n" >r/ok.yml &&
	echo "Nov 21 10:00:00 h sshd[1]: Accepted password for root from 192.0.2.1 port 22 ssh2" >l &&
	test_must_fail 4 irk scan --rules r l &&
	grep "r/w.yml:3: rule refused x: logsource product" err &&
	irk scan --rules r --skip-refused l >out 2>err &&
	grep "^medium *y " out
'

test_expect_success 'rules check --json gives one object per rule' '
	irk rules check --json >out &&
	test "$(wc -l <out)" -ge 30 &&
	! grep -v "\"status\":\"ok\"" out
'

test_done
