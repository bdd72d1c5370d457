/*
 * due-sources.c - the one place that lists what every module has due, for
 * `irk due` (see irk/due.h): lib/case/due.c asks each source in turn and
 * never names another module itself.  A module adds its collector here.
 */
#include <string.h>

#include "irk/due.h"
#include "irk/message.h"
#include "irk/timefmt.h"

/* Communications: the follow-up messages owed after a published message (irk/message.h). */
static enum irk_code due_followups(struct irk_casebook *cb, const char *inc, int drill,
				   const struct irk_due_query *q, json_t *items, struct irk_err *err)
{
	json_t *arr, *f;
	size_t i;
	enum irk_code rc = irk_msg_followups(cb, inc, q->now_ms, &arr, err);

	if (rc)
		return rc;
	json_array_foreach(arr, i, f) {
		const char *status = json_string_value(json_object_get(f, "status"));
		const char *state = !strcmp(status, "overdue") ? "overdue"
				    : !strcmp(status, "due") ? "due" : "open";
		int64_t by = -1;
		char what[512];

		irk_time_parse_utc(json_string_value(json_object_get(f, "by")), &by, NULL);
		snprintf(what, sizeof(what), "follow-up to %s: %s (irk msg draft --template %s)",
			 json_string_value(json_object_get(f, "audience")),
			 json_string_value(json_object_get(f, "what")),
			 json_string_value(json_object_get(f, "template")));
		json_array_append_new(items, irk_due_item(inc, drill, "follow-up", state, by, what,
							  json_pack("{s:O, s:O}", "template",
								    json_object_get(f, "template"), "from",
								    json_object_get(f, "from"))));
	}
	json_decref(arr);
	return IRK_OK;
}

const struct irk_due_source irk_due_sources[] = {
	{ irk_due_tasks, 0 },
	{ irk_due_duties, 0 },
	{ irk_due_lead, 0 },
	{ due_followups, 1 },
	{ NULL, 0 },
};
