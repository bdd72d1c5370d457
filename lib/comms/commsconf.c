/* commsconf.c - reading the casebook's communication settings; see irk/commsconf.h. */
#include <arpa/inet.h>
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "irk/buf.h"
#include "irk/commsconf.h"
#include "irk/fs.h"

static const char *const default_nets[] = { "10.0.0.0/8",  "172.16.0.0/12", "192.168.0.0/16",
					    "127.0.0.0/8", "fc00::/7",	    "::1/128",
					    NULL };

void irk_strlist_add(struct irk_strlist *l, const char *s, size_t len)
{
	l->v = irk_realloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = irk_strndup(s, len);
}

void irk_strlist_release(struct irk_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void irk_comms_config_release(struct irk_comms_config *c)
{
	irk_strlist_release(&c->org_domains);
	irk_strlist_release(&c->internal_hosts);
	irk_strlist_release(&c->internal_nets);
	irk_strlist_release(&c->local_users);
	free(c->log_timezone);
	free(c->org_name);
	free(c->contact);
	memset(c, 0, sizeof(*c));
}

static void trim(const char **s, const char **e)
{
	while (*s < *e && isspace((unsigned char)**s))
		(*s)++;
	while (*e > *s && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

/* Add the comma-separated items of [s, e) to l. */
static void add_items(struct irk_strlist *l, const char *s, const char *e)
{
	while (s < e) {
		const char *comma = memchr(s, ',', (size_t)(e - s));
		const char *ie = comma ? comma : e, *is = s;

		trim(&is, &ie);
		if (ie > is)
			irk_strlist_add(l, is, (size_t)(ie - is));
		s = comma ? comma + 1 : e;
	}
}

static void set_one(char **dst, const char *s, const char *e)
{
	free(*dst);
	*dst = irk_strndup(s, (size_t)(e - s));
}

enum irk_code irk_comms_config_parse(const char *text, size_t len, struct irk_comms_config *c,
				     struct irk_err *err)
{
	const char *p = text, *end = text + len;
	int line = 0;

	memset(c, 0, sizeof(*c));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;
		const char *colon, *ks = p, *ke, *vs, *ve = le;

		line++;
		p = nl ? nl + 1 : end;
		trim(&ks, &ve);
		if (ks == ve || *ks == '#')
			continue;
		colon = memchr(ks, ':', (size_t)(ve - ks));
		if (!colon)
			continue; /* not ours to judge: other modules may use other forms */
		ke = colon;
		vs = colon + 1;
		trim(&ks, &ke);
		trim(&vs, &ve);
#define KEY(k) ((size_t)(ke - ks) == strlen(k) && !memcmp(ks, k, strlen(k)))
		if (KEY("comms.org-domain"))
			add_items(&c->org_domains, vs, ve);
		else if (KEY("comms.internal-host"))
			add_items(&c->internal_hosts, vs, ve);
		else if (KEY("comms.local-user"))
			add_items(&c->local_users, vs, ve);
		else if (KEY("comms.internal-net")) {
			size_t first = c->internal_nets.n;
			add_items(&c->internal_nets, vs, ve);
			for (size_t i = first; i < c->internal_nets.n; i++) {
				struct irk_net n;
				if (irk_net_parse(c->internal_nets.v[i], &n, err)) {
					irk_err_prefix(err, "config line %d (comms.internal-net)", line);
					irk_comms_config_release(c);
					return IRK_EINVAL;
				}
			}
		} else if (KEY("comms.log-timezone"))
			set_one(&c->log_timezone, vs, ve);
		else if (KEY("comms.org-name"))
			set_one(&c->org_name, vs, ve);
		else if (KEY("comms.contact"))
			set_one(&c->contact, vs, ve);
#undef KEY
	}
	return IRK_OK;
}

enum irk_code irk_comms_config_load(struct irk_casebook *cb, struct irk_comms_config *c,
				    struct irk_err *err)
{
	struct irk_buf path = IRK_BUF_INIT, text = IRK_BUF_INIT;
	struct irk_err sub = IRK_ERR_INIT;
	enum irk_code rc;

	irk_path_join(&path, cb->dir, "config");
	rc = irk_read_file(path.buf, IRK_COMMS_CONFIG_MAX, &text, &sub);
	if (rc == IRK_ENOTFOUND) {
		memset(c, 0, sizeof(*c));
		rc = IRK_OK;
	} else if (rc) {
		irk_fail(err, rc, "%s", sub.msg);
	} else {
		rc = irk_comms_config_parse(text.buf, text.len, c, err);
		if (rc)
			irk_err_prefix(err, "%s", path.buf);
	}
	irk_buf_release(&path);
	irk_buf_release(&text);
	return rc;
}

static char *lower_dup(const char *s, size_t len)
{
	char *d = irk_strndup(s, len);

	for (char *q = d; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	return d;
}

int irk_comms_host_internal(const struct irk_comms_config *c, const char *host, size_t len)
{
	char *h = lower_dup(host, len);
	int hit = 0;

	for (size_t i = 0; i < c->internal_hosts.n && !hit; i++)
		hit = fnmatch(c->internal_hosts.v[i], h, FNM_CASEFOLD) == 0;
	free(h);
	return hit;
}

int irk_comms_host_own(const struct irk_comms_config *c, const char *host, size_t len)
{
	for (size_t i = 0; i < c->org_domains.n; i++) {
		const char *d = c->org_domains.v[i];
		size_t dl = strlen(d);

		if (len < dl || strncasecmp(host + len - dl, d, dl))
			continue;
		if (len == dl || host[len - dl - 1] == '.')
			return 1;
	}
	return 0;
}

enum irk_code irk_net_parse(const char *s, struct irk_net *n, struct irk_err *err)
{
	char addr[64];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	char *end;
	long bits;

	memset(n, 0, sizeof(*n));
	if (alen == 0 || alen >= sizeof(addr))
		goto bad;
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET, addr, n->addr) == 1)
		n->family = 4;
	else if (inet_pton(AF_INET6, addr, n->addr) == 1)
		n->family = 6;
	else
		goto bad;
	n->bits = n->family == 4 ? 32 : 128;
	if (slash) {
		bits = strtol(slash + 1, &end, 10);
		if (!slash[1] || *end || bits < 0 || bits > n->bits)
			goto bad;
		n->bits = (int)bits;
	}
	return IRK_OK;
bad:
	irk_fail(err, IRK_EINVAL, "'%s' is not an address or an address range (CIDR)", s);
	irk_hint(err, "write it as 192.0.2.0/24, 2001:db8::/32 or a single address");
	return IRK_EINVAL;
}

int irk_net_contains(const struct irk_net *n, const char *text, size_t len)
{
	unsigned char a[16];
	char buf[64];
	int full, rest;

	if (len == 0 || len >= sizeof(buf))
		return 0;
	memcpy(buf, text, len);
	buf[len] = '\0';
	if (inet_pton(n->family == 4 ? AF_INET : AF_INET6, buf, a) != 1)
		return 0;
	full = n->bits / 8;
	rest = n->bits % 8;
	if (memcmp(a, n->addr, (size_t)full))
		return 0;
	if (rest && ((a[full] ^ n->addr[full]) & (0xff << (8 - rest)) & 0xff))
		return 0;
	return 1;
}

int irk_comms_addr_internal(const struct irk_comms_config *c, const char *addr, size_t len)
{
	struct irk_net n;

	if (c->internal_nets.n) {
		for (size_t i = 0; i < c->internal_nets.n; i++)
			if (irk_net_parse(c->internal_nets.v[i], &n, NULL) == IRK_OK &&
			    irk_net_contains(&n, addr, len))
				return 1;
		return 0;
	}
	for (int i = 0; default_nets[i]; i++)
		if (irk_net_parse(default_nets[i], &n, NULL) == IRK_OK && irk_net_contains(&n, addr, len))
			return 1;
	return 0;
}
