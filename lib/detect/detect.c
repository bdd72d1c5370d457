/*
 * detect.c - from hits to findings: detection-rule aggregation and the
 * correlation engine (sliding windows per group, chains); see irk/detect.h.
 */
#include <stdlib.h>
#include <string.h>

#include "irk/detect.h"
#include "irk/timefmt.h"

#define TEXT_KEEP 2048
#define WINDOW_MAX 10000
#define SWEEP_EVERY 4096

static const char *const entity_names[] = { "src_ip", "user", "target_user", "host", NULL };

struct evcopy {
	const char *file;
	int64_t line, time;
	char *text;
	size_t cap; /* room at text */
};

#define NENTITIES 4

/* The distinct entity values of a group, kept in the order they first appeared. */
struct entities {
	char *v[NENTITIES][IRK_DETECT_ENTITIES_MAX];
	uint32_t hash[NENTITIES][IRK_DETECT_ENTITIES_MAX]; /* of each value: compared first */
	unsigned char n[NENTITIES];
	unsigned char order[NENTITIES], norder;
};

struct entry {
	int64_t t, w;
	char *value;
	struct evcopy ev;
};

struct group {
	char *key;
	struct group *next;
	json_t *gvals;
	struct entities ent;
	struct entry *q; /* the window: q[qh .. qh+qn) */
	char *spare;     /* a popped entry's text room, for the next push */
	size_t spare_cap;
	int qh, qn, qcap;
	int64_t sum;
	int64_t *tlast, *tstart;
	char *tset;
	struct evcopy *tev;
	struct vcount { char *v; int64_t n; } *vals; /* value_count: the window's distinct values */
	int nvals, capvals;
	int open;
	int64_t count, first_t, last_t, last_activity;
	struct evcopy first, last;
};

struct parent {
	int corr, pos;
};

struct rstate {
	struct group **b;
	size_t nb, n;
	int nparents;
	struct parent *parents;
};

struct irk_detector {
	const struct irk_ruleset *rs;
	int immediate;
	irk_finding_fn fn;
	void *arg;
	struct rstate *st;
	int64_t now, overflow;
	unsigned sweep;
	struct irk_buf key; /* scratch for group keys */
};

/* A JSON string of log content: bytes that are not valid UTF-8 become '?'. */
static json_t *text_json(const char *s)
{
	json_t *j = json_string(s);
	char *copy;

	if (j)
		return j;
	copy = irk_strdup(s);
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80 || (unsigned char)*p < 0x20)
			*p = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* Where a hit's packed fields are: made once per hit, so that looking one up compares names only. */
#define INDEX_MAX 64
struct field_index {
	int n;
	const char *name[INDEX_MAX], *value[INDEX_MAX];
	const char *entity[NENTITIES]; /* the entity fields' values (NULL: absent or empty) */
	uint32_t entity_hash[NENTITIES];
};

static void index_fields(struct field_index *x, const struct irk_hit *h)
{
	const char *p = h->fields;

	x->n = 0;
	for (int i = 0; i < h->nfields && x->n < INDEX_MAX; i++) {
		const char *v = p + strlen(p) + 1;
		x->name[x->n] = p;
		x->value[x->n++] = v;
		p = v + strlen(v) + 1;
	}
}

static const char *hit_field(const struct irk_hit *h, const char *name)
{
	const struct field_index *x = h->index;
	const char *p = h->fields;

	if (x) {
		for (int i = 0; i < x->n; i++)
			if (x->name[i][0] == name[0] && !strcmp(x->name[i], name))
				return x->value[i];
		if (h->nfields <= INDEX_MAX)
			return NULL;
	}
	for (int i = 0; i < h->nfields; i++) {
		const char *v = p + strlen(p) + 1;
		if (p[0] == name[0] && !strcmp(p, name))
			return v;
		p = v + strlen(v) + 1;
	}
	return NULL;
}

static void add_name(const char ***names, int *n, const char *s)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp((*names)[i], s))
			return;
	*names = irk_realloc(*names, sizeof(char *) * (size_t)(*n + 1));
	(*names)[(*n)++] = s;
}

