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

#define MARK_MAX 12  /* digits of a needle id in a (*MARK:id) */
/*
 * PCRE2: the prefilter of a format switches itself off when over the first
 * blocks it searched for the format (until they held OFF_MIN_LINES lines of
 * it) it let through at least OFF_PCT% of the rules it could have let
 * through on each line: the rules it spared would not pay for the searches.
 */
#define OFF_PCT 90
#define OFF_MIN_LINES 1000

struct needle {
	char *text;
	size_t len;
	int caseless;
	uint64_t *rules; /* [NFORMATS][nw]: the rules this text lets through, per format */
	uint64_t *hit;	 /* [NFORMATS][nw]: what a search hit naming this text lets through */
	size_t anchor;	 /* PCRE2: the two bytes text[anchor..anchor+1] are searched first */
};

/* One PCRE2 search: the texts of one format that share an anchor pair. */
struct pass {
	pcre2_code *re;
	int jit;
};

struct irk_prefilter {
	enum irk_prefilter_engine engine;
	int nrules, nw;
	int nneedles;
	struct needle *needles;
	uint64_t *always;  /* [NFORMATS][nw] */
	uint64_t *any;     /* [NFORMATS][nw]: always + every rule with texts */
	int nalways;
	int has_always[NFORMATS]; /* some rule is tried on every line of the format */
	struct pass *passes[NFORMATS];
	int npasses[NFORMATS];
	int off[NFORMATS]; /* PCRE2: the percentage let through that switched the format off, or 0 */
#if IRK_HAVE_HS
	hs_database_t *db[NFORMATS]; /* per format: its texts (none: the format has no texts) */
	hs_scratch_t *proto;	     /* fits every one of them */
#endif
};

struct hit {
	size_t at; /* a byte of the text: the line holding it holds the text */
	int id;
};

/* The hits of one search over the block, in order of place. */
struct hits {
	struct hit *v;
	size_t n, cap, pos;
};

struct irk_prefilter_state {
	const char *data;
	size_t len;
	size_t total;		 /* places kept in all lists: at most IRK_PREFILTER_HITS_MAX */
	int nlists;
	struct hits *lists;	 /* Hyperscan: one per format; PCRE2: one per pass, formats one after another */
	int scanned[NFORMATS];	 /* searched this block for the format (1), or skipped (2: PCRE2 off) */
	size_t cutoff[NFORMATS]; /* lines ending after this get every rule: the hit cap was reached */
	/* the first searched blocks of each format: lines, rules let through, rules that could have been */
	int64_t lines[NFORMATS], let[NFORMATS], could[NFORMATS];
	int measured[NFORMATS];
	uint64_t *cand;
	pcre2_match_data *md;
#if IRK_HAVE_HS
	hs_scratch_t *scratch;
	int searching; /* the format whose database is being searched (for on_match) */
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

static int nonzero(const uint64_t *m, int nw)
{
	for (int w = 0; w < nw; w++)
		if (m[w])
			return 1;
	return 0;
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
	x->hit = irk_calloc((size_t)NFORMATS * (size_t)p->nw, sizeof(uint64_t));
	x->anchor = 0;
	return p->nneedles++;
}

/* Case folding as PCRE2 and Hyperscan do it here: ASCII letters only. */
static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int ascii_upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 32 : c;
}

/*
 * How often a byte turns up in log text, roughly, per mille (measured on
 * syslog and access-log samples).  It only steers which two bytes of a text
 * PCRE2 looks for first; any choice finds the same lines.
 */
static int byte_freq(int c)
{
	if (c == ' ')
		return 100;
	if (c >= '0' && c <= '9')
		return 35;
	if (strchr(".:/-\"", c))
		return 40;
	if (c >= 'a' && c <= 'z')
		return strchr("etaoisrn", c) ? 35 : strchr("hldcupm", c) ? 20
		       : strchr("fgwybvk", c) ? 8 : 2;
	if (c >= 'A' && c <= 'Z')
		return 3;
	if (strchr("=[]();_,", c))
		return 8;
	return 1;
}

