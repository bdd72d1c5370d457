/* incident.c - opening, finding and moving incidents; see irk/incident.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irk/incident.h"
#include "irk/member.h"
#include "irk/text.h"
#include "irk/timefmt.h"

const char *const irk_phases[] = { "detected", "triage", "contained", "eradicated",
				   "recovered", "closed", NULL };
const char *const irk_severities[] = { "low", "medium", "high", "critical", NULL };
const char *const irk_categories[] = {
	"account-compromise", "web-compromise", "data-breach", "leaked-credentials", "ransomware",
	"lost-device",	      "ddos",		"phishing",    "abuse",		     "malware",
	"insider",	      "other",		NULL
};
const char *const irk_tlps[] = { "clear", "green", "amber", "amber+strict", "red", NULL };
const char *const irk_resolutions[] = { "resolved", "false-positive", "duplicate", NULL };
const char *const irk_entry_kinds[] = { "note", "action", "call", "decision", "observation", NULL };

/* Stage-time columns, one per phase, plus the stages that are not phases. */
const char irk_incidents_ddl[] =
	"CREATE TABLE IF NOT EXISTS {db}.incidents("
	"  id TEXT PRIMARY KEY,"
	"  num INTEGER NOT NULL UNIQUE,"
	"  title TEXT NOT NULL,"
	"  category TEXT NOT NULL,"
	"  severity TEXT NOT NULL,"
	"  tlp TEXT NOT NULL,"
	"  phase TEXT NOT NULL,"
	"  resolution TEXT,"
	"  duplicate_of TEXT,"
	"  drill INTEGER NOT NULL,"
	"  playbook TEXT,"
	"  opened_by TEXT NOT NULL,"
	"  opened INTEGER NOT NULL,"
	"  occurred INTEGER, detected INTEGER, reported INTEGER, acknowledged INTEGER,"
	"  triage INTEGER, contained INTEGER, eradicated INTEGER, recovered INTEGER,"
	"  closed INTEGER);";

int irk_list_index(const char *const *list, const char *s)
{
	for (int i = 0; list[i]; i++)
		if (!strcmp(list[i], s))
			return i;
	return -1;
}

void irk_list_join(const char *const *list, struct irk_buf *out)
{
	for (int i = 0; list[i]; i++) {
		if (i)
			irk_buf_adds(out, list[i + 1] ? ", " : " or ");
		irk_buf_adds(out, list[i]);
	}
}

static enum irk_code not_in_list(const char *what, const char *value, const char *const *list,
				 struct irk_err *err)
{
	struct irk_buf s = IRK_BUF_INIT;

	irk_list_join(list, &s);
	irk_fail(err, IRK_EINVAL, "unknown %s '%s' (use %s)", what, value, s.buf);
	irk_buf_release(&s);
	return IRK_EINVAL;
}

static const char *data_str(const struct irk_apply_ctx *ctx, const char *key)
{
	return json_string_value(json_object_get(ctx->e->data, key));
}

enum irk_code irk_incident_require(const struct irk_apply_ctx *ctx, int must_be_open,
				   struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(ctx->db, ctx->schema,
				       "SELECT phase FROM {db}.incidents WHERE id=?1", err);
	int r, closed;

	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	closed = r == SQLITE_ROW && !strcmp(irk_db_text(st, 0), "closed");
	sqlite3_reset(st);
	if (r != SQLITE_ROW)
		return irk_fail(err, IRK_ENOTFOUND, "incident %s was never opened", ctx->e->chain);
	if (must_be_open && closed) {
		irk_fail(err, IRK_ESTATE, "%s is closed", ctx->e->chain);
		irk_hint(err, "reopen it first with 'irk reopen %s'", ctx->e->chain);
		return IRK_ESTATE;
	}
	return IRK_OK;
}

static void bind_opt_ms(sqlite3_stmt *st, int col, json_t *v)
{
	int64_t ms;

	if (json_is_string(v) && irk_time_parse_utc(json_string_value(v), &ms, NULL) == IRK_OK)
		sqlite3_bind_int64(st, col, ms);
	else
		sqlite3_bind_null(st, col);
}

