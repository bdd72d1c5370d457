/*
 * sigma-match.c - does a detection rule match an event: the logsource,
 * then each selection (a list of maps, OR; a map's items, AND; an item's
 * values, OR or with |all AND), then the condition.  See irk/sigma.h.
 */
#include <stdlib.h>
#include <string.h>

#include "sigma-internal.h"

static int logsource_match(const struct irk_sigma_detection *d, const struct irk_event *ev)
{
	if (d->ls_category) {
		if (!ev->category || strcmp(d->ls_category, ev->category))
			return 0;
	}
	/* "linux" is the syslog family; "json"/"application" the JSON Lines family */
	if (d->ls_product == LS_LINUX && !ev->product)
		return 0;
	if (d->ls_product == LS_APPLICATION && (!ev->category || strcmp(ev->category, "application")))
		return 0;
	switch (d->ls_service) {
	case LS_SVC_SYSLOG:
		return ev->product != NULL;
	case LS_SVC_AUTH:
		return ev->service != NULL;
	case LS_SVC_NAMED:
		return ev->service && (ev->service == d->ls_service_lit ||
				       (ev->service[0] == d->ls_service_name[0] &&
					!strcmp(d->ls_service_name, ev->service)));
	default:
		return 1;
	}
}

/* irk_sv_match(), with the plain string values matched inline. */
static inline int value_match(const struct sv *v, const struct irk_event *ev, const char *val,
			      size_t len, struct irk_sigma_scratch *s)
{
	if (v->type == SV_PATTERN)
		return val && irk_sv_match_pattern(v, (const unsigned char *)val, len);
	return irk_sv_match(v, ev, val, len, s);
}

/* irk_item_match(), forced inline into the selection loop below (a call per item costs). */
__attribute__((always_inline)) static inline int
item_match(const struct item *it, const struct irk_event *ev, struct irk_sigma_scratch *s)
{
	size_t len = 0;
	const char *val;

	if (it->fid >= 0) {
		val = irk_event_get_id(ev, (enum irk_field_id)it->fid, &len);
	} else if (it->field) {
		val = irk_event_get(ev, it->field, &len);
	} else {
		val = ev->raw;
		len = ev->raw_len;
	}
	if (it->neq) {
		if (!val)
			return 0;
		for (int i = 0; i < it->nvals; i++)
			if (value_match(&it->vals[i], ev, val, len, s))
				return 0;
		return 1;
	}
	if (it->all) {
		for (int i = 0; i < it->nvals; i++)
			if (!value_match(&it->vals[i], ev, val, len, s))
				return 0;
		return 1;
	}
	for (int i = 0; i < it->nvals; i++)
		if (value_match(&it->vals[i], ev, val, len, s))
			return 1;
	return 0;
}

int irk_item_match(const struct item *it, const struct irk_event *ev,
		   struct irk_sigma_scratch *s)
{
	return item_match(it, ev, s);
}

/* Any map of the selection matches; forced inline, as item_match(). */
__attribute__((always_inline)) static inline int
selection_match(const struct selection *sel, const struct irk_event *ev, struct irk_sigma_scratch *s)
{
	for (int m = 0; m < sel->nmaps; m++) {
		int ok = 1;
		for (int i = 0; ok && i < sel->maps[m].nitems; i++)
			ok = item_match(&sel->maps[m].items[i], ev, s);
		if (ok)
			return 1;
	}
	return 0;
}

/* A condition over several selections: every selection's match, then the condition. */
static int condition_match(const struct irk_sigma_detection *d, const struct irk_event *ev,
			   struct irk_sigma_scratch *s)
{
	char small[64] = { 0 };
	char *hits = small;
	int res;

	if (d->nsel > (int)sizeof(small))
		hits = irk_malloc((size_t)d->nsel);
	for (int i = 0; i < d->nsel; i++)
		hits[i] = (char)selection_match(&d->sels[i], ev, s);
	res = irk_cond_eval(d->cond, hits);
	if (hits != small)
		free(hits);
	return res;
}

int irk_sigma_match(const struct irk_sigma_rule *r, const struct irk_event *ev,
		    struct irk_sigma_scratch *s)
{
	const struct irk_sigma_detection *d = r->det;

	if (!d || !logsource_match(d, ev))
		return 0;
	/* "condition: selection", the most common one, needs no table */
	if (d->cond->t == N_SEL)
		return selection_match(&d->sels[d->cond->sel], ev, s);
	return condition_match(d, ev, s);
}