int irk_detect_needed(const struct irk_ruleset *rs, int rule, const char ***names)
{
	int n = 0;

	*names = NULL;
	for (int i = 0; entity_names[i]; i++)
		add_name(names, &n, entity_names[i]);
	for (int c = 0; c < rs->nrules; c++) {
		const struct irk_sigma_rule *r = rs->rules[c];
		for (int k = 0; r->corr && k < r->nrefs; k++) {
			if (r->refs[k] != rule)
				continue;
			for (int g = 0; g < r->ngroup; g++)
				add_name(names, &n, r->group_field[g][k]);
			if (r->count_field)
				add_name(names, &n, r->count_field);
		}
	}
	return n;
}

int irk_detect_pack(const char *const *names, const int *ids, int n, const struct irk_event *ev,
		    struct irk_buf *out)
{
	int packed = 0;

	for (int i = 0; i < n; i++) {
		size_t len;
		const char *v = ids[i] >= 0 ? irk_event_get_id(ev, (enum irk_field_id)ids[i], &len)
					    : irk_event_get(ev, names[i], &len);
		if (!v)
			continue;
		irk_buf_add(out, names[i], strlen(names[i]) + 1);
		irk_buf_add(out, v, len);
		irk_buf_addch(out, '\0');
		packed++;
	}
	return packed;
}

static void text_set(struct evcopy *e, const char *s, size_t n)
{
	if (!e->text || e->cap < n + 1) {
		free(e->text);
		e->cap = n + 1 > 128 ? n + 1 : 128;
		e->text = irk_malloc(e->cap);
	}
	memcpy(e->text, s, n);
	e->text[n] = '\0';
}

/* Index a hit's fields, and look up its entities once for every rule it goes to. */
static void index_hit(struct field_index *x, struct irk_hit *h)
{
	index_fields(x, h);
	h->index = x;
	for (int i = 0; i < NENTITIES; i++) {
		const char *v = hit_field(h, entity_names[i]);
		x->entity[i] = v && *v ? v : NULL;
		x->entity_hash[i] = x->entity[i] ? (uint32_t)fnv(v) : 0;
	}
}

static void ev_set(struct evcopy *e, const struct irk_hit *h)
{
	e->file = h->file;
	e->line = h->line;
	e->time = h->time_ms;
	text_set(e, h->text ? h->text : "", h->text_len < TEXT_KEEP ? h->text_len : TEXT_KEEP);
}

static void ev_copy(struct evcopy *dst, const struct evcopy *src)
{
	dst->file = src->file;
	dst->line = src->line;
	dst->time = src->time;
	if (src->text)
		text_set(dst, src->text, strlen(src->text));
	else {
		free(dst->text);
		dst->text = NULL;
		dst->cap = 0;
	}
}

static void entities_add(struct entities *e, const struct irk_hit *h)
{
	const struct field_index *x = h->index;

	for (int i = 0; i < NENTITIES; i++) {
		const char *v;
		uint32_t hv;
		int k;
		if (e->n[i] >= IRK_DETECT_ENTITIES_MAX)
			continue; /* full: nothing more is kept */
		v = x ? x->entity[i] : hit_field(h, entity_names[i]);
		if (!v || !*v)
			continue;
		hv = x ? x->entity_hash[i] : (uint32_t)fnv(v);
		for (k = 0; k < e->n[i]; k++)
			if (e->hash[i][k] == hv && !strcmp(e->v[i][k], v))
				break;
		if (k < e->n[i])
			continue;
		if (!e->n[i])
			e->order[e->norder++] = (unsigned char)i;
		e->hash[i][e->n[i]] = hv;
		e->v[i][e->n[i]++] = irk_strdup(v);
	}
}

static void entities_free(struct entities *e)
{
	for (int i = 0; i < NENTITIES; i++)
		for (int k = 0; k < e->n[i]; k++)
			free(e->v[i][k]);
	memset(e, 0, sizeof(*e));
}

static json_t *entities_json(const struct entities *e)
{
	json_t *o = json_object();

	for (int j = 0; j < e->norder; j++) {
		int i = e->order[j];
		json_t *arr = json_array();
		for (int k = 0; k < e->n[i]; k++)
			json_array_append_new(arr, text_json(e->v[i][k]));
		json_object_set_new(o, entity_names[i], arr);
	}
	return o;
}

