/*
 * lint.c - the rules for incident messages and the engine that runs them;
 * see irk/lint.h.  The table at the bottom is the whole rule set: to add a
 * rule, write a check function and add a row (and a section to
 * docs/COMMS.md, and tests in tests/cli/t5001-msg-lint.sh).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "irk/buf.h"
#include "irk/lint.h"
#include "irk/regex.h"
#include "irk/text.h"

const char *const irk_audiences[] = { "internal",  "users",	     "public", "press",
				      "regulator", "law-enforcement", "cert",   NULL };

int irk_audience_parse(const char *name)
{
	for (int i = 0; irk_audiences[i]; i++)
		if (!strcmp(irk_audiences[i], name))
			return 1 << i;
	return 0;
}

const char *irk_audience_name(int bit)
{
	for (int i = 0; irk_audiences[i]; i++)
		if (bit == 1 << i)
			return irk_audiences[i];
	return "?";
}

const char *irk_severity_name(enum irk_severity s)
{
	return s == IRK_SEV_ERROR ? "error" : s == IRK_SEV_WARNING ? "warning" : "info";
}

void irk_lint_report(struct irk_lint_ctx *ctx, size_t start, size_t end, const char *fix)
{
	struct irk_lint_result *r = ctx->out;
	struct irk_lint_finding *f;
	int line = 1, col = 1;

	for (size_t i = 0; i < start && i < ctx->len; i++) {
		if (ctx->text[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	r->f = irk_realloc(r->f, (r->n + 1) * sizeof(*r->f));
	f = &r->f[r->n++];
	f->rule = ctx->rule->id;
	f->severity = ctx->severity;
	f->start = start;
	f->end = end;
	f->line = line;
	f->col = col;
	f->excerpt = irk_strndup(ctx->text + start, end - start);
	f->fix = irk_strdup(fix ? fix : ctx->rule->fix);
	if (f->severity == IRK_SEV_ERROR)
		r->errors++;
	else if (f->severity == IRK_SEV_WARNING)
		r->warnings++;
}

/* ---- matching helpers ---- */

typedef int (*match_fn)(struct irk_lint_ctx *ctx, size_t start, size_t end);

struct each {
	struct irk_lint_ctx *ctx;
	match_fn fn;
};

static int each_cb(void *arg, size_t s, size_t e, size_t gs, size_t ge)
{
	struct each *x = arg;

	(void)gs;
	(void)ge;
	if (!x->fn)
		irk_lint_report(x->ctx, s, e, NULL);
	else
		x->fn(x->ctx, s, e);
	return 0;
}

/* Call fn (or report, when fn is NULL) for every match of `pattern`. */
static void each_match(struct irk_lint_ctx *ctx, const char *pattern, int caseless, match_fn fn)
{
	struct each x = { ctx, fn };

	irk_re_each(pattern, caseless ? IRK_RE_CASELESS : 0, ctx->text, ctx->len, each_cb, &x);
}

static int has_match(const struct irk_lint_ctx *ctx, const char *pattern)
{
	return irk_re_find(pattern, IRK_RE_CASELESS, ctx->text, ctx->len);
}

/* A "missing" finding points at the start of the text with an empty span. */
static void require(struct irk_lint_ctx *ctx, const char *pattern)
{
	if (!has_match(ctx, pattern))
		irk_lint_report(ctx, 0, 0, NULL);
}

/* Patterns shared by several rules. */
#define RE_IPV4 IRK_RE_IPV4
#define RE_IPV6 IRK_RE_IPV6
#define RE_HOST "(?<![\\w@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}(?![\\w-]|\\.\\w)"
#define RE_ABSTIME                                                                         \
	"\\b\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}(?::\\d{2})?(?:\\.\\d+)?\\s*(?:Z|UTC|GMT|[+-]\\d{2}:?\\d{2})"

/* ---- the checks ---- */

static void check_unfilled(struct irk_lint_ctx *ctx)
{
	each_match(ctx, "\\[FILL IN[^\\]\\n]*\\]?|\\{\\{[^}\\n]*\\}\\}", 0, NULL);
}