enum irk_code irk_apply_open(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	const struct irk_entry *e = ctx->e;
	const char *title = data_str(ctx, "title"), *cat = data_str(ctx, "category");
	const char *sev = data_str(ctx, "severity"), *tlp = data_str(ctx, "tlp");
	json_t *num = json_object_get(e->data, "num");
	enum irk_code rc;
	sqlite3_stmt *st;

	if (e->seq != 1)
		return irk_fail(err, IRK_ETAMPER, "an open entry may only start an incident");
	if ((rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "open an incident", err)))
		return rc;
	if (!title || !cat || !sev || !tlp || !json_is_integer(num) ||
	    irk_list_index(irk_severities, sev) < 0 || irk_list_index(irk_categories, cat) < 0 ||
	    irk_list_index(irk_tlps, tlp) < 0)
		return irk_fail(err, IRK_EINVAL, "open entry of %s is incomplete", e->chain);
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "INSERT INTO {db}.incidents(id, num, title, category, severity, tlp, phase,"
			 " drill, playbook, opened_by, opened, occurred, detected, reported)"
			 " VALUES(?1, ?2, ?3, ?4, ?5, ?6, 'detected', ?7, ?8, ?9, ?10, ?11,"
			 " coalesce(?12, ?10), ?13)",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, json_integer_value(num));
	sqlite3_bind_text(st, 3, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, cat, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, sev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, tlp, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, json_is_true(json_object_get(e->data, "drill")));
	if (data_str(ctx, "playbook"))
		sqlite3_bind_text(st, 8, data_str(ctx, "playbook"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, ctx->actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, e->at_ms);
	bind_opt_ms(st, 11, json_object_get(e->data, "occurred"));
	bind_opt_ms(st, 12, json_object_get(e->data, "detected"));
	bind_opt_ms(st, 13, json_object_get(e->data, "reported"));
	if ((rc = irk_db_run(ctx->db, st, err))) {
		irk_err_clear(err);
		return irk_fail(err, IRK_ESTATE, "incident %s or its number already exists", e->chain);
	}
	return IRK_OK;
}

/* The casebook chain's record that an incident exists; verify cross-checks it. */
enum irk_code irk_apply_incident_ref(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	const char *inc = data_str(ctx, "inc"), *first = data_str(ctx, "first");

	if (!inc || !first || strlen(first) != 64)
		return irk_fail(err, IRK_EINVAL, "incident record is incomplete");
	return irk_member_require(ctx, IRK_ROLE_RESPONDER, "open an incident", err);
}

enum irk_code irk_apply_human(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	enum irk_code rc = irk_incident_require(ctx, 0, err);
	return rc ? rc : irk_member_require(ctx, IRK_ROLE_RESPONDER, "write to the log book", err);
}

enum irk_code irk_apply_amend(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	json_t *target = json_object_get(ctx->e->data, "amends");
	enum irk_code rc = irk_apply_human(ctx, err);

	if (rc)
		return rc;
	if (!json_is_integer(target) || json_integer_value(target) < 1 ||
	    json_integer_value(target) >= ctx->e->seq)
		return irk_fail(err, IRK_EINVAL, "a correction must name an earlier entry");
	return IRK_OK;
}

static enum irk_code set_phase(const struct irk_apply_ctx *ctx, const char *phase,
			       const char *resolution, const char *dup, struct irk_err *err)
{
	/* Stage time: first arrival only.  Column names come from irk_phases, never input. */
	static const char *const sql[] = {
		"UPDATE {db}.incidents SET phase='detected', detected=coalesce(detected, ?2) WHERE id=?1",
		"UPDATE {db}.incidents SET phase='triage', triage=coalesce(triage, ?2) WHERE id=?1",
		"UPDATE {db}.incidents SET phase='contained', contained=coalesce(contained, ?2) WHERE id=?1",
		"UPDATE {db}.incidents SET phase='eradicated', eradicated=coalesce(eradicated, ?2) WHERE id=?1",
		"UPDATE {db}.incidents SET phase='recovered', recovered=coalesce(recovered, ?2) WHERE id=?1",
		("UPDATE {db}.incidents SET phase='closed', closed=?2, resolution=?3, duplicate_of=?4"
		 " WHERE id=?1"),
	};
	int i = irk_list_index(irk_phases, phase);
	sqlite3_stmt *st;

	if (i < 0)
		return irk_fail(err, IRK_EINVAL, "unknown phase '%s'", phase);
	st = irk_db_stmt(ctx->db, ctx->schema, sql[i], err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ctx->e->at_ms);
	if (resolution) {
		sqlite3_bind_text(st, 3, resolution, -1, SQLITE_STATIC);
		if (dup)
			sqlite3_bind_text(st, 4, dup, -1, SQLITE_STATIC);
	}
	return irk_db_run(ctx->db, st, err);
}

