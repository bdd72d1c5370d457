/*
 * sigma-needles.c - the literal texts a detection rule needs in a line
 * before it can match it, for the prefilter (irk/prefilter.h); see
 * irk_sigma_needles() in irk/sigma.h.
 *
 * Each part of a rule gives either "always" (nothing can be said) or a set
 * of needles one of which the line contains whenever the part is true:
 *  - a value compared with a field whose value is a piece of the line
 *    (irk_log_field_kind() VERBATIM): its longest run of literal bytes;
 *  - a value compared with a field the auth extractor derives (action,
 *    outcome): the template texts of the messages that produce a value it
 *    accepts (irk_log_auth_literals());
 *  - a field the format never has: an empty set (the part is never true);
 *  - keywords: the raw line is verbatim;
 *  - OR and one-of take the union (always when one side is), AND and all-of
 *    the better side, NOT is always; the logsource's service adds the text
 *    of its program name.
 * Being wrong here would lose findings, so anything unusual is "always".
 */
#include <stdlib.h>
#include <string.h>

#include "irk/logread.h"
#include "sigma-internal.h"

static void set_always(struct irk_needles *s)
{
	irk_needles_release(s);
	s->always = 1;
}

static void add(struct irk_needles *s, const char *text, size_t len, int caseless)
{
	if (s->always)
		return;
	for (int i = 0; i < s->n; i++)
		if (s->v[i].len == len && s->v[i].caseless == caseless &&
		    !memcmp(s->v[i].text, text, len))
			return;
	s->v = irk_realloc(s->v, sizeof(*s->v) * (size_t)(s->n + 1));
	s->v[s->n].text = irk_strndup(text, len);
	s->v[s->n].len = len;
	s->v[s->n].caseless = caseless;
	s->n++;
}

/* a := a OR b (b is consumed) */
static void or_into(struct irk_needles *a, struct irk_needles *b)
{
	if (!a->always && b->always)
		set_always(a);
	for (int i = 0; !a->always && i < b->n; i++)
		add(a, b->v[i].text, b->v[i].len, b->v[i].caseless);
	irk_needles_release(b);
}

/*
 * How good a set is for prefiltering: never-true beats all, then the
 * longer its shortest needle the better (a cased one a little better than
 * a caseless one of the same length: it occurs less often).
 */
static size_t score(const struct irk_needles *s)
{
	size_t min = (size_t)-1;

	if (s->always)
		return 0;
	for (int i = 0; i < s->n; i++)
		if (s->v[i].len * 2 + !s->v[i].caseless < min)
			min = s->v[i].len * 2 + !s->v[i].caseless;
	return min;
}

/* a := a AND b: either side's needles are needed; keep the better (b is consumed). */
static void and_into(struct irk_needles *a, struct irk_needles *b)
{
	size_t sa = score(a), sb = score(b);

	if (sb > sa || (sb == sa && !b->always && b->n < a->n)) {
		irk_needles_release(a);
		*a = *b;
		memset(b, 0, sizeof(*b));
		return;
	}
	irk_needles_release(b);
}

/* The longest run of literal bytes of a pattern value. */
static void pattern_needle(const struct sv *v, int caseless_ok, struct irk_needles *out)
{
	size_t best = 0, best_len = 0;

	for (size_t i = 0; i < v->len;) {
		size_t j = i;
		while (j < v->len && v->mask[j] == MASK_LIT)
			j++;
		if (j - i > best_len) {
			best = i;
			best_len = j - i;
		}
		i = j > i ? j : i + 1;
	}
	if (!best_len || (!v->cased && !caseless_ok)) {
		out->always = 1;
		return;
	}
	add(out, (const char *)v->pat + best, best_len, !v->cased);
}

/* The items of a map on derived fields, judged together on each message the extractor knows. */
struct derived_items {
	const struct item **v;
	int n;
	struct irk_sigma_scratch *scratch;
};

static int accept_all(const struct irk_event *ev, void *arg)
{
	const struct derived_items *d = arg;

	for (int i = 0; i < d->n; i++)
		if (!irk_item_match(d->v[i], ev, d->scratch))
			return 0;
	return 1;
}

static void derived_needles(struct derived_items *d, struct irk_needles *out)
{
	const char **lits;
	int n = irk_log_auth_literals(accept_all, d, &lits);

	memset(out, 0, sizeof(*out));
	if (n < 0) {
		out->always = 1;
		return;
	}
	for (int i = 0; i < n; i++) {
		add(out, lits[i], strlen(lits[i]), 0);
		free((char *)lits[i]);
	}
	free(lits);
}

static int has_fieldref(const struct item *it)
{
	for (int i = 0; i < it->nvals; i++)
		if (it->vals[i].type == SV_FIELDREF)
			return 1;
	return 0;
}

/* One value of an item on a field of the given kind. */
static void value_needles(const struct sv *v, enum irk_field_kind kind, int caseless_ok,
			  struct irk_needles *out)
{
	memset(out, 0, sizeof(*out));
	/* values that absence satisfies, or that look at other fields */
	if (v->type == SV_NULL || (v->type == SV_EXISTS && !v->exists) || v->type == SV_FIELDREF) {
		out->always = 1;
		return;
	}
	switch (kind) {
	case IRK_FIELD_ABSENT:
		return; /* never true */
	case IRK_FIELD_VERBATIM:
		if (v->type == SV_PATTERN && v->shape != SHAPE_ANY)
			pattern_needle(v, caseless_ok, out);
		else
			out->always = 1;
		return;
	default:
		out->always = 1;
	}
}

