/*
 * due.h - what needs attention now, across every open incident: overdue and
 * soon-due tasks, tasks nobody acknowledged, notification duties and their
 * deadlines, incidents without a lead.  `irk due` prints it; the HTTP API
 * serves the same JSON.
 *
 * An item is a JSON object {inc, drill, kind, state, due, what, ref}:
 *   kind   "task", "duty", "lead" (and what other modules add)
 *   state  "overdue", "soon", "unacknowledged", "open", "waiting"
 *   due    UTC time or null;  ref: what to act on ({"task":3}, {"role":"legal"})
 * Items are sorted overdue first, then by due time.  Another module adds its
 * items by writing a collector (the irk_due_collector signature) and listing
 * it in due.c's collectors[].
 */
#ifndef IRK_DUE_H
#define IRK_DUE_H

#include <jansson.h>
#include <stdint.h>

#include "irk/casebook.h"

struct irk_due_query {
	int64_t now_ms;
	int64_t soon_s;     /* "soon" means due within this many seconds */
	int drills;         /* include exercises */
	const char *inc;    /* NULL: every open incident */
};

typedef enum irk_code (*irk_due_collector)(struct irk_casebook *cb, const char *inc, int drill,
					   const struct irk_due_query *q, json_t *items,
					   struct irk_err *err);

/* A new item (for collectors); due_ms < 0 means no due time. */
json_t *irk_due_item(const char *inc, int drill, const char *kind, const char *state,
		     int64_t due_ms, const char *what, json_t *ref);

/* The items as a JSON array; *overdue gets how many are overdue. */
enum irk_code irk_due_list(struct irk_casebook *cb, const struct irk_due_query *q, json_t **out,
			   int *overdue, struct irk_err *err);

#endif
