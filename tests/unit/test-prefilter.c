/*
 * test-prefilter.c - the prefilter's ground: what parsers put in fields
 * agrees with irk_log_field_kind() and irk_log_auth_literals() on lines of
 * every kind; the needles rules give; and which lines and rules a scanned
 * block lets through, with Hyperscan and with PCRE2, past the hit cap too.
 */
#include <stdlib.h>
#include <string.h>

#include "irk/logread.h"
#include "irk/prefilter.h"
#include "irk/sigma.h"
#include "unit.h"

/* One line of every message form the auth extractor knows, and of the other formats. */
static const char *const lines[] = {
	"Nov 21 10:00:01 gw sshd[1]: Failed password for invalid user admin from 203.0.113.5 port 40001 ssh2",
	"Nov 21 10:00:01 gw sshd[1]: Failed publickey for root from 203.0.113.5 port 40002 ssh2",
	"Nov 21 10:00:01 gw sshd[1]: Accepted password for bob from 10.0.0.1 port 40003 ssh2",
	"Nov 21 10:00:01 gw sshd[1]: Invalid user oracle from 198.51.100.7 port 4000",
	"Nov 21 10:00:01 gw sshd[1]: Invalid user oracle from 198.51.100.7",
	"Nov 21 10:00:01 gw sshd[1]: Invalid user  from 198.51.100.7",
	"Nov 21 10:00:01 gw sshd[1]: error: maximum authentication attempts exceeded for invalid user x from 192.0.2.1 port 1 ssh2 [preauth]",
	"Nov 21 10:00:01 gw sshd[1]: error: maximum authentication attempts exceeded for root from 192.0.2.1 port 1 ssh2 [preauth]",
	"Nov 21 10:00:01 gw sshd[1]: Connection closed by authenticating user root 192.0.2.1 port 2 [preauth]",
	"Nov 21 10:00:01 gw sshd[1]: Connection closed by invalid user x 192.0.2.1 port 2 [preauth]",
	"Nov 21 10:00:01 gw sshd[1]: Disconnected from authenticating user root 192.0.2.1 port 2 [preauth]",
	"Nov 21 10:00:01 gw sshd[1]: Disconnected from invalid user x 192.0.2.1 port 2 [preauth]",
	"Nov 21 10:00:01 gw sshd[1]: Disconnected from user root 192.0.2.1 port 2",
	"Nov 21 10:00:01 gw sshd[1]: Connection closed by 192.0.2.1 port 2 [preauth]",
	"Nov 21 10:00:01 gw sshd[1]: Received disconnect from 192.0.2.1 port 2:11: Bye [preauth]",
	"Nov 21 10:00:01 gw sshd[1]: Disconnected from 192.0.2.1 port 2",
	"Nov 21 10:00:01 gw sshd[1]: Connection closed by 192.0.2.1",
	"Nov 21 10:00:01 gw sshd[1]: Received disconnect from 192.0.2.1: 11: Bye",
	"Nov 21 10:00:01 gw sshd[1]: error: Received disconnect from 192.0.2.1: 3: bad",
	"Nov 21 10:00:01 gw sshd[1]: Did not receive identification string from 192.0.2.1",
	"Nov 21 10:00:01 gw sshd[1]: reverse mapping checking getaddrinfo for h.example [192.0.2.1] failed - POSSIBLE BREAK-IN ATTEMPT!",
	"Nov 21 10:00:01 gw sshd[1]: Address 192.0.2.1 maps to h.example, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT!",
	"Nov 21 10:00:01 gw sshd[1]: Connection from 192.0.2.1 port 5 on 10.0.0.2 port 22",
	"Nov 21 10:00:01 gw sshd[1]: input_userauth_request: invalid user x [preauth]",
	"Nov 21 10:00:01 gw sshd[1]: Server listening on 0.0.0.0 port 22.",
	"Nov 21 10:00:01 gw sshd[1]: Received signal 15; terminating.",
	"Nov 21 10:00:01 gw sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.1  user=root",
	"Nov 21 10:00:01 gw sshd[1]: PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.1  user=root",
	"Nov 21 10:00:01 gw sshd[1]: pam_unix(sshd:session): session opened for user bob(uid=1000) by (uid=0)",
	"Nov 21 10:00:01 gw CRON[1]: pam_unix(cron:session): session opened for user root by (uid=0)",
	"Nov 21 10:00:01 gw sshd[1]: pam_unix(sshd:session): session closed for user bob",
	"Nov 21 10:00:01 gw passwd[1]: pam_unix(passwd:chauthtok): password changed for bob",
	"Nov 21 10:00:01 gw sshd[1]: pam_unix(sshd:auth): check pass; user unknown",
	"Nov 21 10:00:01 gw sshd[1]: message repeated 2 times: [ Failed password for root from 192.0.2.1 port 9 ssh2]",
	"Nov 21 10:00:01 gw sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; GROUP=adm ; COMMAND=/bin/ls -l",
	"Nov 21 10:00:01 gw sudo:    alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/sh",
	"Nov 21 10:00:01 gw su[1]: FAILED SU (to root) alice on pts/1",
	"Nov 21 10:00:01 gw su[1]: FAILED su for root by alice",
	"Nov 21 10:00:01 gw su[1]: (to root) alice on pts/1",
	"Nov 21 10:00:01 gw su[1]: Successful su for root by alice",
	"Nov 21 10:00:01 gw useradd[1]: new user: name=eve, UID=1001, GID=1001",
	"Nov 21 10:00:01 gw groupadd[1]: new group: name=ops, GID=1002",
	"Nov 21 10:00:01 gw usermod[1]: add 'eve' to shadow group 'sudo'",
	"Nov 21 10:00:01 gw usermod[1]: add 'eve' to group 'sudo'",
	"Nov 21 10:00:01 gw gpasswd[1]: user eve added by root to group sudo",
	"Nov 21 10:00:01 gw userdel[1]: delete user 'eve'",
	"Nov 21 10:00:01 gw chpasswd[1]: change user 'eve' password",
	"Nov 21 10:00:01 gw passwd[1]: password for 'eve' changed by 'root'",
	"Nov 21 10:00:01 gw chpasswd[1]: password changed for eve",
	"<38>1 2026-11-21T10:00:01.000Z gw sshd 12 ID7 [x@1 a=\"b\"] Failed password for root from 192.0.2.1 port 9 ssh2",
	"<38>Nov 21 10:00:01 gw kernel: something",
	"2026-11-21T10:00:01.5+01:00 gw sshd(pam)[9]: Accepted password for bob from 10.0.0.1 port 2 ssh2",
	"192.0.2.9 - bob [21/Nov/2026:10:00:01 +0000] \"GET /a?b=c HTTP/1.1\" 200 12 \"http://r/\" \"agent/1\"",
	"192.0.2.9 - - [21/Nov/2026:10:00:01 +0000] \"\\x16\\x03\" 400 0",
	NULL
};

