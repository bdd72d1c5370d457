/*
 * kind.h - entry kinds and the projections they write.
 *
 * Every entry kind has an apply function that turns the entry into rows of
 * the projection tables (incidents, members, tasks, ...).  The same function
 * runs when the entry is appended (schema "main") and when `irk verify`
 * replays the log book into an empty copy (schema "replay"), so the tables
 * are by construction what the log book says, and verify can prove it.
 *
 * Rules for an apply function:
 *  - Write only through SQL that says `{db}.` before each table, with
 *    irk_db_stmt(ctx->db, ctx->schema, ...).
 *  - Depend only on the entry and the projection tables: never on the clock,
 *    the environment or files.
 *  - Refuse (IRK_ESTATE / IRK_EPERM / IRK_EINVAL) what the state does not
 *    allow: the append is then rolled back, and a replay reports a fault.
 *
 * The tables of all modules and the kinds of all modules are listed in
 * lib/kinds.c, the one place that knows every module; lib/book/ reaches them
 * only through the two tables declared here.
 */
#ifndef IRK_KIND_H
#define IRK_KIND_H

#include "irk/db.h"
#include "irk/error.h"
#include "irk/logbook.h"

struct irk_apply_ctx {
	struct irk_db *db;
	const char *schema; /* "main" or "replay" */
	const struct irk_entry *e;
	/*
	 * The member the entry acts for: its signer (e->by), or, when the signer
	 * is a team server, the member named in data.on_behalf_of.  Checks of
	 * "who" (owner, custodian, author, approver) compare this; role checks
	 * (irk_member_require) hold both the signer and the actor to the role.
	 */
	char actor[IRK_KEYID_HEX];
};

enum irk_chain_type { IRK_CHAIN_CASEBOOK = 1, IRK_CHAIN_INCIDENT = 2 };

struct irk_kind {
	const char *name;
	enum irk_chain_type chain;
	enum irk_code (*apply)(const struct irk_apply_ctx *ctx, struct irk_err *err);
};

struct irk_table {
	const char *name;
	const char *ddl; /* CREATE TABLE IF NOT EXISTS {db}.name(...); may hold several statements */
};

extern const struct irk_kind irk_kinds[];    /* ends with a NULL name */
extern const struct irk_table irk_tables[];  /* ends with a NULL name */

const struct irk_kind *irk_kind_find(const char *name);

/*
 * For apply functions: stamp item `num` of the entry's incident, once.
 * `sql` is an UPDATE with ?1 = the incident, ?2 = num, ?3 = the entry's
 * time, written to change only a row not stamped yet.  When no row changes,
 * fails with IRK_ESTATE, "<incident> has no <missing> <num>", and the hint
 * `hint_fmt` (its one %s is the incident).
 */
enum irk_code irk_apply_stamp(const struct irk_apply_ctx *ctx, const char *sql, int64_t num,
			      const char *missing, const char *hint_fmt, struct irk_err *err);

/* Apply `e` to the projections in `schema`. */
enum irk_code irk_kind_apply(struct irk_db *db, const char *schema, const struct irk_entry *e,
			     struct irk_err *err);

#endif