enum irk_code irk_apply_phase(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	const char *to = data_str(ctx, "to");
	enum irk_code rc;

	if ((rc = irk_incident_require(ctx, 1, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_LEAD, "change an incident's phase", err)))
		return rc;
	if (!to || irk_list_index(irk_phases, to) < 0 || !strcmp(to, "closed"))
		return irk_fail(err, IRK_EINVAL, "a phase entry must name a phase other than closed");
	return set_phase(ctx, to, NULL, NULL, err);
}

enum irk_code irk_apply_ack(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	enum irk_code rc;
	sqlite3_stmt *st;

	if ((rc = irk_incident_require(ctx, 1, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "acknowledge an incident", err)))
		return rc;
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "UPDATE {db}.incidents SET acknowledged=?2 WHERE id=?1 AND acknowledged IS NULL",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ctx->e->at_ms);
	if ((rc = irk_db_run(ctx->db, st, err)))
		return rc;
	if (sqlite3_changes(irk_db_handle(ctx->db)) != 1) {
		irk_fail(err, IRK_ESTATE, "%s is acknowledged already", ctx->e->chain);
		irk_hint(err, "'irk show %s' gives the time; write a note with 'irk log'", ctx->e->chain);
		return IRK_ESTATE;
	}
	return IRK_OK;
}

enum irk_code irk_apply_close(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	const char *res = data_str(ctx, "resolution");
	enum irk_code rc;

	if ((rc = irk_incident_require(ctx, 1, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_LEAD, "close an incident", err)))
		return rc;
	if (!res || irk_list_index(irk_resolutions, res) < 0)
		return irk_fail(err, IRK_EINVAL, "a close entry must give a resolution");
	return set_phase(ctx, "closed", res, data_str(ctx, "duplicate_of"), err);
}

enum irk_code irk_apply_reopen(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	sqlite3_stmt *st;
	enum irk_code rc;

	if ((rc = irk_incident_require(ctx, 0, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_LEAD, "reopen an incident", err)))
		return rc;
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "UPDATE {db}.incidents SET phase='triage', resolution=NULL, duplicate_of=NULL,"
			 " closed=NULL WHERE id=?1 AND phase='closed'",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	if ((rc = irk_db_run(ctx->db, st, err)))
		return rc;
	if (sqlite3_changes(irk_db_handle(ctx->db)) != 1)
		return irk_fail(err, IRK_ESTATE, "%s is not closed", ctx->e->chain);
	return IRK_OK;
}

enum irk_code irk_incident_open(struct irk_casebook *cb, const struct irk_identity *id,
				const struct irk_incident_new *n, char inc[IRK_CHAIN_MAX],
				struct irk_err *err)
{
	const char *cat = n->category ? n->category : "other";
	const char *sev = n->severity ? n->severity : "medium";
	const char *tlp = n->tlp ? n->tlp : "amber";
	struct irk_buf text = IRK_BUF_INIT;
	struct irk_entry first;
	char when[IRK_TIME_MAX];
	json_t *data = NULL, *ref = NULL;
	sqlite3_stmt *st;
	enum irk_code rc;
	int64_t num;
	int year;

	if ((rc = irk_text_check("the title", n->title ? n->title : "", 256, err)))
		return rc;
	if (strchr(n->title, '\n'))
		return irk_fail(err, IRK_EINVAL, "the title must be one line");
	if (irk_list_index(irk_categories, cat) < 0)
		return not_in_list("category", cat, irk_categories, err);
	if (irk_list_index(irk_severities, sev) < 0)
		return not_in_list("severity", sev, irk_severities, err);
	if (irk_list_index(irk_tlps, tlp) < 0)
		return not_in_list("TLP", tlp, irk_tlps, err);
	if ((rc = irk_db_begin(cb->db, err)))
		return rc;
	st = irk_db_stmt(cb->db, NULL, "SELECT coalesce(max(num), 0) + 1 FROM incidents", err);
	if (!st) {
		rc = IRK_EDB;
		goto fail;
	}
	sqlite3_step(st);
	num = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	irk_time_utc(irk_now_ms(), 0, when);
	year = atoi(when);
	snprintf(inc, IRK_CHAIN_MAX, "INC-%04d-%04lld", year, (long long)num);

