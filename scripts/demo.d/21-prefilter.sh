# 21-prefilter.sh - demo step: the prefilter that decides which lines are worth parsing, either engine, same findings.
log=$SHARED/data/loghub-OpenSSH_2k.log
if [ -f "$log" ]; then
	say "The prefilter: which engine ran, and how many searches each 4 MiB chunk takes"
	printf '$ irk scan --json --quiet --prefilter-info %s >with.json\n' "$log"
	"$IRK_BIN" scan --json --quiet --prefilter-info "$log" >with.json
	say "The PCRE2 JIT fallback (what builds without Hyperscan use) and no prefilter find the same"
	printf '$ IRK_NO_HYPERSCAN=1 irk scan --json --quiet --prefilter-info %s >pcre2.json\n' "$log"
	IRK_NO_HYPERSCAN=1 "$IRK_BIN" scan --json --quiet --prefilter-info "$log" >pcre2.json
	printf '$ irk scan --json --quiet --no-prefilter %s >none.json\n' "$log"
	"$IRK_BIN" scan --json --quiet --no-prefilter "$log" >none.json
	cmp none.json with.json && cmp none.json pcre2.json &&
		echo "the same $(grep -c '"rule"' none.json) findings all three ways"
	rm -f with.json pcre2.json none.json
fi
