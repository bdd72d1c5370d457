/*
 * integrity-kinds.c - the log-book kinds of host integrity checks:
 * "baseline.check" and "packages.verify".  Both record the outcome of a check
 * run on a host (counts, flags, the report's SHA-256) in an open incident;
 * the report itself is evidence, stored outside the log book.
 */
#include <string.h>

#include "irk/baseline.h"
#include "irk/incident.h"
#include "irk/kind.h"
#include "irk/member.h"
#include "irk/pkgverify.h"

static int is_hex64(json_t *v)
{
	const char *s = json_string_value(v);

	if (!s || strlen(s) != 64)
		return 0;
	for (int i = 0; i < 64; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return 0;
	return 1;
}

/* The entry must be written by a responder into an open incident and carry
 * the named hashes and non-negative counts. */
static enum irk_code check_entry(const struct irk_apply_ctx *ctx, const char *const *hashes,
				 const char *const *counts, const char *action, struct irk_err *err)
{
	json_t *d = ctx->e->data;
	enum irk_code rc = irk_incident_require(ctx, 1, err);

	if (!rc)
		rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, action, err);
	if (rc)
		return rc;
	for (int i = 0; hashes[i]; i++)
		if (!is_hex64(json_object_get(d, hashes[i])))
			return irk_fail(err, IRK_EINVAL, "a %s entry needs '%s' as a SHA-256 in hex",
					ctx->e->kind, hashes[i]);
	for (int i = 0; counts[i]; i++) {
		json_t *v = json_object_get(d, counts[i]);
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return irk_fail(err, IRK_EINVAL, "a %s entry needs '%s' as a count",
					ctx->e->kind, counts[i]);
	}
	return IRK_OK;
}

enum irk_code irk_apply_baseline_check(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	static const char *const hashes[] = { "baseline", "report_sha256", NULL };
	static const char *const counts[] = { "added", "removed", "changed", "skipped", "flagged", NULL };

	return check_entry(ctx, hashes, counts, "record a baseline check", err);
}

enum irk_code irk_apply_packages_verify(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	static const char *const hashes[] = { "report_sha256", NULL };
	static const char *const counts[] = { "packages", "files", "modified", "missing", "replaced",
					      "conffiles_modified", "no_md5sums", NULL };

	return check_entry(ctx, hashes, counts, "record a package verification", err);
}