	data = n->extra ? json_deep_copy(n->extra) : json_object();
	json_object_set_new(data, "num", json_integer(num));
	json_object_set_new(data, "title", json_string(n->title));
	json_object_set_new(data, "category", json_string(cat));
	json_object_set_new(data, "severity", json_string(sev));
	json_object_set_new(data, "tlp", json_string(tlp));
	json_object_set_new(data, "drill", json_boolean(n->drill));
	if (n->playbook)
		json_object_set_new(data, "playbook", json_string(n->playbook));
	if (n->has_detected) {
		irk_time_utc(n->detected_ms, 1, when);
		json_object_set_new(data, "detected", json_string(when));
	}
	if (n->has_occurred) {
		irk_time_utc(n->occurred_ms, 1, when);
		json_object_set_new(data, "occurred", json_string(when));
	}
	if (n->has_reported) {
		irk_time_utc(n->reported_ms, 1, when);
		json_object_set_new(data, "reported", json_string(when));
	}
	if (n->text)
		irk_buf_adds(&text, n->text);
	else
		irk_buf_addf(&text, "%sopened: %s", n->drill ? "[DRILL] " : "", n->title);
	{
		struct irk_append a = { .chain = inc, .kind = "open", .text = text.buf, .data = data };
		if ((rc = irk_logbook_append(cb, id, &a, &first, err)))
			goto fail;
	}
	ref = json_pack("{s:s, s:s}", "inc", inc, "first", first.hash);
	irk_entry_release(&first);
	{
		struct irk_append a = { .chain = "", .kind = "incident", .text = n->title, .data = ref };
		if ((rc = irk_logbook_append(cb, id, &a, NULL, err)))
			goto fail;
	}
	rc = irk_db_commit(cb->db, err);
	goto done;
fail:
	irk_db_rollback(cb->db);
done:
	json_decref(data);
	json_decref(ref);
	irk_buf_release(&text);
	return rc;
}

enum irk_code irk_incident_resolve(struct irk_casebook *cb, const char *arg,
				   char inc[IRK_CHAIN_MAX], struct irk_err *err)
{
	const char *p = arg;
	sqlite3_stmt *st;
	int r, all_digits = *p != '\0';

	for (; *p; p++)
		if (!isdigit((unsigned char)*p))
			all_digits = 0;
	if (all_digits && strlen(arg) > 9)
		all_digits = 0;
	st = irk_db_stmt(cb->db, NULL,
			 "SELECT id FROM incidents WHERE (?2 AND num=?3) OR upper(id)=upper(?1)", err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, all_digits);
	sqlite3_bind_int64(st, 3, all_digits ? atoll(arg) : -1);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		snprintf(inc, IRK_CHAIN_MAX, "%s", irk_db_text(st, 0));
	sqlite3_reset(st);
	if (r == SQLITE_ROW)
		return IRK_OK;
	if (r != SQLITE_DONE)
		return irk_db_fail(cb->db, err, "finding the incident");
	irk_fail(err, IRK_ENOTFOUND, "no incident '%s' in this casebook", arg);
	irk_hint(err, "'irk list --all' shows every incident");
	return IRK_ENOTFOUND;
}

static void put_time(json_t *o, const char *key, sqlite3_stmt *st, int col)
{
	char t[IRK_TIME_MAX];

	if (sqlite3_column_type(st, col) == SQLITE_NULL) {
		json_object_set_new(o, key, json_null());
		return;
	}
	irk_time_utc(sqlite3_column_int64(st, col), 1, t);
	json_object_set_new(o, key, json_string(t));
}

#define INCIDENT_SELECT \
	"SELECT i.id, i.title, i.category, i.severity, i.tlp, i.phase, i.resolution," \
	" i.duplicate_of, i.drill, i.playbook, coalesce(m.email, i.opened_by)," \
	" i.opened, i.occurred, i.detected, i.reported, i.acknowledged, i.triage," \
	" i.contained, i.eradicated, i.recovered, i.closed," \
	" (SELECT count(*) FROM entries e WHERE e.chain = i.id)" \
	" FROM incidents i LEFT JOIN members m ON m.key = i.opened_by"

