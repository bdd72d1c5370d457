/*
 * prefilter.c - one multi-literal search per block (Hyperscan or PCRE2 JIT)
 * to decide which lines and which rules are worth parsing and matching; see
 * irk/prefilter.h.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if IRK_HAVE_HS
#include <hs/hs.h>
#endif

#include "irk/prefilter.h"

#define NFORMATS 3 /* syslog, access, json: enum irk_log_format - 1 */
#define NEEDLE_MIN 3

struct needle {
	char *text;
	size_t len;
	int caseless;
	uint64_t *rules; /* [NFORMATS][nw]: the rules this text lets through, per format */
};

struct irk_prefilter {
	enum irk_prefilter_engine engine;
	int nrules, nw;
	int nneedles;
	struct needle *needles;
	uint64_t *always;  /* [NFORMATS][nw] */
	uint64_t *any;     /* [NFORMATS][nw]: always + every rule with texts */
	int nalways;
	pcre2_code *re;
#if IRK_HAVE_HS
	hs_database_t *db;
	hs_scratch_t *proto;
#endif
};

struct hit {
	size_t end;
	int id; /* the needle, or -1: "some needle" (PCRE2) */
};

struct irk_prefilter_state {
	struct hit *hits;
	size_t n, cap, pos;
	size_t cutoff; /* lines ending after this get every rule: the hit cap was reached */
	uint64_t *cand;
	pcre2_match_data *md;
#if IRK_HAVE_HS
	hs_scratch_t *scratch;
#endif
};

static uint64_t *mask(const struct irk_prefilter *p, uint64_t *base, enum irk_log_format f)
{
	return base + (size_t)(f - 1) * (size_t)p->nw;
}

static void set_bit(uint64_t *m, int r)
{
	m[r / 64] |= 1ULL << (r % 64);
}

/* Does the C library fold case as plain ASCII (what Hyperscan and PCRE2 do)? */
static int ascii_folding(void)
{
	for (int c = 0; c < 256; c++) {
		int want = c >= 'A' && c <= 'Z' ? c + 32 : c;
		if (tolower(c) != want)
			return 0;
	}
	return 1;
}

static int needle_id(struct irk_prefilter *p, const struct irk_needle *n)
{
	struct needle *x;

	for (int i = 0; i < p->nneedles; i++)
		if (p->needles[i].len == n->len && p->needles[i].caseless == n->caseless &&
		    !memcmp(p->needles[i].text, n->text, n->len))
			return i;
	p->needles = irk_realloc(p->needles, sizeof(*p->needles) * (size_t)(p->nneedles + 1));
	x = &p->needles[p->nneedles];
	x->text = irk_strndup(n->text, n->len);
	x->len = n->len;
	x->caseless = n->caseless;
	x->rules = irk_calloc((size_t)NFORMATS * (size_t)p->nw, sizeof(uint64_t));
	return p->nneedles++;
}

static enum irk_code compile_pcre2(struct irk_prefilter *p, struct irk_err *err)
{
	struct irk_buf pat = IRK_BUF_INIT;
	int ec;
	PCRE2_SIZE eo;

	for (int i = 0; i < p->nneedles; i++) {
		const struct needle *n = &p->needles[i];
		irk_buf_adds(&pat, i ? "|" : "");
		irk_buf_adds(&pat, n->caseless ? "(?i:" : "(?:");
		for (size_t k = 0; k < n->len; k++)
			irk_buf_addf(&pat, "\\x{%02x}", (unsigned char)n->text[k]);
		irk_buf_addch(&pat, ')');
	}
	p->re = pcre2_compile((PCRE2_SPTR)pat.buf, pat.len, 0, &ec, &eo, NULL);
	irk_buf_release(&pat);
	if (!p->re) {
		unsigned char msg[120];
		pcre2_get_error_message(ec, msg, sizeof(msg));
		return irk_fail(err, IRK_EINVAL, "the prefilter's pattern does not compile: %s", msg);
	}
	pcre2_jit_compile(p->re, PCRE2_JIT_COMPLETE);
	p->engine = IRK_PREFILTER_PCRE2;
	return IRK_OK;
}

#if IRK_HAVE_HS
static enum irk_code compile_hs(struct irk_prefilter *p, struct irk_err *err)
{
	const char **exprs = irk_calloc((size_t)p->nneedles, sizeof(char *));
	unsigned *flags = irk_calloc((size_t)p->nneedles, sizeof(unsigned));
	unsigned *ids = irk_calloc((size_t)p->nneedles, sizeof(unsigned));
	size_t *lens = irk_calloc((size_t)p->nneedles, sizeof(size_t));
	hs_compile_error_t *ce = NULL;
	enum irk_code rc = IRK_OK;

