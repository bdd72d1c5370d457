/* kind.c - dispatching entries to their apply functions; see irk/kind.h. */
#include <string.h>

#include "irk/kind.h"
#include "irk/member.h"

const struct irk_kind *irk_kind_find(const char *name)
{
	for (const struct irk_kind *k = irk_kinds; k->name; k++)
		if (!strcmp(k->name, name))
			return k;
	return NULL;
}

enum irk_code irk_kind_apply(struct irk_db *db, const char *schema, const struct irk_entry *e,
			     struct irk_err *err)
{
	const struct irk_kind *k = irk_kind_find(e->kind);
	struct irk_apply_ctx ctx = { db, schema, e, "" };
	enum irk_code rc;

	if (!k)
		return irk_fail(err, IRK_ETAMPER, "unknown entry kind '%s'", e->kind);
	if ((k->chain == IRK_CHAIN_CASEBOOK) != (e->chain[0] == '\0'))
		return irk_fail(err, IRK_ETAMPER, "entry kind '%s' does not belong in this chain",
				e->kind);
	if ((rc = irk_member_actor(&ctx, err)))
		return rc;
	return k->apply ? k->apply(&ctx, err) : IRK_OK;
}

enum irk_code irk_apply_stamp(const struct irk_apply_ctx *ctx, const char *sql, int64_t num,
			      const char *missing, const char *hint_fmt, struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(ctx->db, ctx->schema, sql, err);
	enum irk_code rc;

	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, num);
	sqlite3_bind_int64(st, 3, ctx->e->at_ms);
	if ((rc = irk_db_run(ctx->db, st, err)))
		return rc;
	if (sqlite3_changes(irk_db_handle(ctx->db)) != 1) {
		irk_fail(err, IRK_ESTATE, "%s has no %s %lld", ctx->e->chain, missing, (long long)num);
		irk_hint(err, hint_fmt, ctx->e->chain);
		return IRK_ESTATE;
	}
	return IRK_OK;
}
