/*
 * api-evidence.c - one item of evidence over HTTP: its record and custody
 * (as `irk evidence show`), and its content.  A download re-hashes the
 * object and records the access in the incident's log book, naming the
 * member (irk_evidence_send_*, as `irk evidence get` does for a copy); it is
 * always an attachment of type application/octet-stream, so a browser never
 * renders evidence, and items over IRK_HTTP_DOWNLOAD_MAX are refused.
 * The object is read and re-hashed without the server's lock (it needs no
 * database); the item is looked up before and the access recorded after,
 * under the lock, as every write is.
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
	static const char to[] = "download over HTTP";
	const char *why = irk_http_query(req, "why");
	struct irk_buf content = IRK_BUF_INIT, objdir = IRK_BUF_INIT;
	struct irk_evidence_send send;
	struct irk_err err = IRK_ERR_INIT;
	const char *name, *slash;
	enum irk_code rc;
	char file[160];
	json_t *o = NULL;
	int64_t num;

	if (!item_param(req, res, &num))
		return;
	if ((rc = irk_evidence_show(req->cb, num, &o, &err)) ||
	    (rc = irk_evidence_send_check(req->cb, num, IRK_HTTP_DOWNLOAD_MAX, to, why, &send, &err)))
		goto reply;
	/* Reading and re-hashing up to IRK_HTTP_DOWNLOAD_MAX bytes: others go on meanwhile. */
	irk_evidence_objdir(req->cb, &objdir);
	irk_http_unlock(req);
	rc = irk_evidence_send_read(&send, objdir.buf, &content, &err);
	if (!irk_http_relock(req, res))
		goto release;
	if (rc || (rc = irk_evidence_send_record(req->cb, req->server_id, &send, to, why, &err)))
		goto reply;
	name = json_string_value(json_object_get(o, "name"));
	slash = name ? strrchr(name, '/') : NULL;
	snprintf(file, sizeof(file), "E%lld-%s", (long long)num,
		 slash ? slash + 1 : name && *name ? name : "content");
	irk_http_body(res, "application/octet-stream", &content);
	irk_http_attachment(res, file);
reply:
	if (rc)
		irk_http_fail(res, &err);
release:
	irk_buf_release(&content);
	irk_buf_release(&objdir);
	json_decref(o);
}