	for (int i = 0; i < p->nneedles; i++) {
		exprs[i] = p->needles[i].text;
		lens[i] = p->needles[i].len;
		ids[i] = (unsigned)i;
		/* every occurrence is wanted (a single match per block would lose lines) */
		flags[i] = p->needles[i].caseless ? HS_FLAG_CASELESS : 0;
	}
	if (hs_compile_lit_multi(exprs, flags, ids, lens, (unsigned)p->nneedles, HS_MODE_BLOCK, NULL,
				 &p->db, &ce) != HS_SUCCESS) {
		rc = irk_fail(err, IRK_EINVAL, "the prefilter's literals do not compile: %s",
			      ce ? ce->message : "?");
		hs_free_compile_error(ce);
	} else if (hs_alloc_scratch(p->db, &p->proto) != HS_SUCCESS) {
		rc = irk_fail(err, IRK_EIO, "cannot allocate the prefilter's scratch space");
	} else {
		p->engine = IRK_PREFILTER_HYPERSCAN;
	}
	free(exprs);
	free(flags);
	free(ids);
	free(lens);
	return rc;
}
#endif

enum irk_code irk_prefilter_new(const struct irk_ruleset *rs, enum irk_prefilter_engine engine,
				struct irk_prefilter **out, struct irk_err *err)
{
	struct irk_prefilter *p = irk_calloc(1, sizeof(*p));
	int caseless_ok = ascii_folding();
	enum irk_code rc = IRK_OK;

	p->nrules = rs->nrules;
	p->nw = (rs->nrules + 63) / 64 + 1;
	p->always = irk_calloc((size_t)NFORMATS * (size_t)p->nw, sizeof(uint64_t));
	p->any = irk_calloc((size_t)NFORMATS * (size_t)p->nw, sizeof(uint64_t));
	for (int r = 0; r < rs->nrules; r++) {
		int is_always = 0;
		if (!rs->rules[r]->det)
			continue; /* correlations take their events from detection rules */
		for (int f = IRK_LOG_SYSLOG; f <= IRK_LOG_JSON; f++) {
			struct irk_needles nd;
			irk_sigma_needles(rs->rules[r], f, caseless_ok, &nd);
			/* a text of a character or two is in nearly every line: not worth searching */
			for (int i = 0; !nd.always && i < nd.n; i++)
				if (nd.v[i].len < NEEDLE_MIN)
					nd.always = 1;
			if (nd.always) {
				set_bit(mask(p, p->always, f), r);
				set_bit(mask(p, p->any, f), r);
				is_always = 1;
			}
			for (int i = 0; !nd.always && i < nd.n; i++) {
				int id;
				/* no line holds a newline: such a text never occurs, nor can the value */
				if (memchr(nd.v[i].text, '\n', nd.v[i].len))
					continue;
				id = needle_id(p, &nd.v[i]);
				set_bit(mask(p, p->needles[id].rules, f), r);
				set_bit(mask(p, p->any, f), r);
			}
			irk_needles_release(&nd);
		}
		p->nalways += is_always;
	}
	if (p->nneedles) {
#if IRK_HAVE_HS
		if (engine != IRK_PREFILTER_PCRE2 && hs_valid_platform() == HS_SUCCESS)
			rc = compile_hs(p, err);
		else
#endif
			rc = compile_pcre2(p, err);
	} else {
		p->engine = engine == IRK_PREFILTER_PCRE2 ? IRK_PREFILTER_PCRE2 : IRK_PREFILTER_AUTO;
	}
	if (rc) {
		irk_prefilter_free(p);
		return rc;
	}
	*out = p;
	return IRK_OK;
}

void irk_prefilter_free(struct irk_prefilter *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->nneedles; i++) {
		free(p->needles[i].text);
		free(p->needles[i].rules);
	}
	free(p->needles);
	free(p->always);
	free(p->any);
	if (p->re)
		pcre2_code_free(p->re);
#if IRK_HAVE_HS
	if (p->proto)
		hs_free_scratch(p->proto);
	if (p->db)
		hs_free_database(p->db);
#endif
	free(p);
}

const char *irk_prefilter_engine_name(const struct irk_prefilter *p)
{
	return p->engine == IRK_PREFILTER_HYPERSCAN ? "hyperscan"
	       : p->engine == IRK_PREFILTER_PCRE2 ? "pcre2" : "none";
}

int irk_prefilter_needles(const struct irk_prefilter *p)
{
	return p->nneedles;
}

int irk_prefilter_always(const struct irk_prefilter *p)
{
	return p->nalways;
}