static void check_who_affected(struct irk_lint_ctx *ctx)
{
	require(ctx, "(?<!not )(?<!un)\\baffect(?:s|ed)?\\b|\\bimpacted\\b|\\bat risk\\b");
}

static void check_how_to_tell(struct irk_lint_ctx *ctx)
{
	require(ctx, "\\bhow (?:to|can you|do I|you can) (?:tell|check|know|find out|see)\\b"
		     "|\\bto (?:check|find out|see) (?:whether|if)\\b|\\byou can (?:tell|check|see)\\b"
		     "|\\bcheck (?:whether|if)\\b|\\bsigns? (?:that|of)\\b");
}

static void check_what_to_do(struct irk_lint_ctx *ctx)
{
	require(ctx, "\\bwhat (?:to do|you should do|should you do|you can do)\\b|\\byou should\\b"
		     "|\\bwe (?:recommend|ask you)\\b|\\bplease (?:change|reset|update|sign|log|remove"
		     "|check|contact|enable|rotate|review|install)\\b|\\b(?:change|reset) your\\b"
		     "|\\bno action (?:is )?(?:needed|required)\\b");
}

static void check_not_affected(struct irk_lint_ctx *ctx)
{
	require(ctx, "\\bnot (?:been )?(?:affected|impacted|at risk|involved)\\b|\\bunaffected\\b"
		     "|\\bno action (?:is )?(?:needed|required)\\b");
}

static void check_shouting(struct irk_lint_ctx *ctx)
{
	each_match(ctx, "!{2,}|\\b\\p{Lu}{2,}(?:[ \\t]+\\p{Lu}{2,}){2,}\\b|\\b\\p{Lu}{6,}\\b", 0, NULL);
}

static int own_link(struct irk_lint_ctx *ctx, size_t s, size_t e)
{
	struct irk_buf fix = IRK_BUF_INIT;
	size_t hs = s;

	if (!irk_comms_host_own(ctx->cfg, ctx->text + hs, e - hs))
		return 0;
	/* Suggest the defanged form: the last dot becomes "[.]". */
	for (size_t i = e; i > hs; i--) {
		if (ctx->text[i - 1] == '.') {
			irk_buf_addf(&fix, "write it defanged, not as a link: %.*s[.]%.*s",
				     (int)(i - 1 - hs), ctx->text + hs, (int)(e - i), ctx->text + i);
			break;
		}
	}
	irk_lint_report(ctx, s, e, fix.len ? fix.buf : NULL);
	irk_buf_release(&fix);
	return 1;
}

static void check_own_link(struct irk_lint_ctx *ctx)
{
	if (ctx->cfg && ctx->cfg->org_domains.n)
		each_match(ctx, RE_HOST, 1, own_link);
}

static void check_relative_time(struct irk_lint_ctx *ctx)
{
	if (has_match(ctx, RE_ABSTIME))
		return;
	each_match(ctx,
		   "\\b(?:today|yesterday|tonight|tomorrow|this (?:morning|afternoon|evening|week)"
		   "|last (?:night|week|month)|earlier today|recently|an hour ago"
		   "|(?:a few|several|\\d+|an?) (?:minutes?|hours?|days?|weeks?) ago)\\b",
		   1, NULL);
}

static void check_speculation(struct irk_lint_ctx *ctx)
{
	each_match(ctx,
		   "\\b(?:probably|likely|we (?:believe|think|suspect|assume|guess)|might have"
		   "|may have been|possibly|perhaps|it (?:appears|seems)|presumably|rumou?rs?)\\b",
		   1, NULL);
}

static void check_attribution(struct irk_lint_ctx *ctx)
{
	each_match(ctx,
		   "\\b(?:nation[- ]state|state[- ]sponsored|APT ?\\d+|(?:russian|chinese|north korean"
		   "|iranian|foreign) (?:hackers|actors|attackers|group|intelligence)|attributed to"
		   "|threat actor|hacker group|(?:is|are|was|were) behind (?:the|this) (?:attack|breach))\\b",
		   1, NULL);
}

