/*
 * sigma-value.c - one Sigma value and its modifiers, compiled and matched:
 * wildcards and escapes, contains/startswith/endswith, windash, utf16*,
 * base64 and base64offset, re (with i, m, s), cidr, lt/lte/gt/gte,
 * exists, fieldref, cased, null.  See sigma-internal.h.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <arpa/inet.h>
#include <ctype.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irk/hash.h"
#include "sigma-internal.h"

#define MAX_VARIANTS 16

struct bytes {
	unsigned char *b, *m; /* data and wildcard mask */
	size_t n;
};

static void bytes_add(struct bytes *x, unsigned char c, unsigned char mask)
{
	x->b = irk_realloc(x->b, x->n + 2);
	x->m = irk_realloc(x->m, x->n + 2);
	x->b[x->n] = c;
	x->m[x->n] = mask;
	x->n++;
	x->b[x->n] = 0;
}

static void bytes_free(struct bytes *x)
{
	free(x->b);
	free(x->m);
	x->b = x->m = NULL;
	x->n = 0;
}

static int has_mod(const char *const *mods, int n, const char *m)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(mods[i], m))
			return 1;
	return 0;
}

/* Sigma string: '*' and '?' are wildcards; '\*', '\?' and '\\' are the plain characters. */
static void unescape(const char *v, size_t len, struct bytes *out, int wild)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];
		if (wild && c == '\\' && i + 1 < len && (v[i + 1] == '*' || v[i + 1] == '?' ||
							 v[i + 1] == '\\')) {
			bytes_add(out, (unsigned char)v[++i], MASK_LIT);
		} else if (wild && c == '*') {
			bytes_add(out, '*', MASK_STAR);
		} else if (wild && c == '?') {
			bytes_add(out, '?', MASK_ONE);
		} else {
			bytes_add(out, c, MASK_LIT);
		}
	}
}

static int has_wild(const struct bytes *x)
{
	for (size_t i = 0; i < x->n; i++)
		if (x->m[i])
			return 1;
	return 0;
}

static const char *to_utf16(struct bytes *x, int be, int bom)
{
	struct bytes o = { 0 };

	if (bom) {
		bytes_add(&o, be ? 0xfe : 0xff, 0);
		bytes_add(&o, be ? 0xff : 0xfe, 0);
	}
	for (size_t i = 0; i < x->n;) {
		unsigned c = x->b[i], cp, extra;
		if (c < 0x80) {
			cp = c;
			extra = 0;
		} else if ((c & 0xe0) == 0xc0) {
			cp = c & 0x1f;
			extra = 1;
		} else if ((c & 0xf0) == 0xe0) {
			cp = c & 0x0f;
			extra = 2;
		} else {
			bytes_free(&o);
			return "utf16 modifiers support characters of the Basic Multilingual Plane only";
		}
		if (i + extra >= x->n + (extra ? 0 : 1) && extra) {
			bytes_free(&o);
			return "the value is not valid UTF-8";
		}
		for (unsigned k = 1; k <= extra; k++)
			cp = (cp << 6) | (x->b[i + k] & 0x3f);
		i += 1 + extra;
		bytes_add(&o, be ? (unsigned char)(cp >> 8) : (unsigned char)(cp & 0xff), 0);
		bytes_add(&o, be ? (unsigned char)(cp & 0xff) : (unsigned char)(cp >> 8), 0);
	}
	bytes_free(x);
	*x = o;
	return NULL;
}

static void b64_of(const unsigned char *b, size_t n, struct bytes *out)
{
	char *enc = irk_malloc(irk_b64_len(n) + 1);

	irk_b64(b, n, enc);
	for (size_t i = 0; enc[i]; i++)
		bytes_add(out, (unsigned char)enc[i], 0);
	free(enc);
}