static json_t *row_incident(sqlite3_stmt *st)
{
	static const char *const times[] = { "opened",	     "occurred", "detected", "reported",
					     "acknowledged", "triage",	 "contained", "eradicated",
					     "recovered",    "closed" };
	json_t *o = json_object(), *t = json_object();

	json_object_set_new(o, "id", json_string(irk_db_text(st, 0)));
	json_object_set_new(o, "title", json_string(irk_db_text(st, 1)));
	json_object_set_new(o, "category", json_string(irk_db_text(st, 2)));
	json_object_set_new(o, "severity", json_string(irk_db_text(st, 3)));
	json_object_set_new(o, "tlp", json_string(irk_db_text(st, 4)));
	json_object_set_new(o, "phase", json_string(irk_db_text(st, 5)));
	json_object_set_new(o, "resolution", sqlite3_column_type(st, 6) == SQLITE_NULL
						     ? json_null()
						     : json_string(irk_db_text(st, 6)));
	json_object_set_new(o, "duplicate_of", sqlite3_column_type(st, 7) == SQLITE_NULL
						       ? json_null()
						       : json_string(irk_db_text(st, 7)));
	json_object_set_new(o, "drill", json_boolean(sqlite3_column_int(st, 8)));
	json_object_set_new(o, "playbook", sqlite3_column_type(st, 9) == SQLITE_NULL
						   ? json_null()
						   : json_string(irk_db_text(st, 9)));
	json_object_set_new(o, "opened_by", json_string(irk_db_text(st, 10)));
	for (int i = 0; i < 10; i++)
		put_time(t, times[i], st, 11 + i);
	json_object_set_new(o, "times", t);
	json_object_set_new(o, "entries", json_integer(sqlite3_column_int64(st, 21)));
	return o;
}

enum irk_code irk_incident_get(struct irk_casebook *cb, const char *inc, json_t **out,
			       struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(cb->db, NULL, INCIDENT_SELECT " WHERE i.id=?1", err);
	int r;

	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		*out = row_incident(st);
	sqlite3_reset(st);
	if (r == SQLITE_ROW)
		return IRK_OK;
	if (r != SQLITE_DONE)
		return irk_db_fail(cb->db, err, "reading the incident");
	return irk_fail(err, IRK_ENOTFOUND, "no incident '%s' in this casebook", inc);
}

static enum irk_code incident_row(sqlite3_stmt *st, json_t *arr, void *arg, struct irk_err *err)
{
	(void)arg;
	(void)err;
	json_array_append_new(arr, row_incident(st));
	return IRK_OK;
}

enum irk_code irk_incident_list(struct irk_casebook *cb, int all, json_t **out,
				struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(
		cb->db, NULL, INCIDENT_SELECT " WHERE ?1 OR i.phase != 'closed' ORDER BY i.num DESC",
		err);

	if (!st)
		return IRK_EDB;
	sqlite3_bind_int(st, 1, all);
	return irk_db_rows_json(cb->db, st, incident_row, NULL, "listing incidents", out, err);
}

struct collect {
	struct irk_casebook *cb;
	json_t *arr;
};

static enum irk_code collect_entry(const struct irk_entry *e, void *arg, struct irk_err *err)
{
	struct collect *c = arg;
	struct irk_member m;
	struct irk_err sub = IRK_ERR_INIT;
	const char *actor;
	char rec[IRK_TIME_MAX], at[IRK_TIME_MAX], tz[8];
	json_t *o;

	(void)err;
	irk_time_utc(e->rec_ms, 1, rec);
	irk_time_utc(e->at_ms, 1, at);
	irk_tz_format(e->tz, tz);
	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:O}", "seq", (json_int_t)e->seq,
		      "hash", e->hash, "rec", rec, "at", at, "tz", tz, "by", e->by, "kind", e->kind,
		      "text", e->text, "data", e->data);
	/* Through a team server, the author is the member it signed for. */
	actor = json_string_value(json_object_get(json_object_get(e->data, "on_behalf_of"), "key"));
	json_object_set_new(o, "actor", json_string(actor ? actor : e->by));
	if (irk_member_find(c->cb->db, NULL, actor ? actor : e->by, &m, &sub) == IRK_OK)
		json_object_set_new(o, "author", json_string(m.email));
	if (actor && irk_member_find(c->cb->db, NULL, e->by, &m, &sub) == IRK_OK)
		json_object_set_new(o, "via", json_string(m.email));
	json_array_append_new(c->arr, o);
	return IRK_OK;
}

enum irk_code irk_incident_entries(struct irk_casebook *cb, const char *inc, json_t **out,
				   struct irk_err *err)
{
	return irk_incident_entries_after(cb, inc, 0, out, err);
}

enum irk_code irk_incident_entries_after(struct irk_casebook *cb, const char *inc, int64_t after,
					 json_t **out, struct irk_err *err)
{
	struct collect c = { cb, json_array() };
	enum irk_code rc = irk_logbook_each(cb, inc, after, collect_entry, &c, err);

	if (rc) {
		json_decref(c.arr);
		return rc;
	}
	*out = c.arr;
	return IRK_OK;
}

