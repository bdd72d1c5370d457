/* share.c - evidence about a remote site, pseudonymised, for its team; see irk/share.h. */
#include <arpa/inet.h>
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irk/fs.h"
#include "irk/hash.h"
#include "irk/incident.h"
#include "irk/logbook.h"
#include "irk/member.h"
#include "irk/regex.h"
#include "irk/share.h"
#include "irk/timefmt.h"

const char *const irk_share_formats[] = { "text", "json", "xarf", NULL };

const char irk_shares_ddl[] =
	"CREATE TABLE IF NOT EXISTS {db}.shares("
	"  inc TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  site TEXT NOT NULL,"
	"  recipient TEXT NOT NULL,"
	"  format TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  lines INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  by TEXT NOT NULL,"
	"  PRIMARY KEY(inc, seq));";

/* Longest line of shared text considered; longer strings are cut there. */
#define SHARE_LINE_MAX 4096
/* At most this many lines and observables are shared at once. */
#define SHARE_ITEMS_MAX 100000

enum irk_code irk_share_key(struct irk_casebook *cb, uint8_t key[IRK_SHARE_KEY_LEN],
			    struct irk_err *err)
{
	struct irk_buf path = IRK_BUF_INIT, text = IRK_BUF_INIT;
	char hex[2 * IRK_SHARE_KEY_LEN + 2];
	enum irk_code rc;

	irk_path_join(&path, cb->dir, "share.key");
	rc = irk_read_file(path.buf, 4096, &text, err);
	if (rc == IRK_ENOTFOUND) {
		irk_err_clear(err);
		randombytes_buf(key, IRK_SHARE_KEY_LEN);
		irk_hex(key, IRK_SHARE_KEY_LEN, hex);
		strcat(hex, "\n");
		rc = irk_write_file(path.buf, hex, strlen(hex), 0600, err);
	} else if (rc == IRK_OK) {
		irk_buf_rtrim(&text);
		if (text.len != 2 * IRK_SHARE_KEY_LEN ||
		    irk_unhex(text.buf, key, IRK_SHARE_KEY_LEN) != 0)
			rc = irk_fail(err, IRK_EINVAL, "%s is not a share key (64 hex digits)",
				      path.buf);
	}
	irk_buf_release(&path);
	irk_buf_release(&text);
	return rc;
}

void irk_pseudonym(const uint8_t key[IRK_SHARE_KEY_LEN], const char *prefix, const char *name,
		   size_t len, char out[32])
{
	crypto_auth_hmacsha256_state st;
	uint8_t mac[crypto_auth_hmacsha256_BYTES];
	char hex[2 * sizeof(mac) + 1];

	crypto_auth_hmacsha256_init(&st, key, IRK_SHARE_KEY_LEN);
	crypto_auth_hmacsha256_update(&st, (const uint8_t *)prefix, strlen(prefix));
	crypto_auth_hmacsha256_update(&st, (const uint8_t *)":", 1);
	for (size_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)tolower((unsigned char)name[i]);
		crypto_auth_hmacsha256_update(&st, &c, 1);
	}
	crypto_auth_hmacsha256_final(&st, mac);
	irk_hex(mac, sizeof(mac), hex);
	snprintf(out, 32, "%s-%.10s", prefix, hex);
}

/* ---- what concerns the site ---- */

struct site {
	int is_net;
	struct irk_net net;
	const char *host;
};

struct site_hit {
	const struct site *site;
	const char *text;
	int hit;
};

static int addr_in_site(void *arg, size_t s, size_t e, size_t gs, size_t ge)
{
	struct site_hit *h = arg;

	(void)gs;
	(void)ge;
	if (irk_net_contains(&h->site->net, h->text + s, e - s))
		h->hit = 1;
	return h->hit;
}

static int boundary(int c)
{
	return !(isalnum(c) || c == '-' || c == '_' || c == '.');
}

static int concerns(const struct site *site, const char *text, size_t len)
{
	struct site_hit h = { site, text, 0 };
	size_t hl;

	if (site->is_net) {
		irk_re_each(IRK_RE_IPV4 "|" IRK_RE_IPV6, IRK_RE_CASELESS, text, len, addr_in_site, &h);
		return h.hit;
	}
	hl = strlen(site->host);
	for (size_t i = 0; i + hl <= len; i++) {
		if (strncasecmp(text + i, site->host, hl))
			continue;
		if ((i == 0 || boundary((unsigned char)text[i - 1])) &&
		    (i + hl == len || boundary((unsigned char)text[i + hl]) ||
		     (text[i + hl] == '.' && (i + hl + 1 == len ||
					      boundary((unsigned char)text[i + hl + 1])))))
			return 1;
	}
	return 0;
}