static int case_byte_freq(int c, int caseless)
{
	if (caseless && ascii_lower(c) != ascii_upper(c))
		return byte_freq(ascii_lower(c)) + byte_freq(ascii_upper(c));
	return byte_freq(c);
}

static int same_byte(int a, int b, int caseless)
{
	return caseless ? ascii_lower(a) == ascii_lower(b) : a == b;
}

/*
 * The pair of neighbouring bytes of a text that is least often in log
 * lines.  A pair of two equal bytes ("..") is taken only when there is no
 * other: PCRE2 10.42's JIT does not search such a pair with SIMD (over ten
 * times slower, measured).
 */
static size_t rarest_pair(const struct needle *n)
{
	size_t best = 0;
	long best_cost = -1;

	for (size_t k = 0; k + 1 < n->len; k++) {
		long c = (long)case_byte_freq((unsigned char)n->text[k], n->caseless) *
			 case_byte_freq((unsigned char)n->text[k + 1], n->caseless);
		if (same_byte((unsigned char)n->text[k], (unsigned char)n->text[k + 1], n->caseless))
			c += 1000000;
		if (best_cost < 0 || c < best_cost) {
			best_cost = c;
			best = k;
		}
	}
	return best;
}

static int same_pair(const struct needle *a, const struct needle *b)
{
	return a->caseless == b->caseless &&
	       same_byte((unsigned char)a->text[a->anchor], (unsigned char)b->text[b->anchor],
			 a->caseless) &&
	       same_byte((unsigned char)a->text[a->anchor + 1],
			 (unsigned char)b->text[b->anchor + 1], a->caseless);
}

/* Could b be at the same place as a (their anchors on the same bytes)?  Then a hit on a may hide b. */
static int may_overlap(const struct needle *a, const struct needle *b)
{
	for (size_t i = 0; i < a->len; i++) {
		/* the byte of b over a's byte i */
		long j = (long)i - (long)a->anchor + (long)b->anchor;
		if (j >= 0 && (size_t)j < b->len &&
		    !same_byte((unsigned char)a->text[i], (unsigned char)b->text[j],
			       a->caseless || b->caseless))
			return 0;
	}
	return 1;
}

/* Longer texts first (then by id): an insertion sort, the groups are small. */
static void by_length(const struct irk_prefilter *p, int *ids, int n)
{
	for (int i = 1; i < n; i++) {
		int x = ids[i], k = i;
		while (k > 0 && (p->needles[ids[k - 1]].len < p->needles[x].len ||
				 (p->needles[ids[k - 1]].len == p->needles[x].len && ids[k - 1] > x))) {
			ids[k] = ids[k - 1];
			k--;
		}
		ids[k] = x;
	}
}

static void add_literal(struct irk_buf *pat, const char *s, size_t n)
{
	for (size_t k = 0; k < n; k++)
		irk_buf_addf(pat, "\\x{%02x}", (unsigned char)s[k]);
}

/*
 * The pattern of one group of texts that share an anchor pair: the pair,
 * then for each text what follows it (lookahead) and what precedes it
 * (lookbehind), marked with the text's id.
 */
static void group_pattern(const struct irk_prefilter *p, const int *ids, int n, struct irk_buf *pat)
{
	const struct needle *first = &p->needles[ids[0]];

	irk_buf_adds(pat, first->caseless ? "(?i:" : "(?:");
	add_literal(pat, first->text + first->anchor, 2);
	irk_buf_adds(pat, "(?:");
	for (int i = 0; i < n; i++) {
		const struct needle *x = &p->needles[ids[i]];
		irk_buf_adds(pat, i ? "|" : "");
		if (x->anchor + 2 < x->len) {
			irk_buf_adds(pat, "(?=");
			add_literal(pat, x->text + x->anchor + 2, x->len - x->anchor - 2);
			irk_buf_addch(pat, ')');
		}
		if (x->anchor) {
			irk_buf_adds(pat, "(?<=");
			add_literal(pat, x->text, x->anchor + 2);
			irk_buf_addch(pat, ')');
		}
		irk_buf_addf(pat, "(*MARK:%d)", ids[i]);
	}
	irk_buf_adds(pat, "))");
}