static int derived_equal(const struct irk_event *d, void *arg)
{
	const struct irk_event *ev = arg;
	static const enum irk_field_id ids[] = { IRK_F_ACTION, IRK_F_OUTCOME, IRK_F_INVALID_USER };

	for (int i = 0; i < 3; i++) {
		const char *a = irk_event_get_id(d, ids[i], NULL), *b = irk_event_get_id(ev, ids[i], NULL);
		if ((a == NULL) != (b == NULL) || (a && strcmp(a, b)))
			return 0;
	}
	return 1;
}

TEST(field_kinds_agree_with_the_parsers)
{
	struct irk_log_opts o = { 0 };
	struct irk_event ev;
	struct irk_err err = IRK_ERR_INIT;

	o.year = 2026;
	irk_event_init(&ev);
	for (int l = 0; lines[l]; l++) {
		const char *s = lines[l];
		enum irk_log_format f = irk_log_guess(s, strlen(s));
		int derived = 0;
		CHECK(irk_log_parse(&o, s, strlen(s), &ev, &err) == IRK_OK);
		for (int i = 0; i < ev.nfields; i++) {
			const char *v = irk_event_value(&ev, i);
			enum irk_field_kind k = irk_log_field_kind(f, ev.f[i].id);
			if (k == IRK_FIELD_VERBATIM && !strstr(s, v)) {
				printf("# %s=%s is not in: %s\n", irk_event_name(&ev, i), v, s);
				CHECK(0);
			}
			CHECK(k != IRK_FIELD_ABSENT);
			derived |= k == IRK_FIELD_DERIVED;
		}
		if (derived) {
			const char **lits;
			int n = irk_log_auth_literals(derived_equal, &ev, &lits), found = 0;
			CHECK(n > 0);
			for (int i = 0; i < n; i++) {
				found |= strstr(s, lits[i]) != NULL;
				free((char *)lits[i]);
			}
			free(lits);
			if (!found)
				printf("# no literal of the derived fields in: %s\n", s);
			CHECK(found);
		}
	}
	irk_event_release(&ev);
}

