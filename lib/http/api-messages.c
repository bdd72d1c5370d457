/*
 * api-messages.c - incident messages over HTTP: draft, read one with its
 * lint results, lint, approve, publish.  Each calls the library function
 * `irk msg` calls; the library lints, and enforces the two-person rule
 * against the member the server acts for.
 *
 * Publishing through the server hands the approved text back to the member
 * (the channel "stdout" of `irk msg publish`) and records the publication;
 * deliveries by file, webhook or sendmail run from a member's machine, so
 * that a web request cannot make the server write files or reach out.
 */
#include <string.h>

#include "irk/http.h"
#include "irk/message.h"
#include "irk/template.h"
#include "irk/text.h"

/* {errors, warnings, findings: [...]} of a lint result. */
static json_t *lint_json(const struct irk_lint_result *lint)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < lint->n; i++)
		json_array_append_new(arr, irk_lint_finding_json(&lint->f[i]));
	return json_pack("{s:i, s:i, s:o}", "errors", lint->errors, "warnings", lint->warnings,
			 "findings", arr);
}

/* A library refusal, with the lint findings that caused it when there are any. */
static void fail_with_lint(struct irk_http_response *res, const struct irk_err *err,
			   const struct irk_lint_result *lint)
{
	irk_http_fail(res, err);
	if (lint->n)
		json_object_set_new(json_object_get(res->json, "error"), "lint", lint_json(lint));
}

void irk_api_msg_draft(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_comms_config cfg = { 0 };
	struct irk_lint_result lint = { 0 };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_msg_new m = { 0 };
	char inc[IRK_CHAIN_MAX];
	const char *tpl;
	int64_t num;

	if (!irk_http_body_object(req, res) ||
	    irk_http_body_string(req, res, "audience", 1, 64, &m.audience) ||
	    irk_http_body_string(req, res, "text", 1, IRK_TEXT_MAX, &m.text) ||
	    irk_http_body_string(req, res, "template", 0, 64, &tpl) ||
	    !irk_http_incident(req, res, inc))
		return;
	if (!irk_audience_parse(m.audience))
		return irk_http_error(res, 400, IRK_EINVAL, "bad-audience",
				      "unknown audience '%s' (internal, users, public, press, regulator,"
				      " law-enforcement or cert)", m.audience);
	if (tpl) {
		struct irk_buf t = IRK_BUF_INIT;
		enum irk_code rc = irk_template_load(req->cb, tpl, &t, &err);
		irk_buf_release(&t);
		if (rc)
			return irk_http_fail(res, &err);
	}
	m.inc = inc;
	m.template_name = tpl ? tpl : irk_template_for_audience(m.audience);
	if (!irk_comms_config_load(req->cb, &cfg, &err) &&
	    !irk_msg_draft(req->cb, req->server_id, &m, &cfg, &lint, &num, &err)) {
		irk_http_ok(res, json_pack("{s:s, s:I, s:s, s:o}", "inc", inc, "num", (json_int_t)num,
					   "audience", m.audience, "lint", lint_json(&lint)));
		res->status = 201;
	} else {
		fail_with_lint(res, &err, &lint);
	}
	irk_lint_result_release(&lint);
	irk_comms_config_release(&cfg);
}

/* Message {num} and its lint result; 0 with the error in `res`. */
static int msg_lint(struct irk_http_request *req, struct irk_http_response *res, int64_t *num,
		    json_t **msg, json_t **lint)
{
	struct irk_comms_config cfg = { 0 };
	struct irk_lint_result l = { 0 };
	struct irk_err err = IRK_ERR_INIT;
	int ok;

	*msg = *lint = NULL;
	if (!irk_http_number(req, res, 0, "message", num))
		return 0;
	ok = !irk_msg_get(req->cb, *num, msg, &err) && !irk_comms_config_load(req->cb, &cfg, &err) &&
	     !irk_msg_lint(req->cb, *num, &cfg, &l, &err);
	if (ok) {
		*lint = lint_json(&l);
		irk_http_record_view(req, json_string_value(json_object_get(*msg, "inc")), "message");
	} else {
		irk_http_fail(res, &err);
		json_decref(*msg);
		*msg = NULL;
	}
	irk_lint_result_release(&l);
	irk_comms_config_release(&cfg);
	return ok;
}

void irk_api_msg_get(struct irk_http_request *req, struct irk_http_response *res)
{
	json_t *msg, *lint;
	int64_t num;

	if (!msg_lint(req, res, &num, &msg, &lint))
		return;
	json_object_set_new(msg, "lint", lint);
	irk_http_ok(res, msg);
}

void irk_api_msg_lint(struct irk_http_request *req, struct irk_http_response *res)
{
	json_t *msg, *lint;
	int64_t num;

	if (!msg_lint(req, res, &num, &msg, &lint))
		return;
	json_object_set_new(lint, "num", json_integer(num));
	json_object_set(lint, "sha256", json_object_get(msg, "sha256"));
	json_decref(msg);
	irk_http_ok(res, lint);
}

void irk_api_msg_approve(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_comms_config cfg = { 0 };
	struct irk_lint_result lint = { 0 };
	struct irk_err err = IRK_ERR_INIT;
	json_t *m = NULL;
	int64_t num;

	if (!irk_http_number(req, res, 0, "message", &num))
		return;
	if (!irk_comms_config_load(req->cb, &cfg, &err) &&
	    !irk_msg_approve(req->cb, req->server_id, num, &cfg, &lint, &err) &&
	    !irk_msg_get(req->cb, num, &m, &err)) {
		json_object_set_new(m, "lint", lint_json(&lint));
		irk_http_ok(res, m);
	} else {
		fail_with_lint(res, &err, &lint);
	}
	irk_lint_result_release(&lint);
	irk_comms_config_release(&cfg);
}

void irk_api_msg_publish(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_msg_delivery d = { .via = IRK_VIA_STDOUT };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_buf text = IRK_BUF_INIT;
	const char *via = NULL;
	json_t *rec = NULL;
	int64_t num;

	if ((req->body && irk_http_body_string(req, res, "via", 0, 32, &via)) ||
	    !irk_http_number(req, res, 0, "message", &num))
		return;
	if (req->body && via && strcmp(via, "stdout"))
		return irk_http_error(res, 400, IRK_EINVAL, "bad-channel",
				      "the server publishes only by handing the text back (\"stdout\");"
				      " deliver by %s from your machine with 'irk msg publish %lld"
				      " --via %s'", via, (long long)num, via);
	if (irk_msg_publish(req->cb, req->server_id, num, &d, &text, &rec, &err))
		return irk_http_fail(res, &err);
	json_object_set_new(rec, "num", json_integer(num));
	json_object_set_new(rec, "text", json_stringn(text.buf, text.len));
	irk_http_ok(res, rec);
	irk_buf_release(&text);
}