/* The byte values a pass's pattern may start with at offset k of the pair, added to set[]. */
static int pair_bytes(const struct needle *n, int k, unsigned char *set, int nset)
{
	int c = (unsigned char)n->text[n->anchor + (size_t)k];
	int v[2] = { c, c }, nv = 1;

	if (n->caseless && ascii_lower(c) != ascii_upper(c)) {
		v[0] = ascii_lower(c);
		v[1] = ascii_upper(c);
		nv = 2;
	}
	for (int i = 0; i < nv; i++) {
		int seen = 0;
		for (int j = 0; j < nset; j++)
			seen |= set[j] == v[i];
		if (!seen && nset < 4)
			set[nset++] = (unsigned char)v[i];
	}
	return nset;
}

/*
 * Can groups a and b (by their first texts) share one search?  PCRE2's JIT
 * searches with SIMD for a start that has at most two byte values at each
 * of two offsets; three or more and it goes byte by byte, several times
 * slower (measured): two groups share a search only if that stays so.
 */
static int may_share(const struct needle *a, const struct needle *b)
{
	for (int k = 0; k < 2; k++) {
		unsigned char set[4];
		int n = pair_bytes(a, k, set, 0);
		if (pair_bytes(b, k, set, n) > 2)
			return 0;
	}
	return 1;
}

static enum irk_code compile_pass(struct pass *ps, const struct irk_buf *pat, struct irk_err *err)
{
	int ec;
	PCRE2_SIZE eo;

	ps->re = pcre2_compile((PCRE2_SPTR)pat->buf, pat->len, PCRE2_NO_AUTO_CAPTURE, &ec, &eo, NULL);
	if (!ps->re) {
		unsigned char msg[120];
		pcre2_get_error_message(ec, msg, sizeof(msg));
		return irk_fail(err, IRK_EINVAL, "the prefilter's pattern does not compile: %s", msg);
	}
	/* without a JIT (some platforms), pcre2_match interprets the same pattern */
	ps->jit = pcre2_jit_compile(ps->re, PCRE2_JIT_COMPLETE) == 0;
	return IRK_OK;
}

/* The PCRE2 searches of each format: the texts of the format grouped by anchor pair. */
static enum irk_code compile_pcre2(struct irk_prefilter *p, struct irk_err *err)
{
	int *ids = irk_calloc((size_t)p->nneedles + 1, sizeof(int));
	int *group = irk_calloc((size_t)p->nneedles + 1, sizeof(int));
	int *mem = irk_calloc((size_t)p->nneedles + 1, sizeof(int));
	int *taken = irk_calloc((size_t)p->nneedles + 1, sizeof(int));
	struct irk_buf pat = IRK_BUF_INIT;
	enum irk_code rc = IRK_OK;