static struct irk_ruleset rs;

static void load(const char *yaml)
{
	irk_ruleset_release(&rs);
	irk_ruleset_init(&rs);
	irk_ruleset_load_text(&rs, "t.yml", yaml, strlen(yaml));
	irk_ruleset_link(&rs);
}

/* The needles of rule 0 for format f as "text/i text ..." ("*" always, "" never). */
static const char *needles(int f)
{
	static char out[512];
	struct irk_needles n;

	irk_sigma_needles(rs.rules[0], f, 1, &n);
	out[0] = 0;
	if (n.always)
		strcpy(out, "*");
	for (int i = 0; i < n.n; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s%s", i ? " " : "",
			 n.v[i].text, n.v[i].caseless ? "/i" : "");
	irk_needles_release(&n);
	return out;
}

#define RULE(ls, det) "title: t\nlogsource:\n" ls "detection:\n" det "  condition: selection\n"

TEST(needles_of_rules)
{
	load(RULE("  product: linux\n", "  selection:\n    message|contains: 'Foo Bar'\n"));
	CHECK_STR(needles(IRK_LOG_SYSLOG), "foo bar/i");
	CHECK_STR(needles(IRK_LOG_ACCESS), "");
	load(RULE("  category: webserver\n", "  selection:\n    message|contains|cased: 'GET /x'\n"));
	CHECK_STR(needles(IRK_LOG_ACCESS), "GET /x");
	CHECK_STR(needles(IRK_LOG_JSON), "");
	load(RULE("  product: json\n", "  selection:\n    message: 'x'\n"));
	CHECK_STR(needles(IRK_LOG_JSON), "*"); /* JSON values are unescaped: nothing is verbatim */
	load(RULE("  product: linux\n", "  selection:\n    message|re: 'abc'\n"));
	CHECK_STR(needles(IRK_LOG_SYSLOG), "*");
	load(RULE("  product: linux\n", "  selection:\n    message: 'ab*cdef?g'\n"));
	CHECK_STR(needles(IRK_LOG_SYSLOG), "cdef/i");
	load(RULE("  product: linux\n  service: sshd\n",
		  "  selection:\n    action: login\n    outcome: success\n"));
	CHECK_STR(needles(IRK_LOG_SYSLOG), "Accepted ");
	load(RULE("  product: linux\n  service: sshd\n", "  selection:\n    src_port|exists: false\n"));
	CHECK_STR(needles(IRK_LOG_SYSLOG), "sshd");
	load(RULE("  product: linux\n", "  selection:\n    action: nothing_sets_this\n"));
	CHECK_STR(needles(IRK_LOG_SYSLOG), "");
	load(RULE("  product: linux\n", "  selection:\n    http.status: 500\n"));
	CHECK_STR(needles(IRK_LOG_SYSLOG), "");
	load("title: t\nlogsource:\n  product: linux\ndetection:\n  a:\n    message|contains: alpha\n"
	     "  b:\n    message|contains: beta\n  condition: a and not b\n");
	CHECK_STR(needles(IRK_LOG_SYSLOG), "alpha/i");
	load("title: t\nlogsource:\n  product: linux\ndetection:\n  a:\n    message|contains: alpha\n"
	     "  b:\n    user: null\n  condition: a or b\n");
	CHECK_STR(needles(IRK_LOG_SYSLOG), "*");
}

/*
 * The candidate rules of each line of `block`, as "01 1 - ..." (bit per
 * rule, "-" none), each line read as syslog, or with guess, as
 * irk_log_guess() says.  `blocks` scans of the block (the switch-off judges
 * a block at its last line); the last one's candidates are given.
 */
static void candidates_of(enum irk_prefilter_engine e, const char *block, int guess, int blocks,
			  struct irk_prefilter **keep, char *out, size_t max)
{
	struct irk_prefilter *p;
	struct irk_prefilter_state *st;
	struct irk_err err = IRK_ERR_INIT;
	size_t len = strlen(block), off = 0;