struct irk_detector *irk_detector_new(const struct irk_ruleset *rs, int immediate,
				      irk_finding_fn fn, void *arg)
{
	struct irk_detector *d = irk_calloc(1, sizeof(*d));

	d->rs = rs;
	d->immediate = immediate;
	d->fn = fn;
	d->arg = arg;
	d->st = irk_calloc((size_t)rs->nrules + 1, sizeof(struct rstate));
	for (int c = 0; c < rs->nrules; c++) {
		const struct irk_sigma_rule *r = rs->rules[c];
		for (int k = 0; r->corr && k < r->nrefs; k++) {
			struct rstate *s = &d->st[r->refs[k]];
			s->parents = irk_realloc(s->parents, sizeof(struct parent) * (size_t)(s->nparents + 1));
			s->parents[s->nparents].corr = c;
			s->parents[s->nparents++].pos = k;
		}
	}
	return d;
}

static void group_free(struct group *g)
{
	free(g->key);
	json_decref(g->gvals);
	entities_free(&g->ent);
	for (int i = 0; i < g->qn; i++) {
		free(g->q[g->qh + i].value);
		free(g->q[g->qh + i].ev.text);
	}
	free(g->q);
	free(g->spare);
	for (int i = 0; i < g->nvals; i++)
		free(g->vals[i].v);
	free(g->vals);
	free(g->tlast);
	free(g->tstart);
	free(g->tset);
	if (g->tev) {
		/* temporal keeps one event per referenced rule */
		for (int i = 0; g->tev[i].line >= 0; i++)
			free(g->tev[i].text);
		free(g->tev);
	}
	free(g->first.text);
	free(g->last.text);
	free(g);
}

/* A group key: each value (or nothing) followed by a unit separator. */
static void key_add(struct irk_buf *key, const char *v)
{
	if (v)
		irk_buf_adds(key, v);
	irk_buf_addch(key, '\x1f');
}

static struct group *group_get(struct irk_detector *d, int rule, const char *key)
{
	struct rstate *s = &d->st[rule];
	const struct irk_sigma_rule *r = d->rs->rules[rule];
	struct group *g;
	uint64_t h;

	if (!s->nb) {
		s->nb = 64;
		s->b = irk_calloc(s->nb, sizeof(*s->b));
	}
	h = fnv(key);
	for (g = s->b[h % s->nb]; g; g = g->next)
		if (!strcmp(g->key, key))
			return g;
	if (s->n >= IRK_DETECT_GROUPS_MAX) {
		d->overflow++;
		if (strcmp(key, "(other)"))
			return group_get(d, rule, "(other)");
	}
	if (s->n * 2 > s->nb) {
		size_t nb = s->nb * 2;
		struct group **b = irk_calloc(nb, sizeof(*b));
		for (size_t i = 0; i < s->nb; i++)
			while (s->b[i]) {
				struct group *x = s->b[i];
				s->b[i] = x->next;
				x->next = b[fnv(x->key) % nb];
				b[fnv(x->key) % nb] = x;
			}
		free(s->b);
		s->b = b;
		s->nb = nb;
	}
	g = irk_calloc(1, sizeof(*g));
	g->key = irk_strdup(key);
	g->gvals = json_object();
	if (r->corr == IRK_CORR_TEMPORAL || r->corr == IRK_CORR_TEMPORAL_ORDERED) {
		g->tlast = irk_calloc((size_t)r->nrefs, sizeof(int64_t));
		g->tstart = irk_calloc((size_t)r->nrefs, sizeof(int64_t));
		g->tset = irk_calloc((size_t)r->nrefs, 1);
		g->tev = irk_calloc((size_t)r->nrefs + 1, sizeof(struct evcopy));
		g->tev[r->nrefs].line = -1;
	}
	g->next = s->b[h % s->nb];
	s->b[h % s->nb] = g;
	s->n++;
	return g;
}