	p->engine = IRK_PREFILTER_PCRE2;
	for (int i = 0; i < p->nneedles; i++)
		p->needles[i].anchor = rarest_pair(&p->needles[i]);
	for (int f = IRK_LOG_SYSLOG; f <= IRK_LOG_JSON && !rc; f++) {
		int n = 0, ngroups = 0;
		memset(taken, 0, sizeof(int) * ((size_t)p->nneedles + 1));
		for (int i = 0; i < p->nneedles; i++)
			if (nonzero(mask(p, p->needles[i].rules, f), p->nw))
				group[n] = -1, ids[n++] = i;
		for (int i = 0; i < n; i++) {
			if (group[i] >= 0)
				continue;
			for (int j = i; j < n; j++)
				if (group[j] < 0 && same_pair(&p->needles[ids[i]], &p->needles[ids[j]]))
					group[j] = ngroups;
			ngroups++;
		}
		p->passes[f - 1] = irk_calloc((size_t)ngroups + 1, sizeof(struct pass));
		for (int g = 0; g < ngroups && !rc; g++) {
			int m = 0, partner = -1, first2 = 0;
			if (taken[g])
				continue;
			taken[g] = 1;
			/* a later group that may share this search */
			for (int h = g + 1; h < ngroups && partner < 0; h++) {
				int a = -1, b = -1;
				for (int i = 0; i < n; i++) {
					if (group[i] == g && a < 0)
						a = ids[i];
					if (group[i] == h && b < 0)
						b = ids[i];
				}
				if (!taken[h] && may_share(&p->needles[a], &p->needles[b]))
					partner = h;
			}
			if (partner >= 0)
				taken[partner] = 1;
			for (int i = 0; i < n; i++)
				if (group[i] == g)
					mem[m++] = ids[i];
			/* the longer texts first: a hit on a short one then does not let through the long ones */
			by_length(p, mem, m);
			first2 = m;
			for (int i = 0; i < n; i++)
				if (group[i] == partner)
					mem[m++] = ids[i];
			by_length(p, mem + first2, m - first2);
			/*
			 * A hit names the first alternative that matches at the place;
			 * the later ones that may be there too are let through with it.
			 */
			for (int x = 0; x < m; x++)
				for (int y = x; y < m; y++)
					if (may_overlap(&p->needles[mem[x]], &p->needles[mem[y]])) {
						uint64_t *h = mask(p, p->needles[mem[x]].hit, f);
						const uint64_t *r = mask(p, p->needles[mem[y]].rules, f);
						for (int w = 0; w < p->nw; w++)
							h[w] |= r[w];
					}
			irk_buf_reset(&pat);
			irk_buf_adds(&pat, "(?:");
			group_pattern(p, mem, first2, &pat);
			if (m > first2) {
				irk_buf_addch(&pat, '|');
				group_pattern(p, mem + first2, m - first2, &pat);
			}
			irk_buf_addch(&pat, ')');
			rc = compile_pass(&p->passes[f - 1][p->npasses[f - 1]++], &pat, err);
		}
	}
	irk_buf_release(&pat);
	free(ids);
	free(group);
	free(mem);
	free(taken);
	return rc;
}

#if IRK_HAVE_HS
/*
 * One Hyperscan database per format, of the texts its rules need: a block of
 * syslog lines is not searched for the texts of access-log rules ("404"),
 * which are common in other lines (ports, addresses) and would cost a hit each.
 */
static enum irk_code compile_hs(struct irk_prefilter *p, struct irk_err *err)
{
	const char **exprs = irk_calloc((size_t)p->nneedles, sizeof(char *));
	unsigned *flags = irk_calloc((size_t)p->nneedles, sizeof(unsigned));
	unsigned *ids = irk_calloc((size_t)p->nneedles, sizeof(unsigned));
	size_t *lens = irk_calloc((size_t)p->nneedles, sizeof(size_t));
	enum irk_code rc = IRK_OK;