struct irk_prefilter_state *irk_prefilter_state_new(const struct irk_prefilter *p)
{
	struct irk_prefilter_state *st = irk_calloc(1, sizeof(*st));

	st->cand = irk_calloc((size_t)p->nw, sizeof(uint64_t));
	if (p->re)
		st->md = pcre2_match_data_create(1, NULL);
#if IRK_HAVE_HS
	if (p->proto && hs_clone_scratch(p->proto, &st->scratch) != HS_SUCCESS)
		st->scratch = NULL;
#endif
	return st;
}

void irk_prefilter_state_free(struct irk_prefilter_state *st)
{
	if (!st)
		return;
	free(st->hits);
	free(st->cand);
	if (st->md)
		pcre2_match_data_free(st->md);
#if IRK_HAVE_HS
	if (st->scratch)
		hs_free_scratch(st->scratch);
#endif
	free(st);
}

/* Record one place; returns 0 when the cap is reached (the rest of the block gets every rule). */
static int add_hit(struct irk_prefilter_state *st, size_t end, int id)
{
	if (st->n && st->hits[st->n - 1].end == end && st->hits[st->n - 1].id == id)
		return 1;
	if (st->n == IRK_PREFILTER_HITS_MAX) {
		st->cutoff = end;
		return 0;
	}
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 4096;
		st->hits = irk_realloc(st->hits, sizeof(*st->hits) * st->cap);
	}
	st->hits[st->n].end = end;
	st->hits[st->n++].id = id;
	return 1;
}

#if IRK_HAVE_HS
static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
		    void *ctx)
{
	(void)from;
	(void)flags;
	return !add_hit(ctx, (size_t)to, (int)id);
}

static int by_end(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	return x->end < y->end ? -1 : x->end > y->end;
}
#endif

void irk_prefilter_scan(const struct irk_prefilter *p, struct irk_prefilter_state *st,
			const char *data, size_t len)
{
	st->n = st->pos = 0;
	st->cutoff = (size_t)-1;
	if (!p->nneedles)
		return;
#if IRK_HAVE_HS
	if (p->db) {
		int sorted = 1;
		hs_error_t e = HS_INVALID;
		/* hs_scan takes an unsigned length; blocks are far smaller (IRK_SCAN_CHUNK) */
		if (st->scratch && len <= 0xffffffffu)
			e = hs_scan(p->db, data, (unsigned)len, 0, st->scratch, on_match, st);
		if (e != HS_SUCCESS && e != HS_SCAN_TERMINATED) {
			st->cutoff = 0; /* cannot search: every line gets every rule */
			return;
		}
		for (size_t i = 1; i < st->n && sorted; i++)
			sorted = st->hits[i - 1].end <= st->hits[i].end;
		if (!sorted)
			qsort(st->hits, st->n, sizeof(*st->hits), by_end);
		return;
	}
#endif
	for (size_t start = 0; start < len;) {
		int rc = pcre2_match(p->re, (PCRE2_SPTR)data, len, start, 0, st->md, NULL);
		PCRE2_SIZE *ov;
		const char *nl;
		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0) {
			st->cutoff = start; /* a matching error: the rest gets every rule */
			return;
		}
		ov = pcre2_get_ovector_pointer(st->md);
		if (!add_hit(st, ov[1], -1))
			return;
		/* the line is a candidate: go on from the next one */
		nl = memchr(data + ov[1], '\n', len - ov[1]);
		start = nl ? (size_t)(nl - data) + 1 : len;
	}
}

const uint64_t *irk_prefilter_line(const struct irk_prefilter *p, struct irk_prefilter_state *st,
				   size_t off, size_t end, enum irk_log_format f)
{
	uint64_t any = 0;

	(void)off;
	if (f < IRK_LOG_SYSLOG || f > IRK_LOG_JSON)
		f = IRK_LOG_SYSLOG;
	if (end > st->cutoff) {
		memcpy(st->cand, mask(p, p->any, f), sizeof(uint64_t) * (size_t)p->nw);
	} else {
		memcpy(st->cand, mask(p, p->always, f), sizeof(uint64_t) * (size_t)p->nw);
		/* a place belongs to the line its last byte is in: end <= the newline */
		for (; st->pos < st->n && st->hits[st->pos].end <= end; st->pos++) {
			const uint64_t *m = st->hits[st->pos].id < 0
						    ? mask(p, p->any, f)
						    : mask(p, p->needles[st->hits[st->pos].id].rules, f);
			for (int w = 0; w < p->nw; w++)
				st->cand[w] |= m[w];
		}
	}
	for (int w = 0; w < p->nw; w++)
		any |= st->cand[w];
	return any ? st->cand : NULL;
}