	out[0] = 0;
	if (irk_prefilter_new(&rs, e, &p, &err))
		return;
	st = irk_prefilter_state_new(p);
	for (int b = 0; b < blocks; b++) {
	out[0] = 0;
	off = 0;
	irk_prefilter_scan(p, st, block, len);
	while (off < len) {
		const char *nl = memchr(block + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - block) : len;
		enum irk_log_format f = guess ? irk_log_guess(block + off, end - off) : IRK_LOG_SYSLOG;
		const uint64_t *c = irk_prefilter_line(p, st, off, end, f);
		char word[16];
		if (!c) {
			strcpy(word, "-");
		} else {
			for (int r = 0; r < rs.nrules; r++)
				word[r] = (char)('0' + (int)(c[0] >> r & 1));
			word[rs.nrules] = 0;
		}
		if (strlen(out) + strlen(word) + 2 <= max)
			snprintf(out + strlen(out), max - strlen(out), "%s%s", out[0] ? " " : "", word);
		off = end + 1;
	}
	}
	irk_prefilter_state_free(st);
	if (keep)
		*keep = p;
	else
		irk_prefilter_free(p);
}

static void candidates(enum irk_prefilter_engine e, const char *block, char *out, size_t max)
{
	candidates_of(e, block, 0, 1, NULL, out, max);
}

TEST(lines_and_rules_let_through)
{
	static const char rules[] =
		RULE("  product: linux\n", "  selection:\n    message|contains: apple\n") "---\n"
		RULE("  product: linux\n", "  selection:\n    message|contains|cased: Pear\n") "---\n"
		RULE("  category: webserver\n", "  selection:\n    url|contains: apple\n");
	const char *block = "x apple\nx pear\nx Pear APPLE\nnothing\n";
	char out[256];

	load(rules);
	CHECK(rs.nrules == 3);
#if IRK_HAVE_HS
	candidates(IRK_PREFILTER_HYPERSCAN, block, out, sizeof(out));
	CHECK_STR(out, "100 - 110 -");
#endif
	/* PCRE2 marks which text it found too */
	candidates(IRK_PREFILTER_PCRE2, block, out, sizeof(out));
	CHECK_STR(out, "100 - 110 -");
}

/* PCRE2 reports one text per place: a longer text starting at the same place must not be lost. */
TEST(a_text_hidden_behind_another_at_the_same_place)
{
	static const char rules[] =
		RULE("  product: linux\n", "  selection:\n    message|contains|cased: 'Invalid user '\n") "---\n"
		RULE("  product: linux\n", "  selection:\n    message|contains|cased: 'Invalid user  from '\n") "---\n"
		RULE("  product: linux\n", "  selection:\n    message|contains|cased: 'user  from 1'\n");
	const char *block = "x Invalid user  from 1.2.3.4\nx Invalid user bob\nx invalid user  from 2\n";
	char out[256];

	load(rules);
	CHECK(rs.nrules == 3);
	for (int e = IRK_PREFILTER_HYPERSCAN; e <= IRK_PREFILTER_PCRE2; e++) {
		candidates(e, block, out, sizeof(out));
		CHECK_STR(out, "111 100 -");
	}
}

/* Lines of two formats in one block: each is offered the rules of its format whose texts it holds. */
TEST(formats_mixed_in_a_block)
{
	static const char rules[] =
		RULE("  product: linux\n", "  selection:\n    message|contains: apple\n") "---\n"
		RULE("  category: webserver\n", "  selection:\n    url|contains: /pear\n");
	const char *block =
		"1.2.3.4 - - [21/Nov/2026:10:00:20 +0000] \"GET /pear/apple HTTP/1.1\" 200 1 \"-\" \"c\"\n"
		"Nov 21 10:00:01 gw x[1]: no fruit\n"
		"Nov 21 10:00:01 gw x[1]: /pear and apple\n"
		"1.2.3.4 - - [21/Nov/2026:10:00:20 +0000] \"GET /x HTTP/1.1\" 200 1 \"-\" \"apple\"\n"
		"1.2.3.4 - - [21/Nov/2026:10:00:20 +0000] \"GET /PEAR HTTP/1.1\" 200 1 \"-\" \"c\"\n";
	char out[256];

	load(rules);
	CHECK(rs.nrules == 2);
	for (int e = IRK_PREFILTER_HYPERSCAN; e <= IRK_PREFILTER_PCRE2; e++) {
		candidates_of(e, block, 1, 1, NULL, out, sizeof(out));
		CHECK_STR(out, "01 - 10 - 01");
	}
}