static void emit(struct irk_detector *d, int rule, struct group *g)
{
	struct irk_finding f = { 0 };

	if (d->rs->rules[rule]->referenced)
		return;
	f.rule = d->rs->rules[rule];
	f.first_ms = g->first_t;
	f.last_ms = g->last_t;
	f.count = g->count;
	f.group = json_object_size(g->gvals) ? g->gvals : NULL;
	f.entities = entities_json(&g->ent);
	f.first.file = g->first.file;
	f.first.line = g->first.line;
	f.first.time_ms = g->first.time;
	f.first.text = g->first.text;
	f.last.file = g->last.file;
	f.last.line = g->last.line;
	f.last.time_ms = g->last.time;
	f.last.text = g->last.text;
	d->fn(&f, d->arg);
	json_decref(f.entities);
}

static void route(struct irk_detector *d, int rule, const struct irk_hit *h);

/* A correlation's condition became true for group g: chain it upwards. */
static void chain_up(struct irk_detector *d, int c, struct group *g, const struct irk_hit *h)
{
	const struct irk_sigma_rule *r = d->rs->rules[c];
	struct irk_buf f = IRK_BUF_INIT;
	struct irk_hit up = *h;
	struct field_index x;
	int n = 0;

	if (!d->st[c].nparents)
		return;
	for (int k = 0; k < r->ngroup; k++) {
		const char *v = json_string_value(json_object_get(g->gvals, r->group_by[k]));
		irk_buf_add(&f, r->group_by[k], strlen(r->group_by[k]) + 1);
		irk_buf_add(&f, v ? v : "", strlen(v ? v : "") + 1);
		n++;
	}
	/* entities travel too, so that the chained finding names them */
	for (int i = 0; entity_names[i]; i++) {
		if (g->ent.n[i] && !json_object_get(g->gvals, entity_names[i])) {
			const char *v = g->ent.v[i][0];
			irk_buf_add(&f, entity_names[i], strlen(entity_names[i]) + 1);
			irk_buf_add(&f, v, strlen(v) + 1);
			n++;
		}
	}
	up.rule = c;
	up.fields = f.buf;
	up.nfields = n;
	up.weight = 1;
	index_hit(&x, &up);
	route(d, c, &up);
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

static void value_add(struct group *g, const char *v, int64_t d)
{
	for (int i = 0; i < g->nvals; i++)
		if (!strcmp(g->vals[i].v, v)) {
			g->vals[i].n += d;
			if (g->vals[i].n <= 0) {
				free(g->vals[i].v);
				g->vals[i] = g->vals[--g->nvals];
			}
			return;
		}
	if (d <= 0)
		return;
	if (g->nvals == g->capvals) {
		g->capvals = g->capvals ? g->capvals * 2 : 8;
		g->vals = irk_realloc(g->vals, sizeof(*g->vals) * (size_t)g->capvals);
	}
	g->vals[g->nvals].v = irk_strdup(v);
	g->vals[g->nvals++].n = d;
}

static void q_pop(struct group *g)
{
	struct entry *e = &g->q[g->qh];

	g->sum -= e->w;
	if (g->vals)
		value_add(g, e->value, -1);
	free(e->value);
	if (!g->spare) { /* the next entry pushed reuses the text's room */
		g->spare = e->ev.text;
		g->spare_cap = e->ev.cap;
	} else {
		free(e->ev.text);
	}
	g->qh++;
	g->qn--;
}

static void corr_hit(struct irk_detector *d, int c, int pos, const struct irk_hit *h)
{
	const struct irk_sigma_rule *r = d->rs->rules[c];
	struct group *g;
	int64_t t = h->time_ms, n = 0;
	int met = 0;
	const struct evcopy *first = NULL;

	irk_buf_reset(&d->key);
	for (int k = 0; k < r->ngroup; k++)
		key_add(&d->key, hit_field(h, r->group_field[k][pos]));
	g = group_get(d, c, d->key.buf);
	if (!json_object_size(g->gvals))
		for (int k = 0; k < r->ngroup; k++) {
			const char *v = hit_field(h, r->group_field[k][pos]);
			json_object_set_new(g->gvals, r->group_by[k], text_json(v ? v : ""));
		}
	g->last_activity = t;
	if (g->open && t - g->last_t > r->timespan_ms)
		close_group(d, c, g);
	if (r->corr == IRK_CORR_EVENT_COUNT || r->corr == IRK_CORR_VALUE_COUNT) {
		const char *v = r->count_field ? hit_field(h, r->count_field) : "";
		struct entry *e;
		if (r->corr == IRK_CORR_VALUE_COUNT && !v)
			return; /* an event without the counted field does not count */
		while (g->qn && g->q[g->qh].t < t - r->timespan_ms)
			q_pop(g);
		if (g->qn >= WINDOW_MAX)
			q_pop(g);
		if (g->qh + g->qn == g->qcap) {
			if (g->qh && g->qh >= g->qcap / 2) {
				/* half the room is popped entries: slide the window down */
				memmove(g->q, g->q + g->qh, sizeof(*g->q) * (size_t)g->qn);
				g->qh = 0;
			} else {
				g->qcap = g->qcap ? g->qcap * 2 : 8;
				g->q = irk_realloc(g->q, sizeof(*g->q) * (size_t)g->qcap);
			}
		}
		e = &g->q[g->qh + g->qn++];
		memset(e, 0, sizeof(*e));
		e->ev.text = g->spare;
		e->ev.cap = g->spare_cap;
		g->spare = NULL;
		e->t = t;
		e->w = h->weight;
		e->value = r->corr == IRK_CORR_VALUE_COUNT ? irk_strdup(v) : NULL; /* only counted values are kept */
		ev_set(&e->ev, h);
		g->sum += h->weight;
		if (r->corr == IRK_CORR_VALUE_COUNT)
			value_add(g, v, 1);
		n = r->corr == IRK_CORR_EVENT_COUNT ? g->sum : g->nvals;
		met = cmp_ok(r->cmp, n, r->threshold);
		/* only the newest events that still meet a gte/gt threshold are needed */
		if (r->corr == IRK_CORR_EVENT_COUNT && (r->cmp == IRK_CMP_GTE || r->cmp == IRK_CMP_GT))
			while (g->qn > 1 && cmp_ok(r->cmp, g->sum - g->q[g->qh].w, r->threshold))
				q_pop(g);
		first = g->qn ? &g->q[g->qh].ev : NULL;
	} else if (r->corr == IRK_CORR_TEMPORAL) {
		g->tlast[pos] = t;
		g->tset[pos] = 1;
		ev_set(&g->tev[pos], h);
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
			ev_set(&g->tev[0], h);
		} else if (g->tset[pos - 1] && t - g->tstart[pos - 1] <= r->timespan_ms) {
			g->tstart[pos] = g->tstart[pos - 1];
			g->tset[pos] = 1;
			ev_copy(&g->tev[pos], &g->tev[pos - 1]);
		}
		met = pos == r->nrefs - 1 && g->tset[pos] && t - g->tstart[pos] <= r->timespan_ms;
		n = met ? r->nrefs : 0;
		first = &g->tev[pos];
	}
	entities_add(&g->ent, h);
	if (!met)
		return;
	if (g->open) {
		g->count += h->weight;
		g->last_t = t;
		ev_set(&g->last, h);
		return;
	}
	g->open = 1;
	g->count = r->corr == IRK_CORR_EVENT_COUNT ? g->sum : n;
	if (first) {
		ev_copy(&g->first, first);
		g->first_t = first->time;
	} else {
		ev_set(&g->first, h);
		g->first_t = t;
	}
	g->last_t = t;
	ev_set(&g->last, h);
	if (d->immediate)
		emit(d, c, g);
	chain_up(d, c, g, h);
}

