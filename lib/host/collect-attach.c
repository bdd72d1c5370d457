/*
 * collect-attach.c - recording a live collection in an incident's log book
 * (entry kind "collection").  The entry holds the SHA-256 of the signed
 * MANIFEST, which names the hash of every file collected, so the whole
 * collection is bound to the log book by this one hash.
 */
#include <string.h>

#include "irk/collect.h"
#include "irk/incident.h"
#include "irk/logbook.h"
#include "irk/member.h"
#include "irk/timefmt.h"

enum irk_code irk_collect_attach(struct irk_casebook *cb, const struct irk_identity *id,
				 const char *inc, const struct irk_collect_result *res,
				 json_t *extra, struct irk_err *err)
{
	char started[IRK_TIME_MAX], finished[IRK_TIME_MAX];
	struct irk_append a = { .chain = inc, .kind = "collection" };
	struct irk_buf text = IRK_BUF_INIT;
	json_t *counts = json_object();
	enum irk_code rc;

	for (int i = 0; i < IRK_CC_N; i++)
		json_object_set_new(counts, irk_collect_count_names[i],
				    json_integer((json_int_t)res->counts[i]));
	irk_time_utc(res->started_ms, 1, started);
	irk_time_utc(res->finished_ms, 1, finished);
	a.data = json_pack("{s:s, s:o, s:s, s:s, s:o, s:o, s:I, s:o}", "manifest_sha256",
			   res->manifest_sha256, "host", irk_json_bytes(res->host, strlen(res->host)),
			   "started", started, "finished", finished, "output",
			   irk_json_bytes(res->out, strlen(res->out)), "signed_by",
			   res->signed_by_key ? json_string(res->keyid) : json_null(), "bytes", (json_int_t)res->bytes,
			   "counts", counts);
	if (res->root[0])
		json_object_set_new(a.data, "tree", irk_json_bytes(res->root, strlen(res->root)));
	if (extra)
		json_object_update(a.data, extra);
	if (res->root[0])
		irk_buf_addf(&text, "collection of %s from the tree at %s: ", res->host, res->root);
	else
		irk_buf_addf(&text, "live collection of %s: ", res->host);
	irk_buf_addf(&text, "%llu processes, %llu sockets, %llu files copied; manifest %.16s",
		     (unsigned long long)res->counts[IRK_CC_PROCESSES],
		     (unsigned long long)res->counts[IRK_CC_SOCKETS],
		     (unsigned long long)res->counts[IRK_CC_COPIED], res->manifest_sha256);
	a.text = text.buf;
	a.has_at = 1;
	a.at_ms = res->started_ms;
	rc = irk_logbook_write(cb, id, &a, NULL, err);
	json_decref(a.data);
	irk_buf_release(&text);
	return rc;
}

enum irk_code irk_apply_collection(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	json_t *sha = json_object_get(ctx->e->data, "manifest_sha256");
	uint8_t bin[IRK_SHA256_LEN];
	enum irk_code rc;

	if ((rc = irk_incident_require(ctx, 1, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "attach a collection", err)))
		return rc;
	if (!json_is_string(sha) || strlen(json_string_value(sha)) != 2 * IRK_SHA256_LEN ||
	    irk_unhex(json_string_value(sha), bin, sizeof(bin)) != 0 ||
	    !json_is_string(json_object_get(ctx->e->data, "host")) ||
	    !json_is_object(json_object_get(ctx->e->data, "counts")))
		return irk_fail(err, IRK_EINVAL,
				"a collection entry needs the manifest's SHA-256, the host and the counts");
	return IRK_OK;
}