/* ---- pseudonymisation ---- */

struct names {
	struct irk_strlist users, hosts; /* found in the incident's lines */
};

static int listed(const struct irk_strlist *l, const char *s, size_t len)
{
	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->v[i]) == len && !strncasecmp(l->v[i], s, len))
			return 1;
	return 0;
}

struct collect {
	const char *text;
	struct irk_strlist *into;
};

static int collect_group(void *arg, size_t s, size_t e, size_t gs, size_t ge)
{
	struct collect *c = arg;

	(void)s;
	(void)e;
	if (ge > gs && !listed(c->into, c->text + gs, ge - gs))
		irk_strlist_add(c->into, c->text + gs, ge - gs);
	return 0;
}

/* Learn user names and log-source host names from one line. */
static void learn(struct names *n, const char *text, size_t len)
{
	struct collect u = { text, &n->users }, h = { text, &n->hosts };

	irk_re_each("\\b(?:user(?:name)?|login|account|acct|uid|euid|ruser)[=:]\\s?\"?"
		    "([A-Za-z_][\\w.-]{0,31}[\\w])",
		    IRK_RE_CASELESS, text, len, collect_group, &u);
	irk_re_each("\\bfor (?!invalid |illegal )([A-Za-z_][\\w.-]{0,31}[\\w]) from\\b", 0, text, len,
		    collect_group, &u);
	irk_re_each("\\bsession (?:opened|closed) for user ([A-Za-z_][\\w.-]{0,31})", 0, text, len,
		    collect_group, &u);
	irk_re_each("\\bAccepted \\w+ for ([A-Za-z_][\\w.-]{0,31}[\\w])", 0, text, len,
		    collect_group, &u);
	/* syslog (RFC 3164 and ISO stamps): the word after the time is the logging host */
	irk_re_each("^(?:[A-Z][a-z]{2} +\\d{1,2} \\d\\d:\\d\\d:\\d\\d|\\d{4}-\\d\\d-\\d\\dT"
		    "\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)?) +([A-Za-z0-9][\\w.-]*) ",
		    0, text, len, collect_group, &h);
}

struct pseudo_ctx {
	const struct irk_comms_config *cfg;
	const struct site *site;
	const struct names *names;
	const uint8_t *key;
	const char *text;
	struct irk_buf *out;
	size_t done; /* bytes of text already copied */
	int users, hosts;
};

static void substitute(struct pseudo_ctx *p, size_t s, size_t e, const char *prefix)
{
	char ps[32];

	irk_buf_add(p->out, p->text + p->done, s - p->done);
	irk_pseudonym(p->key, prefix, p->text + s, e - s, ps);
	irk_buf_adds(p->out, ps);
	p->done = e;
	if (!strcmp(prefix, "user"))
		p->users++;
	else
		p->hosts++;
}

static int in_site(const struct site *site, const char *s, size_t len)
{
	if (site->is_net)
		return irk_net_contains(&site->net, s, len);
	return strlen(site->host) == len && !strncasecmp(site->host, s, len);
}

static int is_addr(const char *s, size_t len)
{
	unsigned char a[16];
	char buf[64];

	if (len >= sizeof(buf))
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return inet_pton(AF_INET, buf, a) == 1 || inet_pton(AF_INET6, buf, a) == 1;
}

static int pseudo_token(void *arg, size_t s, size_t e, size_t gs, size_t ge)
{
	struct pseudo_ctx *p = arg;
	const char *t = p->text + s;
	size_t len = e - s;

	(void)gs;
	(void)ge;
	if (s < p->done || in_site(p->site, t, len))
		return 0;
	if (listed(&p->cfg->local_users, t, len) || listed(&p->names->users, t, len))
		substitute(p, s, e, "user");
	else if (is_addr(t, len)) {
		if (irk_comms_addr_internal(p->cfg, t, len))
			substitute(p, s, e, "addr");
	} else if (listed(&p->names->hosts, t, len) || irk_comms_host_internal(p->cfg, t, len) ||
		   (memchr(t, '.', len) && irk_comms_host_own(p->cfg, t, len))) {
		substitute(p, s, e, "host");
	}
	return 0;
}