static void simple_hit(struct irk_detector *d, int rule, const struct irk_hit *h)
{
	struct group *g;

	if (d->immediate) {
		struct group tmp = { 0 };
		entities_add(&tmp.ent, h);
		tmp.count = h->weight;
		tmp.first_t = tmp.last_t = h->time_ms;
		ev_set(&tmp.first, h);
		ev_set(&tmp.last, h);
		emit(d, rule, &tmp);
		entities_free(&tmp.ent);
		free(tmp.first.text);
		free(tmp.last.text);
		return;
	}
	irk_buf_reset(&d->key);
	for (int i = 0; entity_names[i]; i++) /* an empty value keys as an absent one */
		key_add(&d->key, h->index ? ((const struct field_index *)h->index)->entity[i]
					  : hit_field(h, entity_names[i]));
	g = group_get(d, rule, d->key.buf);
	if (!g->open) {
		/* the key is the entities: a group's are set by its first hit */
		entities_add(&g->ent, h);
		g->open = 1;
		g->first_t = h->time_ms;
		ev_set(&g->first, h);
	}
	g->count += h->weight;
	g->last_t = h->time_ms;
	ev_set(&g->last, h);
}

static void sweep(struct irk_detector *d)
{
	for (int i = 0; i < d->rs->nrules; i++) {
		const struct irk_sigma_rule *r = d->rs->rules[i];
		struct rstate *s = &d->st[i];
		if (!r->corr)
			continue;
		for (size_t b = 0; b < s->nb; b++) {
			struct group **pp = &s->b[b];
			while (*pp) {
				struct group *g = *pp;
				if (d->now - g->last_activity > r->timespan_ms) {
					close_group(d, i, g);
					*pp = g->next;
					group_free(g);
					s->n--;
				} else {
					pp = &g->next;
				}
			}
		}
	}
}