/* PCRE2 turns itself off for a format when it lets nearly every rule through on nearly every line. */
TEST(switches_itself_off_when_it_lets_nearly_everything_through)
{
	size_t n = 1200;
	char *most = malloc(n * 12 + 1), *few = malloc(n * 12 + 1), *half = malloc(n * 12 + 1);
	char out[9];
	struct irk_prefilter *p;

	load(RULE("  product: linux\n", "  selection:\n    message|contains: apple\n") "---\n"
	     RULE("  product: linux\n", "  selection:\n    message|contains: pear\n"));
	most[0] = few[0] = half[0] = 0;
	for (size_t i = 0; i < n; i++) {
		strcat(most, i % 20 ? "apple pear\n" : "melon only\n"); /* 95% of the rules */
		strcat(few, i % 2 ? "apple pear\n" : "melon only\n");	  /* 50% */
		strcat(half, "apple only\n"); /* every line, half the rules */
	}
	/* one block: searched, and judged at its last line */
	candidates_of(IRK_PREFILTER_PCRE2, most, 0, 1, &p, out, sizeof(out));
	CHECK(irk_prefilter_switched_off(p, IRK_LOG_SYSLOG) == 95);
	CHECK_STR(out, "- 11 11");
	irk_prefilter_free(p);
	/* the second block: every line gets every rule with texts, the same superset as no prefilter */
	candidates_of(IRK_PREFILTER_PCRE2, most, 0, 2, &p, out, sizeof(out));
	CHECK(irk_prefilter_switched_off(p, IRK_LOG_SYSLOG) == 95);
	CHECK(irk_prefilter_switched_off(p, IRK_LOG_ACCESS) == 0);
	CHECK_STR(out, "11 11 11");
	irk_prefilter_free(p);
	candidates_of(IRK_PREFILTER_PCRE2, few, 0, 3, &p, out, sizeof(out));
	CHECK(irk_prefilter_switched_off(p, IRK_LOG_SYSLOG) == 0);
	CHECK_STR(out, "- 11 - -");
	irk_prefilter_free(p);
	/* blocks of fewer lines than it judges on: it goes on counting over the next ones */
	most[11 * 600] = 0; /* 600 lines of "apple pear" or "melon only" */
	candidates_of(IRK_PREFILTER_PCRE2, most, 0, 1, &p, out, sizeof(out));
	CHECK(irk_prefilter_switched_off(p, IRK_LOG_SYSLOG) == 0);
	irk_prefilter_free(p);
	candidates_of(IRK_PREFILTER_PCRE2, most, 0, 2, &p, out, sizeof(out));
	CHECK(irk_prefilter_switched_off(p, IRK_LOG_SYSLOG) == 95);
	irk_prefilter_free(p);
	candidates_of(IRK_PREFILTER_PCRE2, half, 0, 3, &p, out, sizeof(out));
	CHECK(irk_prefilter_switched_off(p, IRK_LOG_SYSLOG) == 0);
	CHECK_STR(out, "10 10 10");
	irk_prefilter_free(p);
#if IRK_HAVE_HS
	candidates_of(IRK_PREFILTER_HYPERSCAN, most, 0, 2, &p, out, sizeof(out));
	if (!strcmp(irk_prefilter_engine_name(p), "hyperscan"))
		CHECK(irk_prefilter_switched_off(p, IRK_LOG_SYSLOG) == 0);
	irk_prefilter_free(p);
#endif
	free(most);
	free(few);
	free(half);
}

TEST(past_the_hit_cap_every_line_gets_every_rule)
{
	size_t n = IRK_PREFILTER_HITS_MAX + 1000, len = n * 2 + 4;
	char *block = malloc(len + 1);
	struct irk_prefilter *p;
	struct irk_prefilter_state *st;
	struct irk_err err = IRK_ERR_INIT;
	size_t off = 0, lets = 0, nlines = 0;

	load(RULE("  product: linux\n", "  selection:\n    message|contains: a\n"));
	for (size_t i = 0; i < n; i++)
		memcpy(block + 2 * i, "a\n", 2);
	memcpy(block + 2 * n, "b\nb\n", 4);
	block[len] = 0;
	for (int e = IRK_PREFILTER_AUTO; e <= IRK_PREFILTER_PCRE2; e++) {
	off = lets = nlines = 0;
	CHECK(irk_prefilter_new(&rs, e, &p, &err) == IRK_OK);
	st = irk_prefilter_state_new(p);
	irk_prefilter_scan(p, st, block, len);
	while (off < len) {
		const char *nl = memchr(block + off, '\n', len - off);
		size_t end = (size_t)(nl - block);
		lets += irk_prefilter_line(p, st, off, end, IRK_LOG_SYSLOG) != NULL;
		nlines++;
		off = end + 1;
	}
	/* every "a" line is let through; of the "b" lines, those past the cap too */
	CHECK(nlines == n + 2);
	CHECK(lets >= n);
	irk_prefilter_state_free(st);
	irk_prefilter_free(p);
	}
	free(block);
}