/* base64offset: the three encodings of the value at byte offsets 0, 1, 2, trimmed to the stable part. */
static int b64_offsets(const struct bytes *x, struct bytes out[3])
{
	static const size_t start[3] = { 0, 2, 3 };
	static const size_t cut_end[3] = { 0, 3, 2 };

	for (int i = 0; i < 3; i++) {
		unsigned char *tmp = irk_calloc(x->n + 3, 1);
		struct bytes full = { 0 };
		size_t e, s = start[i];

		memset(tmp, ' ', (size_t)i);
		memcpy(tmp + i, x->b, x->n);
		b64_of(tmp, x->n + (size_t)i, &full);
		free(tmp);
		e = full.n - cut_end[(x->n + (size_t)i) % 3];
		memset(&out[i], 0, sizeof(out[i]));
		for (size_t k = s; k < e && k < full.n; k++)
			bytes_add(&out[i], full.b[k], 0);
		bytes_free(&full);
	}
	return 3;
}

static void finish_pattern(struct bytes *x, int cased, int pos, struct sv *v)
{
	size_t i, first = 0, last;
	int inner_wild = 0;

	/* pos: 1 contains, 2 startswith, 3 endswith */
	if (pos == 1 || pos == 3) {
		struct bytes o = { 0 };
		bytes_add(&o, '*', MASK_STAR);
		for (i = 0; i < x->n; i++)
			bytes_add(&o, x->b[i], x->m[i]);
		bytes_free(x);
		*x = o;
	}
	if (pos == 1 || pos == 2)
		bytes_add(x, '*', MASK_STAR);
	if (!cased)
		for (i = 0; i < x->n; i++)
			if (!x->m[i])
				x->b[i] = (unsigned char)tolower(x->b[i]);
	memset(v, 0, sizeof(*v));
	v->type = SV_PATTERN;
	v->cased = cased;
	v->pat = x->b ? x->b : (unsigned char *)irk_strdup("");
	v->mask = x->m ? x->m : (unsigned char *)irk_strdup("");
	v->len = x->n;
	/* The fast shapes: lit, lit*, *lit, *lit*, * */
	last = x->n;
	while (first < x->n && x->m[first] == MASK_STAR)
		first++;
	while (last > first && x->m[last - 1] == MASK_STAR)
		last--;
	for (i = first; i < last; i++)
		if (x->m[i])
			inner_wild = 1;
	v->lit_off = first;
	v->lit_len = last - first;
	for (i = first; i < last && !cased; i++)
		if ((unsigned char)tolower(x->b[i]) != x->b[i])
			v->unfolded = 1;
	if (inner_wild || first > 1 || x->n - last > 1)
		v->shape = SHAPE_GLOB;
	else if (first == x->n)
		v->shape = x->n ? SHAPE_ANY : SHAPE_EXACT;
	else if (first && x->n - last)
		v->shape = SHAPE_CONTAINS;
	else if (first)
		v->shape = SHAPE_SUFFIX;
	else if (x->n - last)
		v->shape = SHAPE_PREFIX;
	else
		v->shape = SHAPE_EXACT;
	x->b = x->m = NULL;
	x->n = 0;
}

static int parse_ip(const char *s, unsigned char ip[16], int *af)
{
	if (inet_pton(AF_INET, s, ip) == 1) {
		*af = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, s, ip) == 1) {
		*af = 6;
		return 0;
	}
	return -1;
}

static const char *compile_re(const char *value, size_t len, const char *const *mods, int nmods,
			      struct sv *v, char *msg)
{
	uint32_t opts = 0;
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *re;

	if (has_mod(mods, nmods, "i"))
		opts |= PCRE2_CASELESS;
	if (has_mod(mods, nmods, "m"))
		opts |= PCRE2_MULTILINE;
	if (has_mod(mods, nmods, "s"))
		opts |= PCRE2_DOTALL;
	re = pcre2_compile((PCRE2_SPTR)value, len, opts | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ec,
			   &eo, NULL);
	if (!re) {
		unsigned char buf[120];
		pcre2_get_error_message(ec, buf, sizeof(buf));
		snprintf(msg, IRK_SV_WHY_MAX, "bad regular expression at offset %zu: %s", (size_t)eo, buf);
		return msg;
	}
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	memset(v, 0, sizeof(*v));
	v->type = SV_RE;
	v->re = re;
	return NULL;
}