/* An item on a field that is not derived (or compared with another field). */
static void item_needles(const struct item *it, enum irk_field_kind kind, int caseless_ok,
			 struct irk_needles *out)
{
	memset(out, 0, sizeof(*out));
	if (it->neq || !it->nvals) {
		out->always = 1;
		return;
	}
	for (int i = 0; i < it->nvals; i++) {
		struct irk_needles one;
		value_needles(&it->vals[i], kind, caseless_ok, &one);
		if (it->all) {
			if (i == 0)
				*out = one;
			else
				and_into(out, &one);
		} else {
			or_into(out, &one);
		}
	}
}

static void selection_needles(const struct selection *sel, int format, int caseless_ok,
			      struct irk_sigma_scratch *scratch, struct irk_needles *out)
{
	memset(out, 0, sizeof(*out));
	for (int m = 0; m < sel->nmaps; m++) {
		const struct smap *map = &sel->maps[m];
		struct irk_needles all = { 1, 0, NULL }; /* an empty map is always true */
		struct derived_items d = { irk_calloc((size_t)map->nitems + 1, sizeof(struct item *)),
					   0, scratch };
		for (int i = 0; i < map->nitems; i++) {
			const struct item *it = &map->items[i];
			enum irk_field_kind kind = !it->field ? IRK_FIELD_VERBATIM
						   : irk_log_field_kind((enum irk_log_format)format, it->fid);
			struct irk_needles one;
			if (kind == IRK_FIELD_DERIVED && !has_fieldref(it)) {
				d.v[d.n++] = it;
				continue;
			}
			item_needles(it, kind, caseless_ok, &one);
			and_into(&all, &one);
		}
		if (d.n) {
			struct irk_needles one;
			derived_needles(&d, &one);
			and_into(&all, &one);
		}
		free(d.v);
		or_into(out, &all);
	}
}

static void node_needles(const struct node *n, const struct irk_needles *sels,
			 struct irk_needles *out)
{
	struct irk_needles b;

	memset(out, 0, sizeof(*out));
	switch (n->t) {
	case N_SEL:
		or_into(out, &(struct irk_needles){ sels[n->sel].always, 0, NULL });
		for (int i = 0; i < sels[n->sel].n; i++)
			add(out, sels[n->sel].v[i].text, sels[n->sel].v[i].len,
			    sels[n->sel].v[i].caseless);
		return;
	case N_AND:
	case N_OR:
		node_needles(n->a, sels, out);
		node_needles(n->b, sels, &b);
		if (n->t == N_AND)
			and_into(out, &b);
		else
			or_into(out, &b);
		return;
	case N_ONE_OF:
	case N_ALL_OF:
		for (int i = 0; i < n->nsels; i++) {
			struct irk_needles one = { sels[n->sels[i]].always, 0, NULL };
			for (int k = 0; k < sels[n->sels[i]].n; k++)
				add(&one, sels[n->sels[i]].v[k].text, sels[n->sels[i]].v[k].len,
				    sels[n->sels[i]].v[k].caseless);
			if (n->t == N_ONE_OF)
				or_into(out, &one);
			else if (i == 0)
				*out = one;
			else
				and_into(out, &one);
		}
		if (n->t == N_ALL_OF && !n->nsels)
			out->always = 1;
		return;
	default:
		out->always = 1;
	}
}

/* Can an event of this format pass the rule's logsource at all? */
static int format_possible(const struct irk_sigma_detection *d, int format)
{
	if (d->ls_category) {
		if (!strcmp(d->ls_category, "webserver") ? format != IRK_LOG_ACCESS
		    : !strcmp(d->ls_category, "application") ? format != IRK_LOG_JSON : 1)
			return 0;
	}
	if (d->ls_product == LS_LINUX && format != IRK_LOG_SYSLOG)
		return 0;
	if (d->ls_product == LS_APPLICATION && format != IRK_LOG_JSON)
		return 0;
	/* only the syslog parser gives events a product or a service */
	return d->ls_service == LS_SVC_ANY || format == IRK_LOG_SYSLOG;
}

void irk_sigma_needles(const struct irk_sigma_rule *r, int format, int caseless_ok,
		       struct irk_needles *out)
{
	const struct irk_sigma_detection *d = r->det;
	struct irk_sigma_scratch scratch = { 0 };
	struct irk_needles *sels;

	memset(out, 0, sizeof(*out));
	if (!d) {
		out->always = 1;
		return;
	}
	if (!format_possible(d, format))
		return;
	sels = irk_calloc((size_t)d->nsel + 1, sizeof(*sels));
	for (int i = 0; i < d->nsel; i++)
		selection_needles(&d->sels[i], format, caseless_ok, &scratch, &sels[i]);
	node_needles(d->cond, sels, out);
	for (int i = 0; i < d->nsel; i++)
		irk_needles_release(&sels[i]);
	free(sels);
	irk_sigma_scratch_release(&scratch);
	if (d->ls_service == LS_SVC_NAMED) {
		const char *lit = irk_log_service_literal(d->ls_service_name);
		struct irk_needles svc = { 0 };
		if (lit)
			add(&svc, lit, strlen(lit), 0);
		/* a service no syslog line gets: the rule can never match (empty set) */
		and_into(out, &svc);
	}
}

void irk_needles_release(struct irk_needles *n)
{
	for (int i = 0; i < n->n; i++)
		free(n->v[i].text);
	free(n->v);
	memset(n, 0, sizeof(*n));
}