/* Does line [s, s+n) hold t (ASCII case folded unless cased)? */
static int holds(const char *s, size_t n, const char *t, int cased)
{
	size_t m = strlen(t);

	for (size_t i = 0; i + m <= n; i++) {
		size_t k = 0;
		while (k < m && (cased ? s[i + k] == t[k]
				       : (s[i + k] | 0x20) == (t[k] | 0x20) || s[i + k] == t[k]))
			k++;
		if (k == m)
			return 1;
	}
	return 0;
}

/*
 * Random texts over a few bytes (so that they overlap, share pairs and hide
 * behind each other) and random lines: every engine lets through at least
 * every rule whose text a line holds, and PCRE2 nothing Hyperscan would not
 * but for texts that may be hidden at the same place.
 */
TEST(random_texts_never_lose_a_rule)
{
	static const char alpha[] = "abAB./ ";
	unsigned seed = 4600;
	char yaml[8192], texts[12][8], block[4096];
	int cased[12];

	for (int round = 0; round < 150; round++) {
		int nr = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 12;
		size_t len = 0;
		yaml[0] = 0;
		for (int r = 0; r < nr; r++) {
			int tl = 3 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 4;
			for (int k = 0; k < tl; k++)
				texts[r][k] = alpha[((seed = seed * 1103515245u + 12345u) >> 16) % 6];
			texts[r][tl] = 0;
			cased[r] = ((seed = seed * 1103515245u + 12345u) >> 16) % 2;
			snprintf(yaml + strlen(yaml), sizeof(yaml) - strlen(yaml),
				 "%stitle: t%d\nlogsource:\n  product: linux\ndetection:\n  selection:\n"
				 "    message|contains%s: '%s'\n  condition: selection\n",
				 r ? "---\n" : "", r, cased[r] ? "|cased" : "", texts[r]);
		}
		load(yaml);
		CHECK(rs.nrules == nr);
		for (int l = 0; l < 40; l++) {
			int ll = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 40;
			for (int k = 0; k < ll; k++)
				block[len++] = alpha[((seed = seed * 1103515245u + 12345u) >> 16) % 7];
			block[len++] = '\n';
		}
		block[len] = 0;
		for (int e = IRK_PREFILTER_HYPERSCAN; e <= IRK_PREFILTER_PCRE2; e++) {
			struct irk_prefilter *p;
			struct irk_prefilter_state *st;
			struct irk_err err = IRK_ERR_INIT;
			size_t off = 0;
			CHECK(irk_prefilter_new(&rs, e, &p, &err) == IRK_OK);
			st = irk_prefilter_state_new(p);
			irk_prefilter_scan(p, st, block, len);
			while (off < len) {
				size_t end = (size_t)((const char *)memchr(block + off, '\n', len - off) - block);
				const uint64_t *c = irk_prefilter_line(p, st, off, end, IRK_LOG_SYSLOG);
				for (int r = 0; r < nr; r++) {
					int want = holds(block + off, end - off, texts[r], cased[r]);
					int got = c && (c[0] >> r & 1);
					int exact = !strcmp(irk_prefilter_engine_name(p), "hyperscan");
					if ((want && !got) || (exact && got && !want))
						printf("#   %s: '%s'%s in '%.*s': want %d got %d\n",
						       irk_prefilter_engine_name(p), texts[r],
						       cased[r] ? " (cased)" : "", (int)(end - off), block + off,
						       want, got);
					CHECK(!want || got);
					CHECK(!exact || !got || want); /* Hyperscan is exact */
				}
				off = end + 1;
			}
			irk_prefilter_state_free(st);
			irk_prefilter_free(p);
		}
	}
}

int main(void)
{
	irk_ruleset_init(&rs);
	RUN(field_kinds_agree_with_the_parsers);
	RUN(needles_of_rules);
	RUN(lines_and_rules_let_through);
	RUN(past_the_hit_cap_every_line_gets_every_rule);
	RUN(a_text_hidden_behind_another_at_the_same_place);
	RUN(formats_mixed_in_a_block);
	RUN(switches_itself_off_when_it_lets_nearly_everything_through);
	RUN(random_texts_never_lose_a_rule);
	irk_ruleset_release(&rs);
	return unit_done();
}