/* Copy `text` into out with every sensitive token replaced by its pseudonym. */
static void pseudonymise(struct pseudo_ctx *p, const char *text, size_t len)
{
	p->text = text;
	p->done = 0;
	irk_re_each(IRK_RE_IPV6 "|[A-Za-z0-9_](?:[\\w.-]*[A-Za-z0-9_])?", IRK_RE_CASELESS, text, len,
		    pseudo_token, p);
	irk_buf_add(p->out, text + p->done, len - p->done);
}

/* ---- gathering ---- */

struct item {
	char *at, *tz, *kind, *text; /* kind: entry kind, or the observable type */
	int observable;
};

struct gather {
	const struct site *site;
	struct names names;
	struct item *items;
	size_t n;
	int learn_only;
	const char *at, *tz;
};

static void add_item(struct gather *g, const char *text, size_t len, const char *kind, int obs)
{
	struct item *it;

	if (len > SHARE_LINE_MAX)
		len = SHARE_LINE_MAX;
	while (len && text[len - 1] == '\r')
		len--;
	if (g->learn_only) {
		learn(&g->names, text, len);
		return;
	}
	if (g->n >= SHARE_ITEMS_MAX || !len || !concerns(g->site, text, len))
		return;
	g->items = irk_realloc(g->items, (g->n + 1) * sizeof(*g->items));
	it = &g->items[g->n++];
	it->at = irk_strdup(g->at);
	it->tz = irk_strdup(g->tz);
	it->kind = irk_strdup(kind);
	it->text = irk_strndup(text, len);
	it->observable = obs;
}

static void add_lines(struct gather *g, const char *text, const char *kind)
{
	const char *p = text;

	while (*p) {
		size_t n = strcspn(p, "\n");
		add_item(g, p, n, kind, 0);
		p += n + (p[n] == '\n');
	}
}

static void add_value(struct gather *g, json_t *v, const char *kind, int depth)
{
	const char *k;
	json_t *x;
	size_t i;

	if (depth > 16)
		return;
	if (json_is_string(v))
		add_lines(g, json_string_value(v), kind);
	else if (json_is_array(v))
		json_array_foreach(v, i, x) add_value(g, x, kind, depth + 1);
	else if (json_is_object(v))
		json_object_foreach(v, k, x) add_value(g, x, kind, depth + 1);
}

static void add_observables(struct gather *g, json_t *obs)
{
	size_t i;
	json_t *o;

	json_array_foreach(obs, i, o) {
		const char *type = json_string_value(json_object_get(o, "type"));
		const char *val = json_is_string(o) ? json_string_value(o)
						    : json_string_value(json_object_get(o, "value"));
		if (val)
			add_item(g, val, strlen(val), type ? type : "observable", 1);
	}
}

static void gather_entries(struct gather *g, json_t *entries)
{
	size_t i;
	json_t *e;

	json_array_foreach(entries, i, e) {
		const char *kind = json_string_value(json_object_get(e, "kind"));
		const char *text = json_string_value(json_object_get(e, "text"));
		json_t *data = json_object_get(e, "data"), *obs = json_object_get(data, "observables");
		const char *k;
		json_t *v;

		/* Our own messages and earlier shares are not evidence. */
		if (!kind || !strncmp(kind, "msg.", 4) || !strcmp(kind, "share"))
			continue;
		g->at = json_string_value(json_object_get(e, "at"));
		g->tz = json_string_value(json_object_get(e, "tz"));
		if (!g->at)
			g->at = "";
		if (!g->tz)
			g->tz = "";
		if (text)
			add_lines(g, text, kind);
		json_object_foreach(data, k, v) {
			if (strcmp(k, "observables"))
				add_value(g, v, kind, 0);
		}
		if (json_is_array(obs))
			add_observables(g, obs);
	}
}

static void free_gather(struct gather *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->items[i].at);
		free(g->items[i].tz);
		free(g->items[i].kind);
		free(g->items[i].text);
	}
	free(g->items);
	irk_strlist_release(&g->names.users);
	irk_strlist_release(&g->names.hosts);
}

static const char *log_tz_text(const struct irk_comms_config *cfg)
{
	return cfg->log_timezone ? cfg->log_timezone
				 : "not configured: they are the hosts' own clocks (see each entry's "
				   "offset)";
}