static void check_press_technical(struct irk_lint_ctx *ctx)
{
	each_match(ctx,
		   RE_IPV4 "|" RE_IPV6 "|\\b[0-9a-f]{32,128}\\b|\\bCVE-\\d{4}-\\d{4,}\\b"
		   "|(?<![\\w@.-])(?:[a-z0-9-]+\\.){2,}[a-z]{2,63}\\b",
		   1, NULL);
}

static void check_blame(struct irk_lint_ctx *ctx)
{
	each_match(ctx,
		   "\\b(?:(?:the )?fault of|(?:his|her|their|the user'?s?|the employee'?s?|the intern'?s?"
		   "|the vendor'?s?|the admin'?s?) fault|to blame|blamed?|careless(?:ness|ly)?"
		   "|incompeten(?:t|ce)|negligen(?:t|ce)|stupid(?:ity)?|idiot(?:ic)?|should have known"
		   "|human error|user error)\\b",
		   1, NULL);
}

static int leak_host(struct irk_lint_ctx *ctx, size_t s, size_t e)
{
	if (!irk_comms_host_internal(ctx->cfg, ctx->text + s, e - s))
		return 0;
	irk_lint_report(ctx, s, e, "leave internal host names out of messages for this audience");
	return 1;
}

static int leak_addr(struct irk_lint_ctx *ctx, size_t s, size_t e)
{
	if (!irk_comms_addr_internal(ctx->cfg, ctx->text + s, e - s))
		return 0;
	irk_lint_report(ctx, s, e, "leave internal addresses out of messages for this audience");
	return 1;
}

static int leak_user(struct irk_lint_ctx *ctx, size_t s, size_t e)
{
	for (size_t i = 0; i < ctx->cfg->local_users.n; i++) {
		const char *u = ctx->cfg->local_users.v[i];
		if (strlen(u) == e - s && !strncasecmp(u, ctx->text + s, e - s)) {
			irk_lint_report(ctx, s, e,
					"leave local user names out, or say 'an employee account'");
			return 1;
		}
	}
	return 0;
}

static void check_internal_leak(struct irk_lint_ctx *ctx)
{
	static const struct irk_comms_config empty;

	if (!ctx->cfg)
		ctx->cfg = &empty;
	each_match(ctx, "\\bTLP:\\s?(?:RED|AMBER(?:\\+STRICT)?)\\b", 1, NULL);
	if (ctx->cfg->internal_hosts.n)
		each_match(ctx, "(?<![\\w.-])[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?![\\w-]|\\.\\w)", 1,
			   leak_host);
	each_match(ctx, RE_IPV4 "|" RE_IPV6, 1, leak_addr);
	if (ctx->cfg->local_users.n)
		each_match(ctx, "(?<![\\w.@-])[\\w][\\w.-]*(?<![.-])(?![\\w@-])", 0, leak_user);
}

static int personal_email(struct irk_lint_ctx *ctx, size_t s, size_t e)
{
	const char *at = memchr(ctx->text + s, '@', e - s);

	/* The organisation's own addresses (security@, support@) are contacts, not personal data. */
	if (ctx->cfg && at && irk_comms_host_own(ctx->cfg, at + 1, (size_t)(ctx->text + e - at - 1)))
		return 0;
	irk_lint_report(ctx, s, e, NULL);
	return 1;
}

static void check_personal_data(struct irk_lint_ctx *ctx)
{
	each_match(ctx, "\\b[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\\.)+[A-Za-z]{2,}\\b", 0,
		   personal_email);
	each_match(ctx,
		   "(?<![\\w+-])\\+\\d{1,3}[ -]?(?:\\(?\\d{1,4}\\)?[ -]?){2,5}\\d{2,4}\\b"
		   "|(?<![\\w.:-])0\\d{2,4}[ /-]\\d{3,}(?:[ -]\\d{2,})?\\b",
		   0, NULL);
}

static void check_timezone(struct irk_lint_ctx *ctx)
{
	require(ctx, "\\btime ?zone\\b|\\bUTC\\b|\\bGMT\\b|[+-]\\d{2}:\\d{2}\\b");
}