const char *irk_sv_compile(const char *value, size_t len, int is_null, const char *const *mods,
			   int nmods, struct sv *out, int *nout, int max_out, char *whybuf)
{
	static const char *const known[] = {
		"contains", "startswith", "endswith", "re",	   "i",	     "m",    "s",
		"cidr",	    "windash",	  "base64",   "base64offset", "utf16le", "utf16be",
		"utf16",    "wide",	  "exists",   "cased",	   "lt",     "lte",  "gt",
		"gte",	    "fieldref",	  NULL
	};
	struct bytes var[MAX_VARIANTS] = { { 0 } };
	int nvar = 1, pos = 0, cased = has_mod(mods, nmods, "cased");
	const char *why = NULL;
	int transform = 0;

	for (int i = 0; i < nmods; i++) {
		int ok = 0;
		for (int k = 0; known[k]; k++)
			ok |= !strcmp(mods[i], known[k]);
		if (!ok)
			return !strcmp(mods[i], "expand") ? "the expand modifier needs placeholders, which irk does not support"
							  : "unknown modifier";
	}
	*nout = 0;
	if (is_null) {
		if (nmods)
			return "a null value takes no modifiers";
		memset(out, 0, sizeof(*out));
		out->type = SV_NULL;
		*nout = 1;
		return NULL;
	}
	if (has_mod(mods, nmods, "re")) {
		for (int i = 0; i < nmods; i++)
			if (strcmp(mods[i], "re") && strcmp(mods[i], "i") && strcmp(mods[i], "m") &&
			    strcmp(mods[i], "s"))
				return "re combines only with i, m and s";
		if ((why = compile_re(value, len, mods, nmods, out, whybuf)))
			return why;
		*nout = 1;
		return NULL;
	}
	for (int i = 0; i < nmods; i++)
		if (!strcmp(mods[i], "i") || !strcmp(mods[i], "m") || !strcmp(mods[i], "s"))
			return "the i, m and s modifiers go with re";
	if (has_mod(mods, nmods, "exists")) {
		if (nmods != 1)
			return "exists takes no other modifier";
		memset(out, 0, sizeof(*out));
		out->type = SV_EXISTS;
		if (len == 4 && !strncasecmp(value, "true", 4))
			out->exists = 1;
		else if (!(len == 5 && !strncasecmp(value, "false", 5)))
			return "exists takes true or false";
		*nout = 1;
		return NULL;
	}
	if (has_mod(mods, nmods, "cidr")) {
		char ipbuf[64];
		const char *slash = memchr(value, '/', len);
		size_t iplen = slash ? (size_t)(slash - value) : len;
		int maxp;
		if (nmods != 1)
			return "cidr takes no other modifier";
		if (iplen >= sizeof(ipbuf))
			return "not a network address";
		memcpy(ipbuf, value, iplen);
		ipbuf[iplen] = 0;
		memset(out, 0, sizeof(*out));
		out->type = SV_CIDR;
		if (parse_ip(ipbuf, out->ip, &out->af))
			return "not a network address (use 10.0.0.0/8 or 2001:db8::/32)";
		maxp = out->af == 4 ? 32 : 128;
		out->prefix = slash ? atoi(slash + 1) : maxp;
		if (out->prefix < 0 || out->prefix > maxp)
			return "the prefix length is out of range";
		*nout = 1;
		return NULL;
	}
	for (int i = 0; i < nmods; i++) {
		static const char *const cmp_names[] = { "gt", "gte", "lt", "lte" };
		for (int k = 0; k < 4; k++)
			if (!strcmp(mods[i], cmp_names[k])) {
				char *end, tmp[64];
				if (nmods != 1)
					return "lt, lte, gt and gte take no other modifier";
				if (len >= sizeof(tmp))
					return "not a number";
				memcpy(tmp, value, len);
				tmp[len] = 0;
				memset(out, 0, sizeof(*out));
				out->type = SV_NUM;
				out->num = strtod(tmp, &end);
				if (end == tmp || *end)
					return "not a number";
				out->cmp = (enum irk_cmp)k;
				*nout = 1;
				return NULL;
			}
	}
	for (int i = 0; i < nmods; i++) {
		if (!strcmp(mods[i], "contains"))
			pos = pos ? -1 : 1;
		else if (!strcmp(mods[i], "startswith"))
			pos = pos ? -1 : 2;
		else if (!strcmp(mods[i], "endswith"))
			pos = pos ? -1 : 3;
	}
	if (pos < 0)
		return "contains, startswith and endswith exclude each other";
	if (has_mod(mods, nmods, "fieldref")) {
		memset(out, 0, sizeof(*out));
		out->type = SV_FIELDREF;
		out->ref = irk_strndup(value, len);
		out->ref_pos = pos;
		out->cased = cased;
		*nout = 1;
		return NULL;
	}
	/* string transformations, in the order written */
	unescape(value, len, &var[0], 1);
	for (int i = 0; i < nmods && !why; i++) {
		const char *m = mods[i];
		if (!strcmp(m, "windash")) {
			static const char *const dashes[] = { "/", "\xe2\x80\x93", "\xe2\x80\x94",
							      "\xe2\x80\x95" };
			int n0 = nvar;
			for (int v = 0; v < n0; v++) {
				if (!memchr(var[v].b, '-', var[v].n))
					continue;
				for (int d = 0; d < 4 && nvar < MAX_VARIANTS; d++) {
					struct bytes *o = &var[nvar++];
					memset(o, 0, sizeof(*o));
					for (size_t k = 0; k < var[v].n; k++) {
						if (var[v].b[k] == '-' && !var[v].m[k])
							for (const char *p = dashes[d]; *p; p++)
								bytes_add(o, (unsigned char)*p, 0);
						else
							bytes_add(o, var[v].b[k], var[v].m[k]);
					}
				}
			}
		} else if (!strcmp(m, "utf16le") || !strcmp(m, "wide") || !strcmp(m, "utf16be") ||
			   !strcmp(m, "utf16")) {
			transform = 1;
			for (int v = 0; v < nvar && !why; v++) {
				if (has_wild(&var[v]))
					why = "wildcards cannot be encoded (utf16)";
				else
					why = to_utf16(&var[v], !strcmp(m, "utf16be"), !strcmp(m, "utf16"));
			}
		} else if (!strcmp(m, "base64")) {
			transform = 1;
			for (int v = 0; v < nvar && !why; v++) {
				struct bytes o = { 0 };
				if (has_wild(&var[v])) {
					why = "wildcards cannot be encoded (base64)";
					break;
				}
				b64_of(var[v].b, var[v].n, &o);
				bytes_free(&var[v]);
				var[v] = o;
			}
		} else if (!strcmp(m, "base64offset")) {
			struct bytes tmp[MAX_VARIANTS * 3];
			int nt = 0;
			transform = 1;
			for (int v = 0; v < nvar; v++) {
				if (has_wild(&var[v])) {
					why = "wildcards cannot be encoded (base64offset)";
					break;
				}
			}
			if (why)
				break;
			if (nvar * 3 > max_out || nvar * 3 > MAX_VARIANTS) {
				why = "too many variants";
				break;
			}
			for (int v = 0; v < nvar; v++) {
				nt += b64_offsets(&var[v], tmp + nt);
				bytes_free(&var[v]);
			}
			for (int v = 0; v < nt; v++)
				var[v] = tmp[v];
			nvar = nt;
		}
	}
	(void)transform;
	if (!why && nvar > max_out)
		why = "too many variants";
	if (why) {
		for (int v = 0; v < nvar; v++)
			bytes_free(&var[v]);
		return why;
	}
	for (int v = 0; v < nvar; v++)
		finish_pattern(&var[v], cased, pos, &out[v]);
	*nout = nvar;
	return NULL;
}