enum irk_code irk_share_build(json_t *entries, const struct irk_share_req *req,
			      const struct irk_comms_config *cfg,
			      const uint8_t key[IRK_SHARE_KEY_LEN], int64_t now_ms,
			      struct irk_buf *out, json_t **summary, struct irk_err *err)
{
	struct site site = { 0 };
	struct gather g = { 0 };
	struct pseudo_ctx p = { cfg, &site, NULL, key, NULL, NULL, 0, 0, 0 };
	struct irk_buf line = IRK_BUF_INIT;
	char now[IRK_TIME_MAX];
	json_t *lines = json_array(), *obs = json_array();
	size_t nlines = 0, nobs = 0;
	const char *to = req->to && *req->to ? req->to : req->site;

	if (irk_net_parse(req->site, &site.net, NULL) == IRK_OK) {
		site.is_net = 1;
	} else {
		size_t n = strlen(req->site);
		if (!n || n > 253 || strspn(req->site, "abcdefghijklmnopqrstuvwxyz"
						       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != n) {
			json_decref(lines);
			json_decref(obs);
			irk_fail(err, IRK_EUSAGE, "--site '%s' is neither a CIDR range nor a host name",
				 req->site);
			irk_hint(err, "e.g. --site 198.51.100.0/24 or --site mail.example.net");
			return IRK_EUSAGE;
		}
		site.host = req->site;
	}
	/* First pass: learn the names to hide from every line; second: pick the site's lines. */
	g.site = &site;
	g.learn_only = 1;
	gather_entries(&g, entries);
	g.learn_only = 0;
	gather_entries(&g, entries);
	if (g.n == 0) {
		free_gather(&g);
		json_decref(lines);
		json_decref(obs);
		irk_fail(err, IRK_ENOTFOUND, "nothing in %s's log book concerns %s", req->inc, req->site);
		irk_hint(err, "check the address range or host name");
		return IRK_ENOTFOUND;
	}
	p.names = &g.names;
	p.out = &line;
	for (size_t i = 0; i < g.n; i++) {
		irk_buf_reset(&line);
		pseudonymise(&p, g.items[i].text, strlen(g.items[i].text));
		if (g.items[i].observable) {
			json_array_append_new(obs, json_pack("{s:s, s:s}", "type", g.items[i].kind,
							     "value", line.buf));
			nobs++;
		} else {
			json_array_append_new(lines, json_pack("{s:s, s:s, s:s, s:s}", "at",
							       g.items[i].at, "tz", g.items[i].tz,
							       "kind", g.items[i].kind, "line",
							       line.buf));
			nlines++;
		}
	}
	irk_time_utc(now_ms, 0, now);
	if (req->format == IRK_SHARE_TEXT) {
		size_t i;
		json_t *x;

		irk_buf_addf(out, "# Log lines and observables of %s concerning %s, for %s\n",
			     req->inc, req->site, to);
		irk_buf_addf(out, "# Prepared %s.\n", now);
		irk_buf_addf(out, "# Timezone: the first column is UTC (entry time, with the offset "
				  "it was recorded in); timestamps inside log lines are %s.\n",
			     log_tz_text(cfg));
		irk_buf_adds(out, "# Local user names and internal hosts are replaced by stable "
				  "pseudonyms (user-..., host-..., addr-...).\n");
		json_array_foreach(lines, i, x) {
			irk_buf_addf(out, "%s (%s) %s\n",
				     json_string_value(json_object_get(x, "at")),
				     json_string_value(json_object_get(x, "tz")),
				     json_string_value(json_object_get(x, "line")));
		}
		if (nobs)
			irk_buf_adds(out, "# Observables\n");
		json_array_foreach(obs, i, x) {
			irk_buf_addf(out, "%s %s\n", json_string_value(json_object_get(x, "type")),
				     json_string_value(json_object_get(x, "value")));
		}
	} else {
		json_t *doc;
		char *s;

		if (req->format == IRK_SHARE_JSON)
			doc = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:O, s:O}", "incident",
					req->inc, "site", req->site, "for", to, "prepared", now,
					"timezone", "entries", "UTC", "logs", log_tz_text(cfg),
					"lines", lines, "observables", obs);
		else
			doc = json_pack("{s:s, s:{s:s, s:s}, s:b, s:{s:s, s:s, s:s, s:s, s:s, s:s, s:O,"
					" s:O}}",
					"Version", "4", "ReporterInfo", "ReporterOrg",
					cfg->org_name ? cfg->org_name : "", "ReporterContactEmail",
					cfg->contact ? cfg->contact : "", "Disclosure", 1, "Report",
					"ReportClass", "Activity", "ReportType", "Incident", "Date", now,
					"Source", req->site, "SourceType",
					site.is_net ? "ip-address" : "hostname", "TimeZone",
					log_tz_text(cfg), "Samples", lines, "Observables", obs);
		if (doc && req->format == IRK_SHARE_XARF)
			json_object_set_new(json_object_get(doc, "Report"), "IncidentId",
					    json_string(req->inc));
		if (!doc) {
			irk_buf_release(&line);
			json_decref(lines);
			json_decref(obs);
			free_gather(&g);
			return irk_fail(err, IRK_EINVAL,
					"comms.org-name or comms.contact in the config is not UTF-8 text");
		}
		s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		irk_buf_adds(out, s ? s : "");
		irk_buf_addch(out, '\n');
		free(s);
		json_decref(doc);
	}
	*summary = json_pack("{s:I, s:I, s:i, s:i}", "lines", (json_int_t)nlines, "observables",
			     (json_int_t)nobs, "users", p.users, "hosts", p.hosts);
	irk_buf_release(&line);
	json_decref(lines);
	json_decref(obs);
	free_gather(&g);
	return IRK_OK;
}

