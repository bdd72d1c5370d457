/*
 * detect.c - from hits to findings: detection-rule aggregation and the
 * correlation engine (sliding windows per group, chains); see irk/detect.h.
 */
#include <stdlib.h>
#include <string.h>

#include "irk/bytes.h"
#include "irk/detect.h"

#define TEXT_KEEP 2048
#define WINDOW_MAX 10000
#define SWEEP_EVERY 4096
#define ROOMS_MAX 256

static const char *const entity_names[] = { "src_ip", "user", "target_user", "host", NULL };

/*
 * A hit's line (at most TEXT_KEEP bytes of it, NUL-terminated), as the
 * detector keeps it.  It is copied once per hit, the first time anything
 * keeps it (line_of()), and shared by everything that keeps that hit's line:
 * window entries, temporal events, a group's first and last event.
 * Invariant: refs is the number of evcopy.text pointers at it, plus one
 * while it is the detector's current hit's (irk_detector.cur); at zero it
 * goes back to the detector's spare rooms or is freed (line_put()).
 */
struct line {
	unsigned refs;
	size_t cap; /* room at s */
	char s[];
};

struct evcopy {
	const char *file;
	int64_t line, time;
	struct line *text; /* NULL: none kept */
};

#define NENTITIES IRK_FINDING_ENTITY_KINDS

/* Places in a kind's index of its values: a power of two, well above IRK_DETECT_ENTITIES_MAX. */
#define ENTITY_SLOTS 32

/*
 * The distinct entity values of a group, kept in the order they first
 * appeared: value k of kind i is at text.buf + off[i][k] (NUL-terminated),
 * all of the group's values in one buffer.  at[i] indexes kind i's values
 * by hash (open addressing, linear probing): a place holds k + 1 for value
 * k, or 0 when free.  Values are never removed, so a search stops at the
 * first free place.
 */
struct entities {
	uint32_t off[NENTITIES][IRK_DETECT_ENTITIES_MAX];
	uint32_t hash[NENTITIES][IRK_DETECT_ENTITIES_MAX]; /* of each value: compared first */
	uint32_t len[NENTITIES][IRK_DETECT_ENTITIES_MAX];
	unsigned char at[NENTITIES][ENTITY_SLOTS];
	unsigned char n[NENTITIES];
	unsigned char order[NENTITIES], norder;
	struct irk_buf text;
};

/*
 * One distinct value of a value_count window: n window entries point at
 * it (entry.value); it is freed, and leaves its group's vals, when the
 * last of them is popped.  Invariant: g->vals[vc->at] == vc.
 */
struct vcount {
	int64_t n;
	uint32_t hash;
	int at;
	size_t len;
	char v[];
};

struct entry {
	int64_t t, w;
	struct vcount *value; /* value_count: the entry's value among the group's vals */
	struct evcopy ev;
};

struct group {
	/*
	 * The key values (a correlation's group-by, else the entities), each
	 * NUL-terminated, one after the other in `key`; gv[i] points at the
	 * i-th, gvlen[i] is its length.  gv, gvlen and key are one allocation
	 * (at gv: key_set()).
	 */
	char *key;
	size_t keylen;
	char **gv;
	size_t *gvlen;
	uint64_t hash;
	struct group *next;
	int other; /* the "(other)" group: its values are all "(other)" */
	struct entities ent;
	unsigned char ent_known; /* entity kinds that hold their key value already (rstate.keyent) */
	/* the window, oldest first: q[(qh + i) & (qcap - 1)] for i < qn (qcap: 0 or a power of two) */
	struct entry *q;
	int qh, qn, qcap;
	int64_t sum;
	int64_t *tlast, *tstart;
	char *tset;
	struct evcopy *tev;
	struct vcount **vals; /* value_count: the window's distinct values (see struct vcount) */
	int nvals, capvals;
	int open;
	int64_t count, first_t, last_t, last_activity;
	struct evcopy first, last;
};

struct parent {
	int corr, pos;
};

struct rstate {
	struct group **b; /* the groups by hash: b[hash & (nb - 1)] (nb is a power of two) */
	size_t nb, n;
	int nparents;
	struct parent *parents;
	int *gslot;     /* correlation: [k * nrefs + pos] the place of group-by k in referenced rule pos */
	int count_slot; /* value_count: the place of the counted field */
	int *up;        /* correlation: [place] the group-by whose value a chained hit carries there, or -1 */
	/*
	 * correlation: [pos] the entity kinds (bit i: place i) that are a group-by
	 * value in referenced rule pos's hits, the same group-by in every rule that
	 * names the kind: a hit's value of such a kind is its group's key value, so
	 * once a group's entities have taken it, later hits need not offer it again.
	 */
	unsigned char *keyent;
};