void irk_sv_release(struct sv *v)
{
	free(v->pat);
	free(v->mask);
	free(v->ref);
	if (v->re)
		pcre2_code_free(v->re);
}

/* Iterative wildcard match with backtracking to the last star. */
int irk_wild_match(const struct sv *v, const unsigned char *s, size_t n)
{
	size_t p = 0, i = 0, star_p = (size_t)-1, star_i = 0;

	while (i < n) {
		if (p < v->len && v->mask[p] == MASK_STAR) {
			star_p = p++;
			star_i = i;
		} else if (p < v->len &&
			   (v->mask[p] == MASK_ONE ||
			    v->pat[p] == (v->cased ? s[i] : (unsigned char)tolower(s[i])))) {
			p++;
			i++;
		} else if (star_p != (size_t)-1) {
			p = star_p + 1;
			i = ++star_i;
		} else {
			return 0;
		}
	}
	while (p < v->len && v->mask[p] == MASK_STAR)
		p++;
	return p == v->len;
}

int irk_sv_eq_unfolded(const struct sv *v, const unsigned char *s)
{
	const unsigned char *lit = v->pat + v->lit_off;

	for (size_t i = 0; i < v->lit_len; i++)
		if (lit[i] != (unsigned char)tolower(s[i]))
			return 0;
	return 1;
}