enum irk_code irk_share(struct irk_casebook *cb, const struct irk_identity *id,
			const struct irk_share_req *req, const struct irk_comms_config *cfg,
			struct irk_buf *out, struct irk_err *err)
{
	uint8_t key[IRK_SHARE_KEY_LEN], d[IRK_SHA256_LEN];
	char sha[IRK_SHA256_HEX];
	struct irk_buf text = IRK_BUF_INIT;
	json_t *entries = NULL, *summary = NULL, *data;
	const char *to = req->to && *req->to ? req->to : req->site;
	enum irk_code rc;

	if ((rc = irk_share_key(cb, key, err)) ||
	    (rc = irk_incident_entries(cb, req->inc, &entries, err)) ||
	    (rc = irk_share_build(entries, req, cfg, key, irk_now_ms(), out, &summary, err)))
		goto done;
	if (!req->record)
		goto done;
	irk_sha256(out->buf, out->len, d);
	irk_hex(d, sizeof(d), sha);
	data = json_pack("{s:s, s:s, s:s, s:s, s:O}", "site", req->site, "to", to, "format",
			 irk_share_formats[req->format], "sha256", sha, "shared", summary);
	irk_buf_addf(&text, "shared %lld log lines and %lld observables about %s with %s",
		     (long long)json_integer_value(json_object_get(summary, "lines")),
		     (long long)json_integer_value(json_object_get(summary, "observables")),
		     req->site, to);
	{
		struct irk_append a = { .chain = req->inc, .kind = "share", .text = text.buf,
					.data = data };
		rc = irk_logbook_write(cb, id, &a, NULL, err);
	}
	json_decref(data);
done:
	sodium_memzero(key, sizeof(key));
	irk_buf_release(&text);
	json_decref(entries);
	json_decref(summary);
	return rc;
}

enum irk_code irk_apply_share(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	json_t *d = ctx->e->data, *shared = json_object_get(d, "shared");
	const char *site = json_string_value(json_object_get(d, "site"));
	const char *to = json_string_value(json_object_get(d, "to"));
	const char *fmt = json_string_value(json_object_get(d, "format"));
	const char *sha = json_string_value(json_object_get(d, "sha256"));
	sqlite3_stmt *st;
	enum irk_code rc;

	if ((rc = irk_incident_require(ctx, 0, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "share incident data", err)))
		return rc;
	if (!site || !to || !fmt || irk_list_index(irk_share_formats, fmt) < 0 || !sha ||
	    strlen(sha) != 64)
		return irk_fail(err, IRK_EINVAL, "a share entry needs site, to, format and sha256");
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "INSERT INTO {db}.shares(inc, seq, site, recipient, format, sha256, lines, at, by)"
			 " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ctx->e->seq);
	sqlite3_bind_text(st, 3, site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, fmt, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, json_integer_value(json_object_get(shared, "lines")));
	sqlite3_bind_int64(st, 8, ctx->e->at_ms);
	sqlite3_bind_text(st, 9, ctx->actor, -1, SQLITE_STATIC);
	return irk_db_run(ctx->db, st, err);
}
