/* api-entries.c - the log book over HTTP: list (all, or after a seq) and append. */
#include <string.h>

#include "irk/http.h"
#include "irk/incident.h"
#include "irk/text.h"
#include "irk/timefmt.h"

void irk_api_entries_list(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_err err = IRK_ERR_INIT;
	char inc[IRK_CHAIN_MAX];
	int64_t after = irk_http_seq(irk_http_query(req, "after"));
	json_t *arr;

	if (after < 0)
		return irk_http_error(res, 400, IRK_EINVAL, "bad-query",
				      "?after must be a sequence number");
	if (!irk_http_incident(req, res, inc))
		return;
	if (irk_incident_entries_after(req->cb, inc, after, &arr, &err))
		return irk_http_fail(res, &err);
	irk_http_record_view(req, inc, "entries");
	irk_http_ok(res, json_pack("{s:s, s:o}", "incident", inc, "entries", arr));
}

void irk_api_entries_append(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_append a = { .kind = "note" };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_entry e;
	char inc[IRK_CHAIN_MAX], rec[IRK_TIME_MAX];
	const char *kind, *text, *with, *at;

	if (!irk_http_body_object(req, res) ||
	    irk_http_body_string(req, res, "text", 1, IRK_TEXT_MAX, &text) ||
	    irk_http_body_string(req, res, "kind", 0, IRK_KIND_MAX - 1, &kind) ||
	    irk_http_body_string(req, res, "with", 0, IRK_NAME_MAX - 1, &with) ||
	    irk_http_body_string(req, res, "at", 0, IRK_TIME_MAX - 1, &at))
		return;
	if (kind)
		a.kind = kind;
	if (irk_list_index(irk_entry_kinds, a.kind) < 0)
		return irk_http_error(res, 400, IRK_EINVAL, "bad-kind",
				      "unknown kind '%s' (use note, action, call, decision or"
				      " observation)", a.kind);
	if (!*text)
		return irk_http_error(res, 400, IRK_EINVAL, "empty-text", "the entry text is empty");
	if (with && (strcmp(a.kind, "call") || irk_text_check_name(with, &err))) {
		if (!err.code)
			irk_fail(&err, IRK_EINVAL, "\"with\" goes with the kind \"call\"");
		return irk_http_fail(res, &err);
	}
	if (at) {
		if (irk_time_parse(at, irk_now_ms(), &a.at_ms, &a.tz, &err))
			return irk_http_fail(res, &err);
		a.has_at = a.has_tz = 1;
	}
	if (!irk_http_incident(req, res, inc))
		return;
	a.chain = inc;
	a.text = text;
	a.data = json_object();
	if (with)
		json_object_set_new(a.data, "with", json_string(with));
	if (irk_logbook_write(req->cb, req->server_id, &a, &e, &err)) {
		json_decref(a.data);
		return irk_http_fail(res, &err);
	}
	json_decref(a.data);
	irk_time_utc(e.rec_ms, 1, rec);
	irk_http_ok(res, json_pack("{s:s, s:I, s:s, s:s, s:s, s:s}", "incident", inc, "seq",
				   (json_int_t)e.seq, "hash", e.hash, "kind", e.kind, "rec", rec,
				   "by", e.by));
	res->status = 201;
	irk_entry_release(&e);
}