int irk_sv_contains(const struct sv *v, const unsigned char *s, size_t n)
{
	const unsigned char *lit = v->pat + v->lit_off;
	unsigned char c0, c1;

	if (v->lit_len > n)
		return 0;
	if (!v->lit_len)
		return 1;
	c0 = lit[0];
	c1 = v->cased ? c0 : (unsigned char)toupper(c0);
	for (size_t i = 0; i + v->lit_len <= n; i++) {
		const unsigned char *a = memchr(s + i, c0, n - v->lit_len + 1 - i);
		const unsigned char *b = c1 != c0 ? memchr(s + i, c1, n - v->lit_len + 1 - i) : NULL;
		const unsigned char *f = a && (!b || a < b) ? a : b;
		if (!f)
			return 0;
		i = (size_t)(f - s);
		if (irk_sv_eq_at(v, f))
			return 1;
	}
	return 0;
}

static int ip_in(const struct sv *v, const char *val)
{
	unsigned char ip[16];
	int af, bits = v->prefix;

	if (parse_ip(val, ip, &af) || af != v->af)
		return 0;
	for (int i = 0; bits > 0; i++, bits -= 8) {
		unsigned char mask = bits >= 8 ? 0xff : (unsigned char)(0xff << (8 - bits));
		if ((ip[i] & mask) != (v->ip[i] & mask))
			return 0;
	}
	return 1;
}

static int fieldref_match(const struct sv *v, const struct irk_event *ev, const char *val,
			  size_t len)
{
	size_t on;
	const char *other = irk_event_get(ev, v->ref, &on);
	int (*cmp)(const char *, const char *, size_t) = v->cased ? strncmp : strncasecmp;

	if (!other || !val)
		return 0;
	switch (v->ref_pos) {
	case 1:
		for (size_t i = 0; i + on <= len; i++)
			if (!cmp(val + i, other, on))
				return 1;
		return 0;
	case 2:
		return on <= len && !cmp(val, other, on);
	case 3:
		return on <= len && !cmp(val + len - on, other, on);
	default:
		return on == len && !cmp(val, other, on);
	}
}

int irk_sv_match(const struct sv *v, const struct irk_event *ev, const char *val, size_t len,
		 struct irk_sigma_scratch *s)
{
	const unsigned char *u = (const unsigned char *)val;

	switch (v->type) {
	case SV_NULL:
		return val == NULL;
	case SV_EXISTS:
		return (val != NULL) == v->exists;
	case SV_FIELDREF:
		return fieldref_match(v, ev, val, len);
	default:
		break;
	}
	if (!val)
		return 0;
	switch (v->type) {
	case SV_PATTERN:
		return irk_sv_match_pattern(v, u, len);
	case SV_RE:
		if (!s->match_data)
			s->match_data = pcre2_match_data_create(1, NULL);
		return pcre2_match(v->re, (PCRE2_SPTR)val, len, 0, 0, s->match_data, NULL) >= 0;
	case SV_CIDR:
		return ip_in(v, val);
	case SV_NUM: {
		char *end;
		double d = strtod(val, &end);
		if (end == val || *end)
			return 0;
		switch (v->cmp) {
		case IRK_CMP_GT: return d > v->num;
		case IRK_CMP_GTE: return d >= v->num;
		case IRK_CMP_LT: return d < v->num;
		default: return d <= v->num;
		}
	}
	default:
		return 0;
	}
}

void irk_sigma_scratch_release(struct irk_sigma_scratch *s)
{
	if (s->match_data)
		pcre2_match_data_free(s->match_data);
	s->match_data = NULL;
}
