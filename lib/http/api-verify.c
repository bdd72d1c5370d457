/*
 * api-verify.c - GET /api/v1/verify: the same check as `irk verify`, over
 * HTTP.  It reads the whole casebook, so it runs without the server's lock
 * on a connection of its own: irk_verify()'s snapshot sees one moment of
 * the casebook while other requests go on writing.  Verifies wait for each
 * other (srv->verify): each checks signatures on every CPU, and a member
 * asking for many at once must not multiply that.
 */
#include "internal.h"
#include "irk/http.h"
#include "irk/verify.h"

void irk_api_verify(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_verify_result vr = { 0 };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *own = NULL;
	enum irk_code rc;
	json_t *o;

	irk_http_unlock(req);
	pthread_mutex_lock(&req->srv->verify);
	rc = irk_casebook_open(irk_http_casebook_dir(req), &own, &err);
	if (!rc)
		rc = irk_verify(own, 1, &vr, &err);
	irk_casebook_close(own);
	pthread_mutex_unlock(&req->srv->verify);
	if (!irk_http_relock(req, res))
		return;
	o = json_pack("{s:b, s:I, s:I, s:I, s:I, s:I}", "ok", rc == IRK_OK, "entries",
		      (json_int_t)vr.entries, "chains", (json_int_t)vr.chains, "checkpoints",
		      (json_int_t)vr.checkpoints, "unreceipted", (json_int_t)vr.unreceipted,
		      "tables", (json_int_t)vr.tables);
	if (rc == IRK_ETAMPER) {
		/* A finding, not a failure of the request: 200 with the fault named. */
		json_object_set_new(o, "fault", json_pack("{s:s, s:s, s:I}", "message", err.msg,
							  "chain", vr.first_fault_chain, "seq",
							  (json_int_t)vr.first_fault_seq));
	} else if (rc) {
		json_decref(o);
		return irk_http_fail(res, &err);
	}
	irk_http_ok(res, o);
}