static int restricted_tlp(const char *tlp)
{
	return tlp && (!strcmp(tlp, "red") || !strncmp(tlp, "amber", 5));
}

static int term_boundary(const char *text, size_t len, size_t i)
{
	unsigned char c = i < len ? (unsigned char)text[i] : ' ';
	return !(isalnum(c) || c == '_' || c == '-' || c == '@' || c >= 0x80);
}

static void check_tlp_leak(struct irk_lint_ctx *ctx)
{
	char fix[160];

	if (!ctx->inc || !restricted_tlp(ctx->inc->tlp))
		return;
	/* TLP:RED may not leave the incident's recipients at all: always an error. */
	if (!strcmp(ctx->inc->tlp, "red"))
		ctx->severity = IRK_SEV_ERROR;
	snprintf(fix, sizeof(fix), "the incident is TLP:%s: leave its technical details out, or "
		 "lower its TLP first if sharing is agreed", ctx->inc->tlp);
	for (size_t i = 0; i < ctx->inc->terms.n; i++) {
		const char *t = ctx->inc->terms.v[i];
		size_t tl = strlen(t);

		for (size_t at = 0; tl && at + tl <= ctx->len; at++) {
			if (strncasecmp(ctx->text + at, t, tl) ||
			    (at > 0 && !term_boundary(ctx->text, ctx->len, at - 1)) ||
			    !term_boundary(ctx->text, ctx->len, at + tl) ||
			    (at + tl < ctx->len && ctx->text[at + tl] == '.' &&
			     !term_boundary(ctx->text, ctx->len, at + tl + 1)))
				continue;
			irk_lint_report(ctx, at, at + tl, fix);
			at += tl - 1;
		}
	}
}

struct term_collect {
	struct irk_lint_incident *inc;
	const struct irk_comms_config *cfg;
	const char *text;
};

static void add_term(struct irk_lint_incident *inc, const char *s, size_t len)
{
	for (size_t i = 0; i < inc->terms.n; i++)
		if (strlen(inc->terms.v[i]) == len && !strncasecmp(inc->terms.v[i], s, len))
			return;
	if (len >= 4 && inc->terms.n < 10000)
		irk_strlist_add(&inc->terms, s, len);
}

static int collect_term(void *arg, size_t s, size_t e, size_t gs, size_t ge)
{
	struct term_collect *c = arg;
	const char *t = c->text + s, *at;

	(void)gs;
	(void)ge;
	at = memchr(t, '@', e - s);
	if (c->cfg && at && irk_comms_host_own(c->cfg, at + 1, (size_t)(c->text + e - at - 1)))
		return 0; /* a role address of ours */
	if (c->cfg && !at && irk_comms_host_own(c->cfg, t, e - s) &&
	    !irk_comms_host_internal(c->cfg, t, e - s))
		return 0; /* the organisation's public names are not secrets */
	add_term(c->inc, t, e - s);
	return 0;
}

static void collect_terms_in(struct term_collect *c, const char *text)
{
	c->text = text;
	irk_re_each("\\b[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\\.)+[A-Za-z]{2,}\\b|" RE_IPV4 "|" RE_IPV6
		    "|\\b[0-9a-f]{32,128}\\b|" RE_HOST,
		    IRK_RE_CASELESS, text, strlen(text), collect_term, c);
}

static void collect_value(struct term_collect *c, json_t *v, int depth)
{
	const char *k;
	json_t *x;
	size_t i;

	if (depth > 16)
		return;
	if (json_is_string(v))
		collect_terms_in(c, json_string_value(v));
	else if (json_is_array(v))
		json_array_foreach(v, i, x) collect_value(c, x, depth + 1);
	else if (json_is_object(v))
		json_object_foreach(v, k, x) collect_value(c, x, depth + 1);
}

