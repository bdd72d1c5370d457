/* crew.c - the roles of an incident's crew; see irk/crew.h. */
#include <stdio.h>
#include <string.h>

#include "irk/crew.h"
#include "irk/incident.h"
#include "irk/member.h"
#include "irk/text.h"
#include "irk/timefmt.h"

const char *const irk_crew_roles[] = { "lead", "comms", "scribe", "tech", NULL };

const char irk_crew_ddl[] =
	"CREATE TABLE IF NOT EXISTS {db}.crew("
	"  inc TEXT NOT NULL,"
	"  role TEXT NOT NULL,"
	"  member TEXT NOT NULL,"
	"  since INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  PRIMARY KEY(inc, role));";

enum irk_code irk_crew_holder(struct irk_db *db, const char *schema, const char *inc,
			      const char *role, char key[IRK_KEYID_HEX], struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(db, schema,
				       "SELECT member FROM {db}.crew WHERE inc=?1 AND role=?2", err);
	int r;

	key[0] = '\0';
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, role, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		snprintf(key, IRK_KEYID_HEX, "%s", irk_db_text(st, 0));
	sqlite3_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return irk_db_fail(db, err, "reading the incident's roles");
	return IRK_OK;
}

int irk_crew_author_leads(const struct irk_apply_ctx *ctx)
{
	struct irk_err sub = IRK_ERR_INIT;
	char lead[IRK_KEYID_HEX];

	if (irk_crew_holder(ctx->db, ctx->schema, ctx->e->chain, "lead", lead, &sub) == IRK_OK &&
	    !strcmp(lead, ctx->actor))
		return 1;
	return irk_member_require(ctx, IRK_ROLE_LEAD, "lead", &sub) == IRK_OK;
}

enum irk_code irk_apply_role(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	const char *role = json_string_value(json_object_get(ctx->e->data, "role"));
	const char *who = json_string_value(json_object_get(ctx->e->data, "member"));
	char lead[IRK_KEYID_HEX];
	struct irk_member m;
	enum irk_code rc;
	sqlite3_stmt *st;

	if (!role || !who || irk_list_index(irk_crew_roles, role) < 0)
		return irk_fail(err, IRK_EINVAL, "a role entry must name a role and a member");
	if ((rc = irk_incident_require(ctx, 1, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "take part in an incident", err)) ||
	    (rc = irk_crew_holder(ctx->db, ctx->schema, ctx->e->chain, "lead", lead, err)))
		return rc;
	/* Once there is a lead, roles are the lead's to give (or a casebook lead's). */
	if (lead[0] && strcmp(lead, ctx->actor) &&
	    (rc = irk_member_require(ctx, IRK_ROLE_LEAD, "hand out roles in an incident led by someone else",
				     err)))
		return rc;
	if ((rc = irk_member_find(ctx->db, ctx->schema, who, &m, err)))
		return rc;
	if (m.role < IRK_ROLE_RESPONDER)
		return irk_fail(err, IRK_EPERM, "%s is a viewer and cannot hold a role", m.email);
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "INSERT INTO {db}.crew(inc, role, member, since, seq) VALUES(?1, ?2, ?3, ?4, ?5)"
			 " ON CONFLICT(inc, role) DO UPDATE SET member=excluded.member,"
			 " since=excluded.since, seq=excluded.seq",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, role, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, m.keyid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, ctx->e->at_ms);
	sqlite3_bind_int64(st, 5, ctx->e->seq);
	return irk_db_run(ctx->db, st, err);
}

enum irk_code irk_crew_append(struct irk_casebook *cb, const struct irk_identity *id,
			      const char *inc, const char *role, const char *who,
			      const char *text, struct irk_err *err)
{
	struct irk_buf s = IRK_BUF_INIT, def = IRK_BUF_INIT;
	char prev[IRK_KEYID_HEX];
	struct irk_member m;
	enum irk_code rc;
	json_t *data;

	if (irk_list_index(irk_crew_roles, role) < 0) {
		irk_list_join(irk_crew_roles, &s);
		irk_fail(err, IRK_EINVAL, "unknown incident role '%s' (use %s)", role, s.buf);
		irk_buf_release(&s);
		return IRK_EINVAL;
	}
	if ((rc = irk_member_find(cb->db, NULL, who, &m, err)) ||
	    (rc = irk_crew_holder(cb->db, NULL, inc, role, prev, err)))
		return rc;
	if (!strcmp(prev, m.keyid))
		return irk_fail(err, IRK_ESTATE, "%s is already %s of %s", m.email, role, inc);
	if (prev[0])
		irk_buf_addf(&def, "handover: %s of %s passes to %s", role, inc, m.email);
	else
		irk_buf_addf(&def, "%s of %s: %s", role, inc, m.email);
	if (text && *text && (rc = irk_text_check("the handover note", text, IRK_TEXT_MAX, err))) {
		irk_buf_release(&def);
		return rc;
	}
	data = json_pack("{s:s, s:s}", "role", role, "member", m.keyid);
	if (prev[0])
		json_object_set_new(data, "from", json_string(prev));
	{
		struct irk_append a = { .chain = inc, .kind = "role",
					.text = text && *text ? text : def.buf, .data = data };
		rc = irk_logbook_append(cb, id, &a, NULL, err);
	}
	json_decref(data);
	irk_buf_release(&def);
	return rc;
}

enum irk_code irk_crew_assign(struct irk_casebook *cb, const struct irk_identity *id,
			      const char *inc, const char *role, const char *who,
			      const char *text, struct irk_err *err)
{
	enum irk_code rc = irk_db_begin(cb->db, err);

	if (rc)
		return rc;
	if ((rc = irk_crew_append(cb, id, inc, role, who, text, err))) {
		irk_db_rollback(cb->db);
		return rc;
	}
	return irk_db_commit(cb->db, err);
}

static enum irk_code crew_row(sqlite3_stmt *st, json_t *arr, void *arg, struct irk_err *err)
{
	(void)arg;
	(void)err;
	json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:o}", "role", irk_db_text(st, 0),
					     "key", irk_db_text(st, 1), "email", irk_db_text(st, 2),
					     "name", irk_db_text(st, 3), "since",
					     irk_db_time_json(st, 4)));
	return IRK_OK;
}

enum irk_code irk_crew_list(struct irk_casebook *cb, const char *inc, json_t **out,
			    struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(
		cb->db, NULL,
		"SELECT c.role, c.member, coalesce(m.email, ''), coalesce(m.name, ''), c.since"
		" FROM crew c LEFT JOIN members m ON m.key = c.member WHERE c.inc=?1"
		" ORDER BY CASE c.role WHEN 'lead' THEN 0 WHEN 'comms' THEN 1 WHEN 'scribe' THEN 2"
		" ELSE 3 END",
		err);

	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	return irk_db_rows_json(cb->db, st, crew_row, NULL, "reading the incident's roles", out, err);
}