struct irk_detector {
	const struct irk_ruleset *rs;
	int immediate;
	irk_finding_fn fn;
	void *arg;
	struct rstate *st;
	int nslots; /* the places of a hit's values (irk_detect_fields) */
	int64_t now, overflow;
	unsigned sweep;
	struct line *cur;              /* the current hit's line, once kept (see struct line) */
	struct line *rooms[ROOMS_MAX]; /* lines no longer kept, for reuse (a few, for all groups) */
	int nrooms;
};

#define FNV_BASIS 1469598103934665603ULL

/*
 * A value's hash takes it 8 bytes at a time: each word is mixed into the
 * state by HASH_MIX (xor, multiply by an odd constant, fold the high half
 * down).  The last 1..8 bytes make one word of their own (hash_tail), and
 * the length is mixed in with it, so that values whose tails make the same
 * word still differ.
 */
#define HASH_SEED 0x243f6a8885a308d3ULL
#define HASH_MUL 0x9e3779b97f4a7c15ULL
#define HASH_MIX(h, w) ((((h) ^ (w)) * HASH_MUL) ^ ((((h) ^ (w)) * HASH_MUL) >> 32))

/* irk_detect_hash("", 0): the hash an absent value carries. */
static const uint32_t empty_hash = (uint32_t)HASH_MIX(HASH_SEED, 0);