	for (int f = IRK_LOG_SYSLOG; f <= IRK_LOG_JSON && !rc; f++) {
		hs_compile_error_t *ce = NULL;
		unsigned n = 0;
		for (int i = 0; i < p->nneedles; i++) {
			if (!nonzero(mask(p, p->needles[i].rules, f), p->nw))
				continue;
			exprs[n] = p->needles[i].text;
			lens[n] = p->needles[i].len;
			ids[n] = (unsigned)i;
			/* every occurrence is wanted (a single match per block would lose lines) */
			flags[n++] = p->needles[i].caseless ? HS_FLAG_CASELESS : 0;
		}
		if (!n)
			continue;
		if (hs_compile_lit_multi(exprs, flags, ids, lens, n, HS_MODE_BLOCK, NULL,
					 &p->db[f - 1], &ce) != HS_SUCCESS) {
			rc = irk_fail(err, IRK_EINVAL, "the prefilter's literals do not compile: %s",
				      ce ? ce->message : "?");
			hs_free_compile_error(ce);
		} else if (hs_alloc_scratch(p->db[f - 1], &p->proto) != HS_SUCCESS) {
			rc = irk_fail(err, IRK_EIO, "cannot allocate the prefilter's scratch space");
		}
	}
	if (!rc)
		p->engine = IRK_PREFILTER_HYPERSCAN;
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
				p->has_always[f - 1] = 1;
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
		if (engine != IRK_PREFILTER_PCRE2 && hs_valid_platform() == HS_SUCCESS) {
			rc = compile_hs(p, err);
			/* Hyperscan reports every text at every place: a hit lets through its own rules */
			for (int i = 0; !rc && i < p->nneedles; i++)
				memcpy(p->needles[i].hit, p->needles[i].rules,
				       sizeof(uint64_t) * NFORMATS * (size_t)p->nw);
		} else
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
		free(p->needles[i].hit);
	}
	free(p->needles);
	free(p->always);
	free(p->any);
	for (int f = 0; f < NFORMATS; f++) {
		for (int g = 0; p->passes[f] && g < p->npasses[f]; g++)
			if (p->passes[f][g].re)
				pcre2_code_free(p->passes[f][g].re);
		free(p->passes[f]);
	}
#if IRK_HAVE_HS
	if (p->proto)
		hs_free_scratch(p->proto);
	for (int f = 0; f < NFORMATS; f++)
		if (p->db[f])
			hs_free_database(p->db[f]);
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

int irk_prefilter_searches(const struct irk_prefilter *p, enum irk_log_format f)
{
	if (f < IRK_LOG_SYSLOG || f > IRK_LOG_JSON)
		return 0;
#if IRK_HAVE_HS
	if (p->engine == IRK_PREFILTER_HYPERSCAN)
		return p->db[f - 1] != NULL;
#endif
	return p->npasses[f - 1];
}

int irk_prefilter_switched_off(const struct irk_prefilter *p, enum irk_log_format f)
{
	if (f < IRK_LOG_SYSLOG || f > IRK_LOG_JSON)
		return 0;
	return __atomic_load_n(&p->off[f - 1], __ATOMIC_RELAXED);
}

static int nlists(const struct irk_prefilter *p)
{
	int n = 0;

#if IRK_HAVE_HS
	if (p->engine == IRK_PREFILTER_HYPERSCAN)
		return NFORMATS;
#endif
	for (int f = 0; f < NFORMATS; f++)
		n += p->npasses[f];
	return n;
}

struct irk_prefilter_state *irk_prefilter_state_new(const struct irk_prefilter *p)
{
	struct irk_prefilter_state *st = irk_calloc(1, sizeof(*st));

	st->cand = irk_calloc((size_t)p->nw, sizeof(uint64_t));
	st->nlists = nlists(p);
	st->lists = irk_calloc((size_t)st->nlists + 1, sizeof(struct hits));
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
	for (int i = 0; i < st->nlists; i++)
		free(st->lists[i].v);
	free(st->lists);
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
static int add_hit(struct irk_prefilter_state *st, struct hits *l, size_t *cutoff, size_t at, int id)
{
	if (l->n && l->v[l->n - 1].at == at && l->v[l->n - 1].id == id)
		return 1;
	if (st->total == IRK_PREFILTER_HITS_MAX) {
		if (at < *cutoff)
			*cutoff = at;
		return 0;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4096;
		l->v = irk_realloc(l->v, sizeof(*l->v) * l->cap);
	}
	l->v[l->n].at = at;
	l->v[l->n++].id = id;
	st->total++;
	return 1;
}

#if IRK_HAVE_HS
static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
		    void *ctx)
{
	struct irk_prefilter_state *st = ctx;
	int fi = st->searching;
	(void)from;
	(void)flags;
	/* the text's last byte */
	return !add_hit(st, &st->lists[fi], &st->cutoff[fi], (size_t)to - 1, (int)id);
}