static enum irk_code write_state(struct irk_casebook *cb, const struct irk_identity *id,
				 const char *inc, const char *kind, const char *text, json_t *data,
				 const struct irk_append *when, struct irk_err *err)
{
	struct irk_append a = { .chain = inc, .kind = kind, .text = text, .data = data };
	enum irk_code rc;

	if (when) {
		/* Extra data from the caller never overrides ours. */
		if (when->data)
			json_object_update_missing(data, when->data);
		a.has_at = when->has_at;
		a.at_ms = when->at_ms;
		a.has_tz = when->has_tz;
		a.tz = when->tz;
	}
	rc = irk_logbook_write(cb, id, &a, NULL, err);
	json_decref(data);
	return rc;
}

enum irk_code irk_incident_phase(struct irk_casebook *cb, const struct irk_identity *id,
				 const char *inc, const char *phase, const struct irk_append *when,
				 struct irk_err *err)
{
	char text[128];

	if (irk_list_index(irk_phases, phase) < 0)
		return not_in_list("phase", phase, irk_phases, err);
	if (!strcmp(phase, "closed")) {
		irk_fail(err, IRK_EUSAGE, "an incident is closed with 'irk close', which records a resolution");
		irk_hint(err, "irk close %s --resolution resolved", inc);
		return IRK_EUSAGE;
	}
	snprintf(text, sizeof(text), "phase: %s", phase);
	return write_state(cb, id, inc, "phase", when && when->text && *when->text ? when->text : text,
			   json_pack("{s:s}", "to", phase), when, err);
}

enum irk_code irk_incident_ack(struct irk_casebook *cb, const struct irk_identity *id,
			       const char *inc, const struct irk_append *when, struct irk_err *err)
{
	return write_state(cb, id, inc, "ack",
			   when && when->text && *when->text ? when->text : "acknowledged",
			   json_object(), when, err);
}

enum irk_code irk_incident_close(struct irk_casebook *cb, const struct irk_identity *id,
				 const char *inc, const char *resolution, const char *duplicate_of,
				 const char *text, struct irk_err *err)
{
	return irk_incident_close_when(cb, id, inc, resolution, duplicate_of, text, NULL, err);
}

enum irk_code irk_incident_close_when(struct irk_casebook *cb, const struct irk_identity *id,
				      const char *inc, const char *resolution,
				      const char *duplicate_of, const char *text,
				      const struct irk_append *when, struct irk_err *err)
{
	char dup[IRK_CHAIN_MAX], def[160];
	json_t *data;
	enum irk_code rc;

	if (!resolution || irk_list_index(irk_resolutions, resolution) < 0)
		return not_in_list("resolution", resolution ? resolution : "", irk_resolutions, err);
	data = json_pack("{s:s}", "resolution", resolution);
	if (!strcmp(resolution, "duplicate")) {
		if (!duplicate_of) {
			json_decref(data);
			return irk_fail(err, IRK_EUSAGE, "a duplicate needs --duplicate-of INC");
		}
		if ((rc = irk_incident_resolve(cb, duplicate_of, dup, err))) {
			json_decref(data);
			return rc;
		}
		json_object_set_new(data, "duplicate_of", json_string(dup));
	}
	snprintf(def, sizeof(def), "closed: %s", resolution);
	return write_state(cb, id, inc, "close", text && *text ? text : def, data, when, err);
}

enum irk_code irk_incident_reopen(struct irk_casebook *cb, const struct irk_identity *id,
				  const char *inc, const char *text, struct irk_err *err)
{
	return write_state(cb, id, inc, "reopen", text && *text ? text : "reopened", json_object(),
			   NULL, err);
}

enum irk_code irk_incident_amend(struct irk_casebook *cb, const struct irk_identity *id,
				 const char *inc, int64_t seq, const char *text,
				 struct irk_entry *out, struct irk_err *err)
{
	struct irk_entry target;
	struct irk_append a = { .chain = inc, .kind = "amend", .text = text };
	enum irk_code rc;

	if ((rc = irk_logbook_get(cb, inc, seq, &target, err)))
		return rc;
	irk_entry_release(&target);
	a.data = json_pack("{s:I}", "amends", (json_int_t)seq);
	rc = irk_logbook_write(cb, id, &a, out, err);
	json_decref(a.data);
	return rc;
}