/* The last n (0..8) bytes of a value as one word: all of them for n >= 4. */
static inline uint64_t hash_tail(const char *s, size_t n)
{
	if (n >= 4)
		return irk_load32(s) | (uint64_t)irk_load32(s + n - 4) << 32;
	if (!n)
		return 0;
	return (unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
	       (uint64_t)(unsigned char)s[n - 1] << 16;
}

uint32_t irk_detect_hash(const char *s, size_t len)
{
	uint64_t h = HASH_SEED;
	size_t n = len;

	for (; n > 8; n -= 8, s += 8)
		h = HASH_MIX(h, irk_load64(s));
	h ^= len;
	return (uint32_t)HASH_MIX(h, hash_tail(s, n));
}

/* A hit's value at a place (NULL: absent), and its length. */
static const char *value_at(const struct irk_hit *h, int slot, size_t *len)
{
	const struct irk_hit_value *v;

	if (slot < 0)
		return NULL;
	v = &h->values[slot];
	if (v->off == IRK_HIT_ABSENT)
		return NULL;
	if (len)
		*len = v->len;
	return h->base + v->off;
}

static int slot_of(const char *const *names, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

static void add_name(const char ***names, int *n, const char *s)
{
	if (slot_of(*names, *n, s) >= 0)
		return;
	*names = irk_realloc(*names, sizeof(char *) * (size_t)(*n + 1));
	(*names)[(*n)++] = s;
}

int irk_detect_fields(const struct irk_ruleset *rs, const char ***names)
{
	int n = 0;

	*names = NULL;
	for (int i = 0; entity_names[i]; i++)
		add_name(names, &n, entity_names[i]);
	for (int c = 0; c < rs->nrules; c++) {
		const struct irk_sigma_rule *r = rs->rules[c];
		for (int k = 0; r->corr && k < r->nrefs; k++)
			for (int g = 0; g < r->ngroup; g++)
				add_name(names, &n, r->group_field[g][k]);
		if (r->corr && r->count_field)
			add_name(names, &n, r->count_field);
	}
	return n;
}

void irk_detect_pack(const char *const *names, const int *ids, int n, const struct irk_event *ev,
		     struct irk_buf *out, struct irk_hit_value *values)
{
	for (int i = 0; i < n; i++) {
		size_t len;
		const char *v = ids[i] >= 0 ? irk_event_get_id(ev, (enum irk_field_id)ids[i], &len)
					    : irk_event_get(ev, names[i], &len);
		if (!v) {
			values[i].off = IRK_HIT_ABSENT;
			values[i].len = 0;
			values[i].hash = empty_hash;
			continue;
		}
		values[i].off = out->len;
		values[i].len = len;
		values[i].hash = irk_detect_hash(v, len);
		if (out->alloc - out->len <= len + 1)
			irk_buf_grow(out, len + 1);
		irk_copy_bytes(out->buf + out->len, v, len + 1); /* with its NUL */
		out->len += len + 1;
		out->buf[out->len] = '\0';
	}
}

/* A line no longer kept: its room is kept for later hits, or freed. */
static void line_drop(struct irk_detector *d, struct line *l)
{
	if (d->nrooms < ROOMS_MAX)
		d->rooms[d->nrooms++] = l;
	else
		free(l);
}

/* Drop one reference to a line (NULL: none). */
static inline void line_put(struct irk_detector *d, struct line *l)
{
	if (l && !--l->refs)
		line_drop(d, l);
}

/*
 * The current hit's line, copied on the first call for the hit (every
 * call during one irk_detector_hit() is about the same line: a chained hit
 * carries its cause's).  The detector holds a reference until the hit is done.
 */
static struct line *line_copy(struct irk_detector *d, const struct irk_hit *h)
{
	size_t n = h->text_len < TEXT_KEEP ? h->text_len : TEXT_KEEP;
	struct line *l;

	l = d->nrooms ? d->rooms[--d->nrooms] : NULL;
	if (!l || l->cap < n + 1) {
		/* a power of two, so that a reused room mostly fits the next line */
		size_t cap = 256;
		while (cap < n + 1)
			cap *= 2;
		l = irk_realloc(l, sizeof(*l) + cap);
		l->cap = cap;
	}
	/*
	 * memmove, not memcpy: n being bounded, gcc expands a memcpy inline
	 * as `rep movsq`, whose start costs more than the whole copy of a log
	 * line (4% of a scan's time, measured); memmove stays a call.
	 */
	if (n)
		memmove(l->s, h->text, n);
	l->s[n] = '\0';
	l->refs = 1;
	d->cur = l;
	return l;
}

static inline struct line *line_of(struct irk_detector *d, const struct irk_hit *h)
{
	return d->cur ? d->cur : line_copy(d, h);
}

/* Let e point at l (which may be e's already). */
static inline void ev_text(struct irk_detector *d, struct evcopy *e, struct line *l)
{
	if (l)
		l->refs++;
	line_put(d, e->text);
	e->text = l;
}

static inline void ev_set(struct irk_detector *d, struct evcopy *e, const struct irk_hit *h)
{
	e->file = h->file;
	e->line = h->line;
	e->time = h->time_ms;
	ev_text(d, e, line_of(d, h));
}

static void ev_copy(struct irk_detector *d, struct evcopy *dst, const struct evcopy *src)
{
	dst->file = src->file;
	dst->line = src->line;
	dst->time = src->time;
	ev_text(d, dst, src->text);
}

/*
 * The entity kinds (bit i: place i) of which a hit has a value that is not
 * empty (an absent value's length is 0 too).
 */
static unsigned entities_present(const struct irk_hit *h)
{
	const struct irk_hit_value *v = h->values;

	_Static_assert(NENTITIES == 4, "entities_present() looks at four places");
	return (unsigned)(v[0].len != 0) | (unsigned)(v[1].len != 0) << 1 |
	       (unsigned)(v[2].len != 0) << 2 | (unsigned)(v[3].len != 0) << 3;
}

/*
 * The entities are the first places of every hit (irk_detect_fields); those
 * of the kinds in `kinds` (a part of entities_present()) are added.
 */
static void entities_add(struct entities *e, const struct irk_hit *h, unsigned kinds)
{
	for (; kinds; kinds &= kinds - 1) {
		int i = __builtin_ctz(kinds);
		const struct irk_hit_value *hv = &h->values[i];
		const char *v = h->base + hv->off;
		unsigned p = hv->hash % ENTITY_SLOTS;
		int k;
		if (e->n[i] >= IRK_DETECT_ENTITIES_MAX)
			continue; /* full: nothing more is kept */
		for (; e->at[i][p]; p = (p + 1) % ENTITY_SLOTS) {
			k = e->at[i][p] - 1;
			if (e->hash[i][k] == hv->hash && e->len[i][k] == hv->len &&
			    irk_same_bytes(e->text.buf + e->off[i][k], v, hv->len))
				break;
		}
		if (e->at[i][p])
			continue;
		k = e->n[i]++;
		if (!k)
			e->order[e->norder++] = (unsigned char)i;
		e->at[i][p] = (unsigned char)(k + 1);
		e->hash[i][k] = hv->hash;
		e->len[i][k] = (uint32_t)hv->len;
		e->off[i][k] = (uint32_t)e->text.len;
		if (!e->text.alloc)
			irk_buf_init(&e->text, 128);
		irk_buf_add(&e->text, v, hv->len + 1); /* with its NUL */
	}
}

static void entities_free(struct entities *e)
{
	irk_buf_release(&e->text);
	memset(e, 0, sizeof(*e));
}

/* Value k of entity kind i. */
static inline const char *entity(const struct entities *e, int i, int k)
{
	return e->text.buf + e->off[i][k];
}

/* rstate.keyent of a correlation, from its group-by places gslot. */
static unsigned char *key_entities(const struct irk_sigma_rule *r, const int *gslot)
{
	unsigned char *keyent = irk_calloc((size_t)r->nrefs + 1, 1);
	int by[NENTITIES]; /* the group-by of each kind: -1 none yet, -2 more than one */

	for (int i = 0; i < NENTITIES; i++)
		by[i] = -1;
	for (int g = 0; g < r->ngroup; g++)
		for (int k = 0; k < r->nrefs; k++) {
			int i = gslot[g * r->nrefs + k];
			if (i >= 0 && i < NENTITIES)
				by[i] = by[i] == -1 || by[i] == g ? g : -2;
		}
	for (int g = 0; g < r->ngroup; g++)
		for (int k = 0; k < r->nrefs; k++) {
			int i = gslot[g * r->nrefs + k];
			if (i >= 0 && i < NENTITIES && by[i] == g)
				keyent[k] |= (unsigned char)(1u << i);
		}
	return keyent;
}

struct irk_detector *irk_detector_new(const struct irk_ruleset *rs, int immediate,
				      irk_finding_fn fn, void *arg)
{
	struct irk_detector *d = irk_calloc(1, sizeof(*d));
	const char **names;

	d->rs = rs;
	d->immediate = immediate;
	d->fn = fn;
	d->arg = arg;
	d->st = irk_calloc((size_t)rs->nrules + 1, sizeof(struct rstate));
	d->nslots = irk_detect_fields(rs, &names);
	for (int c = 0; c < rs->nrules; c++) {
		const struct irk_sigma_rule *r = rs->rules[c];
		struct rstate *cs = &d->st[c];
		if (!r->corr)
			continue;
		for (int k = 0; k < r->nrefs; k++) {
			struct rstate *s = &d->st[r->refs[k]];
			s->parents = irk_realloc(s->parents, sizeof(struct parent) * (size_t)(s->nparents + 1));
			s->parents[s->nparents].corr = c;
			s->parents[s->nparents++].pos = k;
		}
		cs->gslot = irk_calloc((size_t)(r->ngroup * r->nrefs) + 1, sizeof(int));
		for (int g = 0; g < r->ngroup; g++)
			for (int k = 0; k < r->nrefs; k++)
				cs->gslot[g * r->nrefs + k] =
					slot_of(names, d->nslots, r->group_field[g][k]);
		cs->count_slot = r->count_field ? slot_of(names, d->nslots, r->count_field) : -1;
		cs->keyent = key_entities(r, cs->gslot);
		cs->up = irk_calloc((size_t)d->nslots, sizeof(int));
		for (int i = 0; i < d->nslots; i++) {
			cs->up[i] = -1;
			for (int g = r->ngroup - 1; g >= 0; g--)
				if (!strcmp(r->group_by[g], names[i]))
					cs->up[i] = g;
		}
	}
	free(names); /* only their places are kept */
	return d;
}

static void group_free(struct irk_detector *d, struct group *g)
{
	free(g->gv); /* and gvlen, key */
	entities_free(&g->ent);
	for (int i = 0; i < g->qn; i++)
		line_put(d, g->q[(g->qh + i) & (g->qcap - 1)].ev.text);
	free(g->q);
	for (int i = 0; i < g->nvals; i++)
		free(g->vals[i]);
	free(g->vals);
	free(g->tlast);
	free(g->tstart);
	free(g->tset);
	if (g->tev) {
		/* temporal keeps one event per referenced rule */
		for (int i = 0; g->tev[i].line >= 0; i++)
			line_put(d, g->tev[i].text);
		free(g->tev);
	}
	line_put(d, g->first.text);
	line_put(d, g->last.text);
	free(g);
}

/*
 * A group's key is the hit's values at slots[0], slots[stride], ... (n of
 * them; an absent value counts as an empty one).  Its hash is made of the
 * values' own hashes.
 */
struct key {
	const int *slots;
	int n, stride;
};

static uint64_t key_hash(const struct irk_hit *h, const struct key *k)
{
	uint64_t hash = FNV_BASIS;

	for (int i = 0; i < k->n; i++) {
		int slot = k->slots[i * k->stride];
		hash = (hash ^ (slot >= 0 ? h->values[slot].hash : empty_hash)) * 1099511628211ULL;
	}
	return hash;
}

static int key_equal(const struct group *g, const struct irk_hit *h, const struct key *k)
{
	if (g->other)
		return 0;
	for (int i = 0; i < k->n; i++) {
		size_t len = 0;
		const char *v = value_at(h, k->slots[i * k->stride], &len);
		if (g->gvlen[i] != len || !irk_same_bytes(g->gv[i], v, len))
			return 0;
	}
	return 1;
}

static const char other_key[] = "(other)";

/* A new group in rule's table (which grows to keep chains short). */
static struct group *group_new(struct irk_detector *d, int rule, uint64_t h)
{
	struct rstate *s = &d->st[rule];
	const struct irk_sigma_rule *r = d->rs->rules[rule];
	struct group *g;

	if (s->n * 2 > s->nb) {
		size_t nb = s->nb * 2;
		struct group **b = irk_calloc(nb, sizeof(*b));
		for (size_t i = 0; i < s->nb; i++)
			while (s->b[i]) {
				struct group *x = s->b[i];
				s->b[i] = x->next;
				x->next = b[x->hash & (nb - 1)];
				b[x->hash & (nb - 1)] = x;
			}
		free(s->b);
		s->b = b;
		s->nb = nb;
	}
	g = irk_calloc(1, sizeof(*g));
	g->hash = h;
	if (r->corr == IRK_CORR_TEMPORAL || r->corr == IRK_CORR_TEMPORAL_ORDERED) {
		g->tlast = irk_calloc((size_t)r->nrefs, sizeof(int64_t));
		g->tstart = irk_calloc((size_t)r->nrefs, sizeof(int64_t));
		g->tset = irk_calloc((size_t)r->nrefs, 1);
		g->tev = irk_calloc((size_t)r->nrefs + 1, sizeof(struct evcopy));
		g->tev[r->nrefs].line = -1;
	}
	g->next = s->b[h & (s->nb - 1)];
	s->b[h & (s->nb - 1)] = g;
	s->n++;
	return g;
}

/* A new group's i-th key value and its length: the hit's ("" when absent), or "(other)". */
static const char *key_value(const struct group *g, const struct irk_hit *h, const struct key *k,
			     int i, size_t *len)
{
	const char *v;

	*len = sizeof(other_key) - 1;
	if (g->other)
		return other_key;
	if (!(v = value_at(h, k->slots[i * k->stride], len)))
		*len = 0;
	return v ? v : "";
}

/* Lay out a new group's key values, their lengths and the pointers to them in one allocation. */
static void key_set(struct group *g, const struct irk_hit *h, const struct key *k)
{
	size_t n = (size_t)k->n + 1, len, at = 0;

	g->keylen = 0;
	for (int i = 0; i < k->n; i++) {
		key_value(g, h, k, i, &len);
		g->keylen += len + 1;
	}
	g->gv = irk_malloc(n * sizeof(char *) + n * sizeof(size_t) + g->keylen + 1);
	g->gvlen = (size_t *)(g->gv + n);
	g->key = (char *)(g->gvlen + n);
	for (int i = 0; i < k->n; i++) {
		const char *v = key_value(g, h, k, i, &len);
		g->gv[i] = g->key + at;
		g->gvlen[i] = len;
		memcpy(g->gv[i], v, len);
		g->gv[i][len] = '\0';
		at += len + 1;
	}
	g->gv[k->n] = NULL;
	g->gvlen[k->n] = 0;
	g->key[g->keylen] = '\0';
}

/* The group that hits beyond IRK_DETECT_GROUPS_MAX share. */
static struct group *other_group(struct irk_detector *d, int rule, const struct irk_hit *h,
				 const struct key *k)
{
	static const uint64_t other_hash = 0x6f74686572ULL; /* any fixed value */
	struct rstate *s = &d->st[rule];
	struct group *g;

	d->overflow++;
	for (g = s->b[other_hash & (s->nb - 1)]; g; g = g->next)
		if (g->other)
			return g;
	g = group_new(d, rule, other_hash);
	g->other = 1;
	key_set(g, h, k);
	return g;
}

/* The group of a hit under rule, made when it is new. */
static struct group *group_get(struct irk_detector *d, int rule, const struct irk_hit *h,
			       const struct key *k)
{
	struct rstate *s = &d->st[rule];
	uint64_t hash = key_hash(h, k);
	struct group *g;

	if (!s->nb) {
		s->nb = 64;
		s->b = irk_calloc(s->nb, sizeof(*s->b));
	}
	for (g = s->b[hash & (s->nb - 1)]; g; g = g->next)
		if (g->hash == hash && key_equal(g, h, k))
			return g;
	if (s->n >= IRK_DETECT_GROUPS_MAX)
		return other_group(d, rule, h, k);
	g = group_new(d, rule, hash);
	key_set(g, h, k);
	return g;
}

static void emit(struct irk_detector *d, int rule, struct group *g)
{
	const struct irk_sigma_rule *r = d->rs->rules[rule];
	struct irk_finding f = { 0 };
	const char *ent[NENTITIES][IRK_DETECT_ENTITIES_MAX];

	if (r->referenced)
		return;
	f.rule = r;
	f.first_ms = g->first_t;
	f.last_ms = g->last_t;
	f.count = g->count;
	f.group_values = (const char *const *)g->gv;
	f.ngroup = g->gv ? r->ngroup : 0; /* a correlation's group holds its r->ngroup values */
	for (int j = 0; j < g->ent.norder; j++) {
		int i = g->ent.order[j];
		f.entities[j].name = entity_names[i];
		for (int k = 0; k < g->ent.n[i]; k++)
			ent[i][k] = entity(&g->ent, i, k);
		f.entities[j].v = ent[i];
		f.entities[j].n = g->ent.n[i];
	}
	f.nentities = g->ent.norder;
	f.first.file = g->first.file;
	f.first.line = g->first.line;
	f.first.time_ms = g->first.time;
	f.first.text = g->first.text ? g->first.text->s : NULL;
	f.last.file = g->last.file;
	f.last.line = g->last.line;
	f.last.time_ms = g->last.time;
	f.last.text = g->last.text ? g->last.text->s : NULL;
	d->fn(&f, d->arg);
}

static void route(struct irk_detector *d, int rule, const struct irk_hit *h);

/* A correlation's condition became true for group g: chain it upwards. */
static void chain_up(struct irk_detector *d, int c, struct group *g, const struct irk_hit *h)
{
	const struct rstate *s = &d->st[c];
	struct irk_buf f = IRK_BUF_INIT;
	struct irk_hit up = *h;
	struct irk_hit_value *vals;

	if (!s->nparents)
		return;
	vals = irk_calloc((size_t)d->nslots + 1, sizeof(*vals));
	for (int i = 0; i < d->nslots; i++) {
		/* the group's values; entities travel too, so that the chained finding names them */
		const char *v = s->up[i] >= 0 ? g->gv[s->up[i]]
				: i < NENTITIES && g->ent.n[i] ? entity(&g->ent, i, 0) : NULL;
		vals[i].off = v ? f.len : IRK_HIT_ABSENT;
		vals[i].len = v ? strlen(v) : 0;
		vals[i].hash = irk_detect_hash(v ? v : "", vals[i].len);
		if (v)
			irk_buf_add(&f, v, vals[i].len + 1);
	}
	up.rule = c;
	up.base = f.buf;
	up.values = vals;
	up.weight = 1;
	route(d, c, &up);
	free(vals);
	irk_buf_release(&f);
}

static int cmp_ok(enum irk_cmp c, int64_t n, int64_t t)
{
	switch (c) {
	case IRK_CMP_GT: return n > t;
	case IRK_CMP_GTE: return n >= t;
	case IRK_CMP_LT: return n < t;
	case IRK_CMP_LTE: return n <= t;
	case IRK_CMP_EQ: return n == t;
	default: return n != t;
	}
}

static void close_group(struct irk_detector *d, int rule, struct group *g)
{
	if (g->open && !d->immediate)
		emit(d, rule, g);
	g->open = 0;
}

/* Count one more entry with the hit's value v into the window's distinct values. */
static struct vcount *value_add(struct group *g, const struct irk_hit_value *hv, const char *v)
{
	struct vcount *vc;

	for (int i = 0; i < g->nvals; i++) {
		vc = g->vals[i];
		if (vc->hash == hv->hash && vc->len == hv->len && irk_same_bytes(vc->v, v, hv->len)) {
			vc->n++;
			return vc;
		}
	}
	if (g->nvals == g->capvals) {
		g->capvals = g->capvals ? g->capvals * 2 : 8;
		g->vals = irk_realloc(g->vals, sizeof(*g->vals) * (size_t)g->capvals);
	}
	vc = irk_malloc(sizeof(*vc) + hv->len + 1);
	vc->n = 1;
	vc->hash = hv->hash;
	vc->at = g->nvals;
	vc->len = hv->len;
	memcpy(vc->v, v, hv->len + 1);
	g->vals[g->nvals++] = vc;
	return vc;
}

/* Count an entry out of its value's count; the value leaves with its last entry. */
static void value_drop(struct group *g, struct vcount *vc)
{
	if (--vc->n > 0)
		return;
	g->vals[vc->at] = g->vals[--g->nvals];
	g->vals[vc->at]->at = vc->at;
	free(vc);
}

static void q_pop(struct irk_detector *d, struct group *g)
{
	struct entry *e = &g->q[g->qh];

	g->sum -= e->w;
	if (e->value)
		value_drop(g, e->value);
	line_put(d, e->ev.text);
	g->qh = (g->qh + 1) & (g->qcap - 1);
	g->qn--;
}

/* Twice the room for a full window, its entries moved to the start in order. */
static void q_grow(struct group *g)
{
	int cap = g->qcap ? g->qcap * 2 : 8;
	struct entry *q = irk_malloc(sizeof(*q) * (size_t)cap);

	for (int i = 0; i < g->qn; i++)
		q[i] = g->q[(g->qh + i) & (g->qcap - 1)];
	free(g->q);
	g->q = q;
	g->qh = 0;
	g->qcap = cap;
}

static void corr_hit(struct irk_detector *d, int c, int pos, const struct irk_hit *h,
		     unsigned present)
{
	const struct irk_sigma_rule *r = d->rs->rules[c];
	struct group *g;
	int64_t t = h->time_ms, n = 0;
	int met = 0;
	const struct evcopy *first = NULL;
	const struct rstate *cs = &d->st[c];
	/* the group-by places of this referenced rule: gslot[k * nrefs + pos] */
	const struct key key = { cs->gslot + pos, r->ngroup, r->nrefs };

	g = group_get(d, c, h, &key);
	g->last_activity = t;
	if (g->open && t - g->last_t > r->timespan_ms)
		close_group(d, c, g);
	if (r->corr == IRK_CORR_EVENT_COUNT || r->corr == IRK_CORR_VALUE_COUNT) {
		const char *v = r->count_field ? value_at(h, cs->count_slot, NULL) : "";
		struct entry *e;
		if (r->corr == IRK_CORR_VALUE_COUNT && !v)
			return; /* an event without the counted field does not count */
		while (g->qn && g->q[g->qh].t < t - r->timespan_ms)
			q_pop(d, g);
		if (g->qn >= WINDOW_MAX)
			q_pop(d, g);
		if (g->qn == g->qcap)
			q_grow(g);
		e = &g->q[(g->qh + g->qn++) & (g->qcap - 1)];
		memset(e, 0, sizeof(*e));
		e->t = t;
		e->w = h->weight;
		if (r->corr == IRK_CORR_VALUE_COUNT) { /* only counted values are kept */
			e->value = value_add(g, &h->values[cs->count_slot], v);
		}
		ev_set(d, &e->ev, h);
		g->sum += h->weight;
		n = r->corr == IRK_CORR_EVENT_COUNT ? g->sum : g->nvals;
		met = cmp_ok(r->cmp, n, r->threshold);
		/* only the newest events that still meet a gte/gt threshold are needed */
		if (r->corr == IRK_CORR_EVENT_COUNT && r->cmp == IRK_CMP_GTE)
			while (g->qn > 1 && g->sum - g->q[g->qh].w >= r->threshold)
				q_pop(d, g);
		else if (r->corr == IRK_CORR_EVENT_COUNT && r->cmp == IRK_CMP_GT)
			while (g->qn > 1 && g->sum - g->q[g->qh].w > r->threshold)
				q_pop(d, g);
		first = g->qn ? &g->q[g->qh].ev : NULL;
	} else if (r->corr == IRK_CORR_TEMPORAL) {
		g->tlast[pos] = t;
		g->tset[pos] = 1;
		ev_set(d, &g->tev[pos], h);
		for (int k = 0; k < r->nrefs; k++)
			if (g->tset[k] && g->tlast[k] >= t - r->timespan_ms) {
				n++;
				if (!first || g->tev[k].time < first->time)
					first = &g->tev[k];
			}
		met = cmp_ok(r->cmp, n, r->threshold);
	} else {
		if (pos == 0) {
			g->tstart[0] = t;
			g->tset[0] = 1;
			ev_set(d, &g->tev[0], h);
		} else if (g->tset[pos - 1] && t - g->tstart[pos - 1] <= r->timespan_ms) {
			g->tstart[pos] = g->tstart[pos - 1];
			g->tset[pos] = 1;
			ev_copy(d, &g->tev[pos], &g->tev[pos - 1]);
		}
		met = pos == r->nrefs - 1 && g->tset[pos] && t - g->tstart[pos] <= r->timespan_ms;
		n = met ? r->nrefs : 0;
		first = &g->tev[pos];
	}
	if (g->other) {
		entities_add(&g->ent, h, present); /* its hits' values are not its key's */
	} else {
		entities_add(&g->ent, h, present & ~(cs->keyent[pos] & g->ent_known));
		g->ent_known |= cs->keyent[pos];
	}
	if (!met)
		return;
	if (g->open) {
		g->count += h->weight;
		g->last_t = t;
		ev_set(d, &g->last, h);
		return;
	}
	g->open = 1;
	g->count = r->corr == IRK_CORR_EVENT_COUNT ? g->sum : n;
	if (first) {
		ev_copy(d, &g->first, first);
		g->first_t = first->time;
	} else {
		ev_set(d, &g->first, h);
		g->first_t = t;
	}
	g->last_t = t;
	ev_set(d, &g->last, h);
	if (d->immediate)
		emit(d, c, g);
	chain_up(d, c, g, h);
}

static void simple_hit(struct irk_detector *d, int rule, const struct irk_hit *h, unsigned present)
{
	struct group *g;

	if (d->immediate) {
		struct group tmp = { 0 };
		entities_add(&tmp.ent, h, present);
		tmp.count = h->weight;
		tmp.first_t = tmp.last_t = h->time_ms;
		ev_set(d, &tmp.first, h);
		ev_set(d, &tmp.last, h);
		emit(d, rule, &tmp);
		entities_free(&tmp.ent);
		line_put(d, tmp.first.text);
		line_put(d, tmp.last.text);
		return;
	}
	static const int entity_slots[NENTITIES] = { 0, 1, 2, 3 };
	static const struct key key = { entity_slots, NENTITIES, 1 };

	g = group_get(d, rule, h, &key);
	if (!g->open) {
		/* the key is the entities: a group's are set by its first hit */
		entities_add(&g->ent, h, present);
		g->open = 1;
		g->first_t = h->time_ms;
		ev_set(d, &g->first, h);
	}
	g->count += h->weight;
	g->last_t = h->time_ms;
	ev_set(d, &g->last, h);
}

/*
 * Groups in the order their findings are reported: by first time, then
 * by their values (compared as one text, each value followed by a unit
 * separator).
 */
static int by_first_then_key(const void *a, const void *b)
{
	const struct group *x = *(struct group *const *)a, *y = *(struct group *const *)b;
	size_t n = x->keylen < y->keylen ? x->keylen : y->keylen;

	if (x->first_t != y->first_t)
		return x->first_t < y->first_t ? -1 : 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char cx = (unsigned char)(x->key[i] ? x->key[i] : '\x1f');
		unsigned char cy = (unsigned char)(y->key[i] ? y->key[i] : '\x1f');
		if (cx != cy)
			return cx < cy ? -1 : 1;
	}
	return x->keylen < y->keylen ? -1 : x->keylen > y->keylen;
}

/* Close a rule's groups in report order (and free them when `release`). */
static void close_sorted(struct irk_detector *d, int rule, struct group **all, size_t n, int release)
{
	if (n > 1)
		qsort(all, n, sizeof(*all), by_first_then_key);
	for (size_t k = 0; k < n; k++) {
		close_group(d, rule, all[k]);
		if (release)
			group_free(d, all[k]);
	}
}

/* Close and free the groups idle for longer than their rule's timespan. */
static void sweep(struct irk_detector *d)
{
	struct group **idle = NULL;
	size_t cap = 0;

	for (int i = 0; i < d->rs->nrules; i++) {
		const struct irk_sigma_rule *r = d->rs->rules[i];
		struct rstate *s = &d->st[i];
		size_t n = 0;
		if (!r->corr)
			continue;
		for (size_t b = 0; b < s->nb; b++) {
			struct group **pp = &s->b[b];
			while (*pp) {
				struct group *g = *pp;
				if (d->now - g->last_activity <= r->timespan_ms) {
					pp = &g->next;
					continue;
				}
				*pp = g->next;
				s->n--;
				if (n == cap) {
					cap = cap ? cap * 2 : 64;
					idle = irk_realloc(idle, sizeof(*idle) * cap);
				}
				idle[n++] = g;
			}
		}
		close_sorted(d, i, idle, n, 1);
	}
	free(idle);
}

static void route(struct irk_detector *d, int rule, const struct irk_hit *h)
{
	const struct irk_sigma_rule *r = d->rs->rules[rule];
	struct rstate *s = &d->st[rule];
	unsigned present = entities_present(h);

	if (!r->corr && !r->referenced)
		simple_hit(d, rule, h, present);
	for (int p = 0; p < s->nparents; p++)
		corr_hit(d, s->parents[p].corr, s->parents[p].pos, h, present);
}

void irk_detector_hit(struct irk_detector *d, const struct irk_hit *h)
{
	struct irk_hit copy = *h;

	if (!h->has_time)
		copy.time_ms = d->now; /* a line without a time happens "now" in the stream */
	if (copy.time_ms > d->now)
		d->now = copy.time_ms;
	if (copy.weight < 1)
		copy.weight = 1;
	route(d, h->rule, &copy);
	line_put(d, d->cur);
	d->cur = NULL;
	if (++d->sweep >= SWEEP_EVERY) {
		d->sweep = 0;
		sweep(d);
	}
}

void irk_detector_flush(struct irk_detector *d)
{
	/* close in rule order so that the report is stable */
	for (int i = 0; i < d->rs->nrules; i++) {
		struct rstate *s = &d->st[i];
		struct group **all = irk_calloc(s->n + 1, sizeof(*all));
		size_t n = 0;
		for (size_t b = 0; b < s->nb; b++)
			for (struct group *g = s->b[b]; g; g = g->next)
				all[n++] = g;
		close_sorted(d, i, all, n, 0);
		free(all);
	}
}

int64_t irk_detector_overflow(const struct irk_detector *d)
{
	return d->overflow;
}

void irk_detector_free(struct irk_detector *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->rs->nrules; i++) {
		struct rstate *s = &d->st[i];
		for (size_t b = 0; b < s->nb; b++)
			while (s->b[b]) {
				struct group *g = s->b[b];
				s->b[b] = g->next;
				group_free(d, g);
			}
		free(s->b);
		free(s->parents);
		free(s->gslot);
		free(s->up);
		free(s->keyent);
	}
	while (d->nrooms)
		free(d->rooms[--d->nrooms]);
	free(d->st);
	free(d);
}
