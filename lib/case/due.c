/* due.c - collecting what is due across open incidents; see irk/due.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irk/crew.h"
#include "irk/due.h"
#include "irk/duty.h"
#include "irk/incident.h"
#include "irk/task.h"
#include "irk/timefmt.h"

json_t *irk_due_item(const char *inc, int drill, const char *kind, const char *state,
		     int64_t due_ms, const char *what, json_t *ref)
{
	char t[IRK_TIME_MAX];
	json_t *o = json_pack("{s:s, s:b, s:s, s:s}", "inc", inc, "drill", drill, "kind", kind,
			      "state", state);

	if (due_ms >= 0) {
		irk_time_utc(due_ms, 1, t);
		json_object_set_new(o, "due", json_string(t));
	} else {
		json_object_set_new(o, "due", json_null());
	}
	json_object_set_new(o, "what", json_string(what));
	json_object_set_new(o, "ref", ref ? ref : json_object());
	return o;
}

static int64_t time_or(json_t *v, int64_t fallback)
{
	int64_t ms;

	return json_is_string(v) && !irk_time_parse_utc(json_string_value(v), &ms, NULL) ? ms : fallback;
}

static enum irk_code collect_tasks(struct irk_casebook *cb, const char *inc, int drill,
				   const struct irk_due_query *q, json_t *items, struct irk_err *err)
{
	json_t *tasks, *t;
	size_t i;
	enum irk_code rc = irk_task_list(cb, inc, 0, q->now_ms, &tasks, err);

	if (rc)
		return rc;
	json_array_foreach(tasks, i, t) {
		int64_t due = time_or(json_object_get(t, "due"), -1);
		const char *state;
		char what[700];

		if (json_is_true(json_object_get(t, "overdue")))
			state = "overdue";
		else if (due >= 0 && due - q->now_ms <= q->soon_s * 1000)
			state = "soon";
		else if (json_is_true(json_object_get(t, "unacknowledged")))
			state = "unacknowledged";
		else
			continue;
		snprintf(what, sizeof(what), "task %lld for %s: %s%s",
			 (long long)json_integer_value(json_object_get(t, "num")),
			 json_string_value(json_object_get(t, "owner_email")),
			 json_string_value(json_object_get(t, "title")),
			 json_is_true(json_object_get(t, "unacknowledged")) ? " (not acknowledged)" : "");
		json_array_append_new(items, irk_due_item(inc, drill, "task", state, due, what,
							  json_pack("{s:O}", "task", json_object_get(t, "num"))));
	}
	json_decref(tasks);
	return IRK_OK;
}

static enum irk_code collect_duties(struct irk_casebook *cb, const char *inc, int drill,
				    const struct irk_due_query *q, json_t *items,
				    struct irk_err *err)
{
	json_t *duties, *d;
	size_t i;
	enum irk_code rc = irk_duty_list(cb, inc, q->now_ms, &duties, err);

	if (rc)
		return rc;
	json_array_foreach(duties, i, d) {
		const char *status = json_string_value(json_object_get(d, "status"));
		int64_t due = time_or(json_object_get(d, "deadline"), -1);
		const char *state = status;
		char what[1200];

		if (!strcmp(status, "met") || !strcmp(status, "late"))
			continue;
		if (!strcmp(status, "open") && due - q->now_ms <= q->soon_s * 1000)
			state = "soon";
		snprintf(what, sizeof(what), "notify %s: %s",
			 json_string_value(json_object_get(d, "role")),
			 json_string_value(json_object_get(d, "why")));
		json_array_append_new(items, irk_due_item(inc, drill, "duty", state, due, what,
							  json_pack("{s:O}", "role", json_object_get(d, "role"))));
	}
	json_decref(duties);
	return IRK_OK;
}

static enum irk_code collect_lead(struct irk_casebook *cb, const char *inc, int drill,
				  const struct irk_due_query *q, json_t *items, struct irk_err *err)
{
	char lead[IRK_KEYID_HEX];
	enum irk_code rc = irk_crew_holder(cb->db, NULL, inc, "lead", lead, err);

	(void)q;
	if (!rc && !lead[0])
		json_array_append_new(items, irk_due_item(inc, drill, "lead", "open", -1,
							  "nobody leads this incident (irk role INC lead MEMBER)",
							  json_pack("{s:s}", "role", "lead")));
	return rc;
}

/* Every module that has something due lists its collector here. */
static const irk_due_collector collectors[] = {
	collect_tasks,
	collect_duties,
	collect_lead,
	NULL,
};

static int state_rank(const char *s)
{
	static const char *const order[] = { "overdue", "soon", "unacknowledged", "open", "waiting",
					     NULL };
	int i = irk_list_index(order, s);
	return i < 0 ? 9 : i;
}

static int compare_items(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int rx = state_rank(json_string_value(json_object_get(x, "state")));
	int ry = state_rank(json_string_value(json_object_get(y, "state")));
	const char *dx = json_string_value(json_object_get(x, "due"));
	const char *dy = json_string_value(json_object_get(y, "due"));

	if (rx != ry)
		return rx - ry;
	if (dx && dy && strcmp(dx, dy))
		return strcmp(dx, dy);
	if (!dx != !dy)
		return dx ? -1 : 1;
	return strcmp(json_string_value(json_object_get(x, "inc")),
		      json_string_value(json_object_get(y, "inc")));
}

enum irk_code irk_due_list(struct irk_casebook *cb, const struct irk_due_query *q, json_t **out,
			   int *overdue, struct irk_err *err)
{
	json_t *incidents, *inc, *items = json_array(), *sorted;
	json_t **v;
	enum irk_code rc;
	size_t i, n;

	*overdue = 0;
	if ((rc = irk_incident_list(cb, 0, &incidents, err))) {
		json_decref(items);
		return rc;
	}
	json_array_foreach(incidents, i, inc) {
		const char *id = json_string_value(json_object_get(inc, "id"));
		int drill = json_is_true(json_object_get(inc, "drill"));
		if ((drill && !q->drills) || (q->inc && strcmp(q->inc, id)))
			continue;
		for (const irk_due_collector *c = collectors; *c; c++)
			if ((rc = (*c)(cb, id, drill, q, items, err)))
				goto done;
	}
	n = json_array_size(items);
	v = irk_calloc(n ? n : 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = json_array_get(items, i);
	qsort(v, n, sizeof(*v), compare_items);
	sorted = json_array();
	for (i = 0; i < n; i++) {
		json_array_append(sorted, v[i]);
		if (!strcmp(json_string_value(json_object_get(v[i], "state")), "overdue"))
			(*overdue)++;
	}
	free(v);
	*out = sorted;
done:
	json_decref(items);
	json_decref(incidents);
	return rc;
}