static int by_place(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

/* Search the block for the texts of format fi (none: its lines get only their "always" rules). */
static void scan_hs(const struct irk_prefilter *p, struct irk_prefilter_state *st, int fi)
{
	struct hits *l = &st->lists[fi];
	int sorted = 1;
	hs_error_t e = HS_INVALID;

	if (!p->db[fi])
		return;
	st->searching = fi;
	/* hs_scan takes an unsigned length; blocks are far smaller (IRK_SCAN_CHUNK) */
	if (st->scratch && st->len <= 0xffffffffu)
		e = hs_scan(p->db[fi], st->data, (unsigned)st->len, 0, st->scratch, on_match, st);
	if (e != HS_SUCCESS && e != HS_SCAN_TERMINATED) {
		st->cutoff[fi] = 0; /* cannot search: every line gets every rule */
		return;
	}
	for (size_t i = 1; i < l->n && sorted; i++)
		sorted = l->v[i - 1].at <= l->v[i].at;
	if (!sorted)
		qsort(l->v, l->n, sizeof(*l->v), by_place);
}
#endif

/* The text a (*MARK:id) names, or -1 (none: the hit then lets every rule through). */
static int mark_id(const struct irk_prefilter *p, pcre2_match_data *md)
{
	PCRE2_SPTR m = pcre2_get_mark(md);
	int id = 0, k = 0;

	for (; m && m[k] >= '0' && m[k] <= '9' && k < MARK_MAX; k++)
		id = id * 10 + (m[k] - '0');
	return k && id < p->nneedles ? id : -1;
}

static struct hits *format_lists(const struct irk_prefilter *p, struct irk_prefilter_state *st,
				 int fi)
{
	struct hits *l = st->lists;

	if (p->engine == IRK_PREFILTER_HYPERSCAN)
		return l + fi;
	for (int g = 0; g < fi; g++)
		l += p->npasses[g];
	return l;
}

/* Every PCRE2 search of format fi over the block, each from one place after its last hit. */
static void scan_pcre2(const struct irk_prefilter *p, struct irk_prefilter_state *st, int fi)
{
	struct hits *lists = format_lists(p, st, fi);
	const PCRE2_SPTR data = (PCRE2_SPTR)st->data;
	size_t len = st->len;

	for (int g = 0; g < p->npasses[fi]; g++) {
		const struct pass *ps = &p->passes[fi][g];
		for (size_t start = 0; start < len;) {
			int rc = ps->jit ? pcre2_jit_match(ps->re, data, len, start, 0, st->md, NULL)
					 : pcre2_match(ps->re, data, len, start, 0, st->md, NULL);
			size_t at;
			if (rc == PCRE2_ERROR_NOMATCH)
				break;
			if (rc < 0) {
				if (start < st->cutoff[fi])
					st->cutoff[fi] = start; /* a matching error: the rest gets every rule */
				break;
			}
			at = pcre2_get_ovector_pointer(st->md)[0];
			if (!add_hit(st, &lists[g], &st->cutoff[fi], at, mark_id(p, st->md)))
				break;
			start = at + 1;
		}
	}
}

/* After a block: switch a format off when on its first searched block it let nearly everything through. */
static void judge(struct irk_prefilter *p, struct irk_prefilter_state *st)
{
	for (int f = 0; f < NFORMATS; f++) {
		/* too few lines yet (small blocks, as irk watch's): go on counting in the next ones */
		if (st->measured[f] || st->scanned[f] != 1 || !p->npasses[f] ||
		    st->lines[f] < OFF_MIN_LINES)
			continue;
		st->measured[f] = 1;
		if (st->let[f] * 100 >= st->could[f] * OFF_PCT) {
			int pct = (int)(st->let[f] * 100 / st->could[f]);
			__atomic_store_n(&p->off[f], pct ? pct : 1, __ATOMIC_RELAXED);
		}
	}
}

void irk_prefilter_scan(const struct irk_prefilter *p, struct irk_prefilter_state *st,
			const char *data, size_t len)
{
	int nl = st->nlists;

	if (p->engine == IRK_PREFILTER_PCRE2)
		judge((struct irk_prefilter *)p, st);
	st->data = data;
	st->len = len;
	st->total = 0;
	for (int i = 0; i < nl; i++)
		st->lists[i].n = st->lists[i].pos = 0;
	for (int f = 0; f < NFORMATS; f++) {
		st->cutoff[f] = (size_t)-1;
		st->scanned[f] = 0;
	}
}

static void add_mask(uint64_t *to, const uint64_t *m, int nw)
{
	for (int w = 0; w < nw; w++)
		to[w] |= m[w];
}

/*
 * Search the block for format fi's texts, the first time one of its lines
 * asks: a block of one format is searched for that format's texts only.
 */
static void search_format(const struct irk_prefilter *p, struct irk_prefilter_state *st, int fi)
{
	if (p->engine == IRK_PREFILTER_PCRE2) {
		int off_now = __atomic_load_n(&p->off[fi], __ATOMIC_RELAXED);
		st->scanned[fi] = off_now ? 2 : 1;
		if (off_now)
			st->cutoff[fi] = 0; /* switched off: every line gets every rule */
		else
			scan_pcre2(p, st, fi);
		return;
	}
	st->scanned[fi] = 1;
#if IRK_HAVE_HS
	if (p->engine == IRK_PREFILTER_HYPERSCAN)
		scan_hs(p, st, fi);
#endif
}

/*
 * Does any list hold a place in [off, end)?  Places before off (in lines of
 * other formats) are passed over.
 */
static int line_has_hit(struct hits *lists, int n, size_t off, size_t end)
{
	int hit = 0;

	for (int g = 0; g < n; g++) {
		struct hits *l = &lists[g];
		while (l->pos < l->n && l->v[l->pos].at < off)
			l->pos++;
		hit |= l->pos < l->n && l->v[l->pos].at < end;
	}
	return hit;
}

const uint64_t *irk_prefilter_line(const struct irk_prefilter *p, struct irk_prefilter_state *st,
				   size_t off, size_t end, enum irk_log_format f)
{
	struct hits *lists;
	int fi, n, measuring;

	if (f < IRK_LOG_SYSLOG || f > IRK_LOG_JSON)
		f = IRK_LOG_SYSLOG;
	fi = f - 1;
	if (!st->scanned[fi])
		search_format(p, st, fi);
	lists = format_lists(p, st, fi);
	n = p->engine == IRK_PREFILTER_PCRE2 ? p->npasses[fi] : p->engine == IRK_PREFILTER_HYPERSCAN;
	measuring = p->engine == IRK_PREFILTER_PCRE2 && st->scanned[fi] == 1 && !st->measured[fi];
	if (end > st->cutoff[fi]) {
		memcpy(st->cand, mask(p, p->any, f), sizeof(uint64_t) * (size_t)p->nw);
	} else if (!line_has_hit(lists, n, off, end) && !p->has_always[fi] && !measuring) {
		return NULL; /* the common line: no text, and no rule tried on every line */
	} else {
		memcpy(st->cand, mask(p, p->always, f), sizeof(uint64_t) * (size_t)p->nw);
		for (int g = 0; g < n; g++) {
			struct hits *l = &lists[g];
			for (; l->pos < l->n && l->v[l->pos].at < end; l->pos++) {
				int id = l->v[l->pos].id;
				add_mask(st->cand, id < 0 ? mask(p, p->any, f) : mask(p, p->needles[id].hit, f),
					 p->nw);
			}
		}
	}
	if (measuring) {
		const uint64_t *any = mask(p, p->any, f);
		st->lines[fi]++;
		for (int w = 0; w < p->nw; w++) {
			st->let[fi] += __builtin_popcountll(st->cand[w]);
			st->could[fi] += __builtin_popcountll(any[w]);
		}
		/* the block's last line: judge now (else when the next block is scanned) */
		if (end + 1 >= st->len)
			judge((struct irk_prefilter *)p, st);
	}
	return nonzero(st->cand, p->nw) ? st->cand : NULL;
}
