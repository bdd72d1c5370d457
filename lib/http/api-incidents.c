/* api-incidents.c - incidents over HTTP: list, open, show, phase, close, views. */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "irk/incident.h"
#include "irk/text.h"
#include "irk/timefmt.h"

void irk_api_incidents_list(struct irk_http_request *req, struct irk_http_response *res)
{
	const char *all = irk_http_query(req, "all");
	struct irk_err err = IRK_ERR_INIT;
	json_t *arr;

	if (irk_incident_list(req->cb, all && strcmp(all, "0"), &arr, &err))
		return irk_http_fail(res, &err);
	irk_http_record_view(req, "", "incidents");
	irk_http_ok(res, json_pack("{s:o}", "incidents", arr));
}

void irk_api_incident_get(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_err err = IRK_ERR_INIT;
	char inc[IRK_CHAIN_MAX];
	json_t *o;

	if (!irk_http_incident(req, res, inc))
		return;
	if (irk_incident_get(req->cb, inc, &o, &err))
		return irk_http_fail(res, &err);
	irk_http_record_view(req, inc, "incident");
	irk_http_ok(res, o);
}

void irk_api_incidents_open(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_incident_new n = { 0 };
	struct irk_err err = IRK_ERR_INIT;
	char inc[IRK_CHAIN_MAX];
	json_t *o;

	if (!irk_http_body_object(req, res) ||
	    irk_http_body_string(req, res, "title", 1, IRK_NAME_MAX - 1, &n.title) ||
	    irk_http_body_string(req, res, "category", 0, 64, &n.category) ||
	    irk_http_body_string(req, res, "severity", 0, 64, &n.severity) ||
	    irk_http_body_string(req, res, "tlp", 0, 64, &n.tlp) ||
	    irk_http_body_string(req, res, "text", 0, IRK_TEXT_MAX, &n.text))
		return;
	if (json_object_get(req->body, "drill"))
		n.drill = json_is_true(json_object_get(req->body, "drill"));
	if (irk_incident_open(req->cb, req->server_id, &n, inc, &err))
		return irk_http_fail(res, &err);
	if (irk_incident_get(req->cb, inc, &o, &err))
		return irk_http_fail(res, &err);
	irk_http_ok(res, o);
	res->status = 201;
}

void irk_api_incident_phase(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_append when = { 0 };
	struct irk_err err = IRK_ERR_INIT;
	char inc[IRK_CHAIN_MAX];
	const char *phase, *text;
	json_t *o;

	if (!irk_http_incident(req, res, inc) || !irk_http_body_object(req, res) ||
	    irk_http_body_string(req, res, "phase", 1, 64, &phase) ||
	    irk_http_body_string(req, res, "text", 0, IRK_TEXT_MAX, &text))
		return;
	when.text = text;
	if (irk_incident_phase(req->cb, req->server_id, inc, phase, &when, &err))
		return irk_http_fail(res, &err);
	if (irk_incident_get(req->cb, inc, &o, &err))
		return irk_http_fail(res, &err);
	irk_http_ok(res, o);
}

void irk_api_incident_close(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_append when = { 0 };
	struct irk_err err = IRK_ERR_INIT;
	char inc[IRK_CHAIN_MAX];
	const char *resolution, *dup, *text;
	json_t *o;

	if (!irk_http_incident(req, res, inc) || !irk_http_body_object(req, res) ||
	    irk_http_body_string(req, res, "resolution", 1, 64, &resolution) ||
	    irk_http_body_string(req, res, "duplicate_of", 0, 64, &dup) ||
	    irk_http_body_string(req, res, "text", 0, IRK_TEXT_MAX, &text))
		return;
	if (irk_incident_close_when(req->cb, req->server_id, inc, resolution, dup, text, &when,
				    &err))
		return irk_http_fail(res, &err);
	if (irk_incident_get(req->cb, inc, &o, &err))
		return irk_http_fail(res, &err);
	irk_http_ok(res, o);
}

void irk_api_views_list(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_err err = IRK_ERR_INIT;
	char inc[IRK_CHAIN_MAX];
	sqlite3_stmt *st;
	json_t *arr;
	int r;

	if (!irk_http_incident(req, res, inc))
		return;
	irk_http_views_flush(req->srv);
	st = irk_db_stmt(req->cb->db, NULL,
			 "SELECT v.at, v.member, coalesce(m.email, ''), v.what FROM http_views v"
			 " LEFT JOIN members m ON m.key = v.member WHERE v.incident=?1"
			 " ORDER BY v.at DESC LIMIT 1000",
			 &err);
	if (!st)
		return irk_http_fail(res, &err);
	sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	arr = json_array();
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		char at[IRK_TIME_MAX];
		irk_time_utc(sqlite3_column_int64(st, 0), 1, at);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "at", at, "member",
						     irk_db_text(st, 1), "email",
						     irk_db_text(st, 2), "what", irk_db_text(st, 3)));
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		json_decref(arr);
		irk_db_fail(req->cb->db, &err, "reading the view log");
		return irk_http_fail(res, &err);
	}
	irk_http_ok(res, json_pack("{s:s, s:o}", "incident", inc, "views", arr));
}
