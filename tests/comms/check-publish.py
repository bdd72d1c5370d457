# check-publish.py SHA256 < show.json - the incident's one msg.publish entry
# records that hash, the audience, the channel, the target and the time.
import json, sys

doc = json.load(sys.stdin)
pub = [e for e in doc["log"] if e["kind"] == "msg.publish"]
assert len(pub) == 1, pub
d = pub[0]["data"]
assert d["sha256"] == sys.argv[1], d
assert d["audience"] == "users" and d["channel"] == "file", d
assert d["target"] == "notice.txt" and d["published"].endswith("Z"), d