void irk_lint_incident_terms(struct irk_lint_incident *inc, json_t *entries,
			     const struct irk_comms_config *cfg)
{
	struct term_collect c = { inc, cfg, NULL };
	size_t i, j;
	json_t *e, *o;

	json_array_foreach(entries, i, e) {
		const char *kind = json_string_value(json_object_get(e, "kind"));
		json_t *data = json_object_get(e, "data");

		if (!kind || !strncmp(kind, "msg.", 4) || !strcmp(kind, "share"))
			continue;
		if (json_is_string(json_object_get(e, "text")))
			collect_terms_in(&c, json_string_value(json_object_get(e, "text")));
		collect_value(&c, data, 0);
		/* Observables are restricted as a whole, whatever they look like. */
		json_array_foreach(json_object_get(data, "observables"), j, o) {
			const char *v = json_is_string(o) ? json_string_value(o)
							  : json_string_value(json_object_get(o, "value"));
			if (v && strlen(v) <= 256)
				add_term(inc, v, strlen(v));
		}
	}
}

void irk_lint_incident_release(struct irk_lint_incident *inc)
{
	irk_strlist_release(&inc->terms);
}

/* Audience sets used in the table. */
#define USERS IRK_AUD_USERS
#define PUBLIC IRK_AUD_PUBLIC
#define PRESS IRK_AUD_PRESS
#define REG IRK_AUD_REGULATOR
#define POLICE IRK_AUD_POLICE
#define CERT IRK_AUD_CERT
#define INTERNAL IRK_AUD_INTERNAL

