/*
 * api-handling.c - what is being handled, read over HTTP: an incident's
 * tasks, evidence (metadata only), messages, and what is due across the
 * casebook.  Each calls the library function the matching command prints.
 */
#include <string.h>

#include "irk/due.h"
#include "irk/evidence.h"
#include "irk/http.h"
#include "irk/incident.h"
#include "irk/message.h"
#include "irk/task.h"
#include "irk/timefmt.h"

typedef enum irk_code (*list_fn)(struct irk_casebook *cb, const char *inc, json_t **out,
				 struct irk_err *err);

/* Resolve {id}, call `fn`, answer {"incident":..,key:[...]} and record the view. */
static void incident_list(struct irk_http_request *req, struct irk_http_response *res,
			  const char *key, list_fn fn)
{
	struct irk_err err = IRK_ERR_INIT;
	char inc[IRK_CHAIN_MAX];
	json_t *arr;

	if (!irk_http_incident(req, res, inc))
		return;
	if (fn(req->cb, inc, &arr, &err))
		return irk_http_fail(res, &err);
	irk_http_record_view(req, inc, key);
	irk_http_ok(res, json_pack("{s:s, s:o}", "incident", inc, key, arr));
}

static enum irk_code tasks_of(struct irk_casebook *cb, const char *inc, json_t **out,
			      struct irk_err *err)
{
	return irk_task_list(cb, inc, 1, irk_now_ms(), out, err);
}

void irk_api_tasks_list(struct irk_http_request *req, struct irk_http_response *res)
{
	incident_list(req, res, "tasks", tasks_of);
}

void irk_api_evidence_list(struct irk_http_request *req, struct irk_http_response *res)
{
	incident_list(req, res, "evidence", irk_evidence_list);
}

void irk_api_messages_list(struct irk_http_request *req, struct irk_http_response *res)
{
	incident_list(req, res, "messages", irk_msg_list);
}

void irk_api_due(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_due_query q = { .now_ms = irk_now_ms(), .soon_s = 3600 };
	struct irk_err err = IRK_ERR_INIT;
	json_t *arr;
	int overdue = 0;

	if (irk_due_list(req->cb, &q, &arr, &overdue, &err))
		return irk_http_fail(res, &err);
	irk_http_record_view(req, "", "due");
	irk_http_ok(res, json_pack("{s:o, s:i}", "due", arr, "overdue", overdue));
}
