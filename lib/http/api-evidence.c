/*
 * api-evidence.c - one item of evidence over HTTP: its record and custody
 * (as `irk evidence show`), and its content.  A download re-hashes the
 * object and records the access in the incident's log book, naming the
 * member (irk_evidence_read, as `irk evidence get` does for a copy); it is
 * always an attachment of type application/octet-stream, so a browser never
 * renders evidence, and items over IRK_HTTP_DOWNLOAD_MAX are refused.
 */
#include <string.h>

#include "irk/evidence.h"
#include "irk/http.h"
#include "irk/text.h"

/* {num} as an item number ("E7", "7" or a hash prefix); 0 with the error in `res`. */
static int item_param(struct irk_http_request *req, struct irk_http_response *res, int64_t *num)
{
	struct irk_err err = IRK_ERR_INIT;

	if (irk_evidence_resolve(req->cb, req->params[0], num, &err)) {
		irk_http_fail(res, &err);
		return 0;
	}
	return 1;
}

void irk_api_evidence_show(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_err err = IRK_ERR_INIT;
	int64_t num;
	json_t *o;

	if (!item_param(req, res, &num))
		return;
	if (irk_evidence_show(req->cb, num, &o, &err))
		return irk_http_fail(res, &err);
	irk_http_record_view(req, json_string_value(json_object_get(o, "inc")), "evidence");
	irk_http_ok(res, o);
}

void irk_api_evidence_download(struct irk_http_request *req, struct irk_http_response *res)
{
	const char *why = irk_http_query(req, "why");
	struct irk_buf content = IRK_BUF_INIT;
	struct irk_err err = IRK_ERR_INIT;
	const char *name, *slash;
	char file[160];
	int64_t num;
	json_t *o;

	if (!item_param(req, res, &num))
		return;
	if (irk_evidence_show(req->cb, num, &o, &err) ||
	    irk_evidence_read(req->cb, req->server_id, num, IRK_HTTP_DOWNLOAD_MAX,
			      "download over HTTP", why, &content, &err)) {
		irk_buf_release(&content);
		if (!err.code)
			irk_fail(&err, IRK_EINTERNAL, "reading E%lld failed", (long long)num);
		return irk_http_fail(res, &err);
	}
	name = json_string_value(json_object_get(o, "name"));
	slash = name ? strrchr(name, '/') : NULL;
	snprintf(file, sizeof(file), "E%lld-%s", (long long)num,
		 slash ? slash + 1 : name && *name ? name : "content");
	irk_http_body(res, "application/octet-stream", &content);
	irk_http_attachment(res, file);
	irk_buf_release(&content);
	json_decref(o);
}