static void route(struct irk_detector *d, int rule, const struct irk_hit *h)
{
	const struct irk_sigma_rule *r = d->rs->rules[rule];
	struct rstate *s = &d->st[rule];

	if (!r->corr && !r->referenced)
		simple_hit(d, rule, h);
	for (int p = 0; p < s->nparents; p++)
		corr_hit(d, s->parents[p].corr, s->parents[p].pos, h);
}

void irk_detector_hit(struct irk_detector *d, const struct irk_hit *h)
{
	struct irk_hit copy = *h;
	struct field_index x;

	index_hit(&x, &copy);
	if (!h->has_time)
		copy.time_ms = d->now; /* a line without a time happens "now" in the stream */
	if (copy.time_ms > d->now)
		d->now = copy.time_ms;
	if (copy.weight < 1)
		copy.weight = 1;
	route(d, h->rule, &copy);
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
		/* by first time, then key */
		for (size_t a = 1; a < n; a++)
			for (size_t k = a; k > 0 && (all[k - 1]->first_t > all[k]->first_t ||
						    (all[k - 1]->first_t == all[k]->first_t &&
						     strcmp(all[k - 1]->key, all[k]->key) > 0)); k--) {
				struct group *x = all[k];
				all[k] = all[k - 1];
				all[k - 1] = x;
			}
		for (size_t k = 0; k < n; k++)
			close_group(d, i, all[k]);
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
				group_free(g);
			}
		free(s->b);
		free(s->parents);
	}
	irk_buf_release(&d->key);
	free(d->st);
	free(d);
}

static json_t *event_json(const struct irk_finding_event *e)
{
	char t[IRK_TIME_MAX];

	irk_time_utc(e->time_ms, 1, t);
	return json_pack("{s:o, s:I, s:s, s:o}", "file", text_json(e->file ? e->file : "-"), "line",
			 (json_int_t)e->line, "time", t, "text", text_json(e->text ? e->text : ""));
}

json_t *irk_finding_json(const struct irk_finding *f)
{
	char a[IRK_TIME_MAX], b[IRK_TIME_MAX];
	json_t *o;

	irk_time_utc(f->first_ms, 1, a);
	irk_time_utc(f->last_ms, 1, b);
	o = json_pack("{s:o, s:o, s:o, s:s, s:s, s:I}", "rule", text_json(f->rule->title), "rule_id",
		      text_json(f->rule->id ? f->rule->id : ""), "level", text_json(f->rule->level),
		      "first", a, "last", b,
		      "count", (json_int_t)f->count);
	if (f->group)
		json_object_set(o, "group", f->group);
	json_object_set_new(o, "entities", f->entities ? json_incref(f->entities) : json_object());
	json_object_set_new(o, "first_event", event_json(&f->first));
	json_object_set_new(o, "last_event", event_json(&f->last));
	return o;
}