const struct irk_lint_rule irk_lint_rules[] = {
	{ "comms.unfilled", IRK_SEV_ERROR, IRK_AUD_ALL, 0, check_unfilled,
	  "a template placeholder is still in the text, so the reader would see a gap",
	  "replace the placeholder with the fact, or remove the sentence" },
	{ "comms.who-affected", IRK_SEV_ERROR, USERS | PUBLIC, 0, check_who_affected,
	  "readers first need to know whether this concerns them: say who is affected",
	  "add a 'Who is affected' paragraph naming the people, accounts or period concerned" },
	{ "comms.how-to-tell", IRK_SEV_ERROR, USERS, PUBLIC, check_how_to_tell,
	  "readers need a way to find out for themselves whether they are affected",
	  "add a 'How to tell' paragraph: what a reader can check, and where" },
	{ "comms.what-to-do", IRK_SEV_ERROR, USERS, PUBLIC, check_what_to_do,
	  "a notice without a concrete action leaves affected people worried and exposed",
	  "add a 'What to do' paragraph with the steps, or say that no action is needed" },
	{ "comms.not-affected", IRK_SEV_ERROR, USERS, PUBLIC, check_not_affected,
	  "saying who is not affected stops needless worry and support requests",
	  "add a 'Who is not affected' paragraph" },
	{ "comms.shouting", IRK_SEV_ERROR, IRK_AUD_OUTSIDE, INTERNAL, check_shouting,
	  "capitals and exclamation marks alarm readers and read as panic, not control",
	  "write in sentence case with plain full stops" },
	{ "comms.own-domain-link", IRK_SEV_ERROR, USERS | PUBLIC | PRESS, REG | CERT | POLICE,
	  check_own_link,
	  "a live link to the organisation's own site may send readers to the compromised site",
	  "write the domain defanged (example[.]com) until the site is known to be clean" },
	{ "comms.relative-time", IRK_SEV_ERROR, USERS | PUBLIC | PRESS | REG, INTERNAL | CERT | POLICE,
	  check_relative_time,
	  "'yesterday' or '2 hours ago' mean different things to each reader and go stale",
	  "give absolute times with their offset, e.g. 2026-11-21 14:05 +01:00" },
	{ "comms.speculation", IRK_SEV_ERROR, PUBLIC | PRESS, USERS | REG, check_speculation,
	  "guesses in public statements get quoted as facts and are hard to take back",
	  "state only what is established, or say that the investigation continues" },
	{ "comms.attribution", IRK_SEV_ERROR, PUBLIC | PRESS | USERS, REG, check_attribution,
	  "naming an attacker publicly is rarely provable and invites dispute",
	  "describe what happened, not who may be behind it" },
	{ "comms.press-technical", IRK_SEV_ERROR, PRESS, PUBLIC, check_press_technical,
	  "addresses, hashes, CVE ids and host names confuse the press and help attackers",
	  "describe the effect in plain words; keep technical detail for the technical report" },
	{ "comms.blame", IRK_SEV_ERROR, PUBLIC | PRESS | USERS, INTERNAL | REG | POLICE | CERT,
	  check_blame,
	  "blaming a person or a partner deflects responsibility and silences people who know things",
	  "own the problem as the organisation and describe causes, not culprits" },
	{ "comms.internal-leak", IRK_SEV_ERROR, IRK_AUD_OUTSIDE & ~POLICE, POLICE, check_internal_leak,
	  "internal host names, addresses, user names and TLP:RED/AMBER material must not leave "
	  "the organisation",
	  "remove it, or describe it in general terms ('an internal server')" },
	{ "comms.personal-data", IRK_SEV_ERROR, PUBLIC | PRESS, USERS | REG | CERT | INTERNAL,
	  check_personal_data,
	  "e-mail addresses and phone numbers of people are personal data and need a reason to be "
	  "shared",
	  "remove the personal data or replace it with a role address" },
	{ "comms.timezone", IRK_SEV_ERROR, CERT, POLICE, check_timezone,
	  "another team cannot correlate log lines without knowing their timezone",
	  "state the timezone of the logs, e.g. 'All times are UTC'" },
	{ "comms.tlp-leak", IRK_SEV_ERROR, USERS | PUBLIC | PRESS, REG | POLICE | CERT,
	  check_tlp_leak,
	  "the incident is TLP:RED or TLP:AMBER, and this text repeats an address, host name, "
	  "hash, e-mail address or observable from its log book",
	  "leave the detail out, or agree to lower the incident's TLP first" },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

const struct irk_lint_rule *irk_lint_rule_find(const char *id)
{
	for (const struct irk_lint_rule *r = irk_lint_rules; r->id; r++)
		if (!strcmp(r->id, id))
			return r;
	return NULL;
}

static int by_start(const void *a, const void *b)
{
	const struct irk_lint_finding *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return strcmp(x->rule, y->rule);
}

enum irk_code irk_lint(const char *text, size_t len, int audience,
		       const struct irk_comms_config *cfg, const struct irk_lint_incident *inc,
		       struct irk_lint_result *out, struct irk_err *err)
{
	struct irk_lint_ctx ctx = { text, len, audience, cfg, inc, out, NULL, IRK_SEV_ERROR };
	size_t bad;

	memset(out, 0, sizeof(*out));
	if (len > IRK_TEXT_MAX)
		return irk_fail(err, IRK_EINVAL, "the message is %zu bytes, over the limit of %d", len,
				IRK_TEXT_MAX);
	if ((bad = irk_utf8_check(text, len)) != 0)
		return irk_fail(err, IRK_EINVAL,
				"the message is not valid UTF-8 text (bad byte at offset %zu)", bad - 1);
	if (!strcmp(irk_audience_name(audience), "?"))
		return irk_fail(err, IRK_EINVAL, "unknown audience");
	for (const struct irk_lint_rule *r = irk_lint_rules; r->id; r++) {
		if (!(r->audiences & audience) && !(r->warn & audience))
			continue;
		ctx.rule = r;
		ctx.cfg = cfg;
		ctx.severity = (r->audiences & audience) ? r->severity : IRK_SEV_WARNING;
		r->check(&ctx);
	}
	if (out->n > 1)
		qsort(out->f, out->n, sizeof(*out->f), by_start);
	return IRK_OK;
}

void irk_lint_result_release(struct irk_lint_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->f[i].excerpt);
		free(r->f[i].fix);
	}
	free(r->f);
	memset(r, 0, sizeof(*r));
}

json_t *irk_lint_finding_json(const struct irk_lint_finding *f)
{
	const struct irk_lint_rule *r = irk_lint_rule_find(f->rule);

	return json_pack("{s:s, s:s, s:I, s:I, s:i, s:i, s:s, s:s, s:s}", "rule", f->rule,
			 "severity", irk_severity_name(f->severity), "start", (json_int_t)f->start,
			 "end", (json_int_t)f->end, "line", f->line, "col", f->col, "excerpt",
			 f->excerpt, "why", r ? r->why : "", "fix", f->fix);
}
