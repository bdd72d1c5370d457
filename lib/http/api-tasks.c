/*
 * api-tasks.c - an incident's tasks over HTTP: add, acknowledge with an
 * ETA, give to someone else, done, cancel.  Each calls the library function
 * `irk task` calls, with the server's key acting for the member; the
 * library decides who may (only the owner acknowledges, the owner or a lead
 * marks done, ...), comparing the member acted for.
 */
#include <string.h>

#include "irk/http.h"
#include "irk/span.h"
#include "irk/task.h"
#include "irk/text.h"
#include "irk/timefmt.h"

/* Answer with task `num` of `inc` as `irk task list --json` prints it. */
static void task_answer(struct irk_http_request *req, struct irk_http_response *res,
			const char *inc, int64_t num, int status)
{
	struct irk_err err = IRK_ERR_INIT;
	json_t *arr, *t;
	size_t i;

	if (irk_task_list(req->cb, inc, 1, irk_now_ms(), &arr, &err))
		return irk_http_fail(res, &err);
	json_array_foreach(arr, i, t) {
		if (json_integer_value(json_object_get(t, "num")) == num) {
			irk_http_ok(res, json_incref(t));
			res->status = status;
			break;
		}
	}
	json_decref(arr);
	if (!res->json)
		irk_http_error(res, 404, IRK_ENOTFOUND, "not-found", "%s has no task %lld", inc,
			       (long long)num);
}

void irk_api_task_add(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_task_new t = { 0 };
	struct irk_err err = IRK_ERR_INIT;
	char inc[IRK_CHAIN_MAX];
	const char *due;
	int64_t num;

	if (!irk_http_body_object(req, res) ||
	    irk_http_body_string(req, res, "title", 1, IRK_NAME_MAX - 1, &t.title) ||
	    irk_http_body_string(req, res, "owner", 0, IRK_NAME_MAX - 1, &t.owner) ||
	    irk_http_body_string(req, res, "phase", 0, 64, &t.phase) ||
	    irk_http_body_string(req, res, "due", 0, IRK_TIME_MAX - 1, &due) ||
	    !irk_http_incident(req, res, inc))
		return;
	if (due) {
		if (irk_moment_parse(due, irk_now_ms(), &t.due_ms, &err)) {
			irk_err_prefix(&err, "due");
			return irk_http_fail(res, &err);
		}
		t.has_due = 1;
	}
	if (irk_task_add(req->cb, req->server_id, inc, &t, &num, &err))
		return irk_http_fail(res, &err);
	task_answer(req, res, inc, num, 201);
}

/* The incident, the task number and the optional "text" of a task step. */
static int task_step(struct irk_http_request *req, struct irk_http_response *res,
		     char inc[IRK_CHAIN_MAX], int64_t *num, const char **text)
{
	*text = NULL;
	if (req->body && irk_http_body_string(req, res, "text", 0, IRK_TEXT_MAX, text))
		return 0;
	return irk_http_incident(req, res, inc) && irk_http_number(req, res, 1, "task", num);
}

void irk_api_task_ack(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_err err = IRK_ERR_INIT;
	char inc[IRK_CHAIN_MAX];
	const char *eta, *text;
	int64_t num, eta_s;

	if (!irk_http_body_object(req, res) ||
	    irk_http_body_string(req, res, "eta", 1, 32, &eta) ||
	    !task_step(req, res, inc, &num, &text))
		return;
	if (irk_span_parse(eta, &eta_s, &err)) {
		irk_err_prefix(&err, "eta");
		return irk_http_fail(res, &err);
	}
	if (irk_task_ack(req->cb, req->server_id, inc, num, eta_s, text, &err))
		return irk_http_fail(res, &err);
	task_answer(req, res, inc, num, 200);
}

void irk_api_task_assign(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_err err = IRK_ERR_INIT;
	char inc[IRK_CHAIN_MAX];
	const char *owner, *text;
	int64_t num;

	if (!irk_http_body_object(req, res) ||
	    irk_http_body_string(req, res, "owner", 1, IRK_NAME_MAX - 1, &owner) ||
	    !task_step(req, res, inc, &num, &text))
		return;
	if (irk_task_assign(req->cb, req->server_id, inc, num, owner, text, &err))
		return irk_http_fail(res, &err);
	task_answer(req, res, inc, num, 200);
}

typedef enum irk_code (*step_fn)(struct irk_casebook *cb, const struct irk_identity *id,
				 const char *inc, int64_t num, const char *text, struct irk_err *err);

/* A step that takes only an optional text: done, cancel. */
static void text_step(struct irk_http_request *req, struct irk_http_response *res, step_fn fn)
{
	struct irk_err err = IRK_ERR_INIT;
	char inc[IRK_CHAIN_MAX];
	const char *text;
	int64_t num;

	if (!task_step(req, res, inc, &num, &text))
		return;
	if (fn(req->cb, req->server_id, inc, num, text, &err))
		return irk_http_fail(res, &err);
	task_answer(req, res, inc, num, 200);
}

void irk_api_task_done(struct irk_http_request *req, struct irk_http_response *res)
{
	text_step(req, res, irk_task_done);
}

void irk_api_task_cancel(struct irk_http_request *req, struct irk_http_response *res)
{
	text_step(req, res, irk_task_cancel);
}
