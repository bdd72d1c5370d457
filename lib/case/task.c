/* task.c - an incident's tasks and their acknowledgements; see irk/task.h. */
#include <stdio.h>
#include <string.h>

#include "irk/crew.h"
#include "irk/incident.h"
#include "irk/member.h"
#include "irk/task.h"
#include "irk/text.h"
#include "irk/timefmt.h"

const char irk_tasks_ddl[] =
	"CREATE TABLE IF NOT EXISTS {db}.tasks("
	"  inc TEXT NOT NULL,"
	"  num INTEGER NOT NULL,"
	"  title TEXT NOT NULL,"
	"  owner TEXT NOT NULL,"
	"  phase TEXT NOT NULL,"
	"  state TEXT NOT NULL," /* open, acked, done, cancelled */
	"  created INTEGER NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  due INTEGER, acked INTEGER, eta INTEGER, finished INTEGER,"
	"  PRIMARY KEY(inc, num));";

static const char *data_str(const struct irk_apply_ctx *ctx, const char *key)
{
	return json_string_value(json_object_get(ctx->e->data, key));
}

/* The task an entry names, with its owner, creator and state. */
struct task_row {
	char owner[IRK_KEYID_HEX], creator[IRK_KEYID_HEX], state[16];
	int64_t num;
};

static enum irk_code find_task(const struct irk_apply_ctx *ctx, struct task_row *t,
			       struct irk_err *err)
{
	json_t *num = json_object_get(ctx->e->data, "task");
	sqlite3_stmt *st;
	int r;

	if (!json_is_integer(num))
		return irk_fail(err, IRK_EINVAL, "a %s entry must name a task number", ctx->e->kind);
	t->num = json_integer_value(num);
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "SELECT owner, created_by, state FROM {db}.tasks WHERE inc=?1 AND num=?2", err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, t->num);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		snprintf(t->owner, sizeof(t->owner), "%s", irk_db_text(st, 0));
		snprintf(t->creator, sizeof(t->creator), "%s", irk_db_text(st, 1));
		snprintf(t->state, sizeof(t->state), "%s", irk_db_text(st, 2));
	}
	sqlite3_reset(st);
	if (r != SQLITE_ROW) {
		irk_fail(err, IRK_ENOTFOUND, "%s has no task %lld", ctx->e->chain, (long long)t->num);
		irk_hint(err, "'irk task list %s' shows its tasks", ctx->e->chain);
		return IRK_ENOTFOUND;
	}
	if (strcmp(t->state, "open") && strcmp(t->state, "acked")) {
		irk_fail(err, IRK_ESTATE, "task %lld of %s is already %s", (long long)t->num,
			 ctx->e->chain, t->state);
		return IRK_ESTATE;
	}
	return IRK_OK;
}

static enum irk_code set_state(const struct irk_apply_ctx *ctx, int64_t num, const char *state,
			       struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(ctx->db, ctx->schema,
				       "UPDATE {db}.tasks SET state=?3, finished=?4 WHERE inc=?1 AND num=?2",
				       err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, num);
	sqlite3_bind_text(st, 3, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, ctx->e->at_ms);
	return irk_db_run(ctx->db, st, err);
}

enum irk_code irk_apply_task_add(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	const char *title = data_str(ctx, "title"), *owner = data_str(ctx, "owner");
	const char *phase = data_str(ctx, "phase"), *due = data_str(ctx, "due");
	json_t *num = json_object_get(ctx->e->data, "task");
	struct irk_member m;
	enum irk_code rc;
	sqlite3_stmt *st;
	int64_t due_ms = 0;

	if ((rc = irk_incident_require(ctx, 1, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "add tasks", err)))
		return rc;
	if (!title || !owner || !phase || !json_is_integer(num) || json_integer_value(num) < 1 ||
	    irk_list_index(irk_phases, phase) < 0 ||
	    (due && irk_time_parse_utc(due, &due_ms, NULL)))
		return irk_fail(err, IRK_EINVAL, "task entry of %s is incomplete", ctx->e->chain);
	if ((rc = irk_member_find(ctx->db, ctx->schema, owner, &m, err)))
		return rc;
	if (m.role < IRK_ROLE_RESPONDER)
		return irk_fail(err, IRK_EPERM, "%s is a viewer and cannot own a task", m.email);
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "INSERT INTO {db}.tasks(inc, num, title, owner, phase, state, created,"
			 " created_by, due) VALUES(?1, ?2, ?3, ?4, ?5, 'open', ?6, ?7, ?8)",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, json_integer_value(num));
	sqlite3_bind_text(st, 3, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, m.keyid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, phase, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, ctx->e->at_ms);
	sqlite3_bind_text(st, 7, ctx->actor, -1, SQLITE_STATIC);
	if (due)
		sqlite3_bind_int64(st, 8, due_ms);
	if (irk_db_run(ctx->db, st, err)) {
		irk_err_clear(err);
		return irk_fail(err, IRK_ESTATE, "%s already has a task %lld", ctx->e->chain,
				(long long)json_integer_value(num));
	}
	return IRK_OK;
}

enum irk_code irk_apply_task_ack(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	json_t *eta = json_object_get(ctx->e->data, "eta_s");
	struct task_row t;
	enum irk_code rc;
	sqlite3_stmt *st;

	if ((rc = irk_incident_require(ctx, 1, err)) || (rc = find_task(ctx, &t, err)))
		return rc;
	if (!json_is_integer(eta) || json_integer_value(eta) <= 0)
		return irk_fail(err, IRK_EINVAL, "an acknowledgement must give an ETA");
	if (strcmp(t.owner, ctx->actor)) {
		struct irk_member m;
		struct irk_err sub = IRK_ERR_INIT;
		irk_fail(err, IRK_ESTATE, "task %lld of %s belongs to %s: only its owner acknowledges it",
			 (long long)t.num, ctx->e->chain,
			 irk_member_find(ctx->db, ctx->schema, t.owner, &m, &sub) ? t.owner : m.email);
		irk_hint(err, "a lead can give it to you with 'irk task add' and cancel this one");
		return IRK_ESTATE;
	}
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "UPDATE {db}.tasks SET state='acked', acked=coalesce(acked, ?3), eta=?3 + ?4"
			 " WHERE inc=?1 AND num=?2",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, t.num);
	sqlite3_bind_int64(st, 3, ctx->e->at_ms);
	sqlite3_bind_int64(st, 4, json_integer_value(eta) * 1000);
	return irk_db_run(ctx->db, st, err);
}

enum irk_code irk_apply_task_assign(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	const char *owner = data_str(ctx, "owner");
	struct task_row t;
	struct irk_member m;
	enum irk_code rc;
	sqlite3_stmt *st;

	if ((rc = irk_incident_require(ctx, 1, err)) || (rc = find_task(ctx, &t, err)))
		return rc;
	if (!owner)
		return irk_fail(err, IRK_EINVAL, "a task.assign entry must name the new owner");
	if (strcmp(t.owner, ctx->actor) && !irk_crew_author_leads(ctx))
		return irk_fail(err, IRK_ESTATE,
				"only the owner of task %lld or a lead may give it away", (long long)t.num);
	if ((rc = irk_member_find(ctx->db, ctx->schema, owner, &m, err)))
		return rc;
	if (m.role < IRK_ROLE_RESPONDER)
		return irk_fail(err, IRK_EPERM, "%s is a viewer and cannot own a task", m.email);
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "UPDATE {db}.tasks SET owner=?3, state='open', acked=NULL, eta=NULL"
			 " WHERE inc=?1 AND num=?2",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, t.num);
	sqlite3_bind_text(st, 3, m.keyid, -1, SQLITE_TRANSIENT);
	return irk_db_run(ctx->db, st, err);
}

enum irk_code irk_apply_task_done(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	struct task_row t;
	enum irk_code rc;

	if ((rc = irk_incident_require(ctx, 1, err)) || (rc = find_task(ctx, &t, err)))
		return rc;
	if (strcmp(t.owner, ctx->actor) && !irk_crew_author_leads(ctx))
		return irk_fail(err, IRK_ESTATE,
				"only the owner of task %lld or a lead may mark it done", (long long)t.num);
	return set_state(ctx, t.num, "done", err);
}

enum irk_code irk_apply_task_cancel(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	struct task_row t;
	enum irk_code rc;

	if ((rc = irk_incident_require(ctx, 1, err)) || (rc = find_task(ctx, &t, err)))
		return rc;
	if (strcmp(t.creator, ctx->actor) && !irk_crew_author_leads(ctx))
		return irk_fail(err, IRK_ESTATE,
				"only whoever added task %lld or a lead may cancel it", (long long)t.num);
	return set_state(ctx, t.num, "cancelled", err);
}

enum irk_code irk_task_append(struct irk_casebook *cb, const struct irk_identity *id,
			      const char *inc, const struct irk_task_new *t, int64_t *num,
			      struct irk_err *err)
{
	struct irk_member m;
	struct irk_buf text = IRK_BUF_INIT;
	char phase[16] = "", due[IRK_TIME_MAX];
	sqlite3_stmt *st;
	enum irk_code rc;
	json_t *data;

	if ((rc = irk_text_check("the task title", t->title ? t->title : "", 512, err)))
		return rc;
	if (strchr(t->title, '\n'))
		return irk_fail(err, IRK_EINVAL, "a task title must be one line");
	if (t->phase && (irk_list_index(irk_phases, t->phase) < 0 || !strcmp(t->phase, "closed")))
		return irk_fail(err, IRK_EINVAL,
				"unknown phase '%s' (use detected, triage, contained, eradicated or recovered)",
				t->phase);
	if ((rc = irk_member_find(cb->db, NULL, t->owner ? t->owner : irk_identity_who(id), &m, err)))
		return rc;
	st = irk_db_stmt(cb->db, NULL,
			 "SELECT i.phase, (SELECT coalesce(max(num), 0) + 1 FROM tasks WHERE inc=i.id)"
			 " FROM incidents i WHERE i.id=?1",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(phase, sizeof(phase), "%s", irk_db_text(st, 0));
		*num = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (!phase[0])
		return irk_fail(err, IRK_ENOTFOUND, "no incident '%s' in this casebook", inc);
	if (!strcmp(phase, "closed")) {
		irk_fail(err, IRK_ESTATE, "%s is closed: no new tasks", inc);
		irk_hint(err, "reopen it first with 'irk reopen %s'", inc);
		return IRK_ESTATE;
	}
	data = json_pack("{s:I, s:s, s:s, s:s}", "task", (json_int_t)*num, "title", t->title,
			 "owner", m.keyid, "phase", t->phase ? t->phase : phase);
	if (t->has_due) {
		irk_time_utc(t->due_ms, 1, due);
		json_object_set_new(data, "due", json_string(due));
	}
	if (t->from)
		json_object_set_new(data, "from", json_string(t->from));
	irk_buf_addf(&text, "task %lld for %s: %s", (long long)*num, m.email, t->title);
	{
		struct irk_append a = { .chain = inc, .kind = "task.add", .text = text.buf, .data = data };
		rc = irk_logbook_append(cb, id, &a, NULL, err);
	}
	json_decref(data);
	irk_buf_release(&text);
	return rc;
}

enum irk_code irk_task_add(struct irk_casebook *cb, const struct irk_identity *id,
			   const char *inc, const struct irk_task_new *t, int64_t *num,
			   struct irk_err *err)
{
	enum irk_code rc = irk_db_begin(cb->db, err);

	if (rc)
		return rc;
	if ((rc = irk_task_append(cb, id, inc, t, num, err))) {
		irk_db_rollback(cb->db);
		return rc;
	}
	return irk_db_commit(cb->db, err);
}

static enum irk_code write_step(struct irk_casebook *cb, const struct irk_identity *id,
				const char *inc, const char *kind, json_t *data, const char *text,
				struct irk_err *err)
{
	struct irk_append a = { .chain = inc, .kind = kind, .text = text, .data = data };
	enum irk_code rc = irk_logbook_write(cb, id, &a, NULL, err);

	json_decref(data);
	return rc;
}

static enum irk_code check_note(const char *what, const char *text, struct irk_err *err)
{
	return text && *text ? irk_text_check(what, text, IRK_TEXT_MAX, err) : IRK_OK;
}

enum irk_code irk_task_ack(struct irk_casebook *cb, const struct irk_identity *id,
			   const char *inc, int64_t num, int64_t eta_s, const char *text,
			   struct irk_err *err)
{
	char def[160], eta[32];
	enum irk_code rc;

	if (eta_s <= 0)
		return irk_fail(err, IRK_EINVAL, "an acknowledgement needs an ETA (e.g. 5m)");
	if ((rc = check_note("the acknowledgement", text, err)))
		return rc;
	irk_duration(eta_s, eta);
	snprintf(def, sizeof(def), "task %lld acknowledged: should take about %s", (long long)num, eta);
	return write_step(cb, id, inc, "task.ack",
			  json_pack("{s:I, s:I}", "task", (json_int_t)num, "eta_s", (json_int_t)eta_s),
			  text && *text ? text : def, err);
}

enum irk_code irk_task_assign(struct irk_casebook *cb, const struct irk_identity *id,
			      const char *inc, int64_t num, const char *owner, const char *text,
			      struct irk_err *err)
{
	struct irk_member m;
	char def[300];
	enum irk_code rc;

	if ((rc = check_note("the note", text, err)) ||
	    (rc = irk_member_find(cb->db, NULL, owner, &m, err)))
		return rc;
	snprintf(def, sizeof(def), "task %lld given to %s", (long long)num, m.email);
	return write_step(cb, id, inc, "task.assign",
			  json_pack("{s:I, s:s}", "task", (json_int_t)num, "owner", m.keyid),
			  text && *text ? text : def, err);
}

enum irk_code irk_task_done(struct irk_casebook *cb, const struct irk_identity *id,
			    const char *inc, int64_t num, const char *text, struct irk_err *err)
{
	char def[64];
	enum irk_code rc;

	if ((rc = check_note("the note", text, err)))
		return rc;
	snprintf(def, sizeof(def), "task %lld done", (long long)num);
	return write_step(cb, id, inc, "task.done", json_pack("{s:I}", "task", (json_int_t)num),
			  text && *text ? text : def, err);
}

enum irk_code irk_task_cancel(struct irk_casebook *cb, const struct irk_identity *id,
			      const char *inc, int64_t num, const char *reason,
			      struct irk_err *err)
{
	char def[64];
	enum irk_code rc;

	if ((rc = check_note("the reason", reason, err)))
		return rc;
	snprintf(def, sizeof(def), "task %lld cancelled", (long long)num);
	return write_step(cb, id, inc, "task.cancel", json_pack("{s:I}", "task", (json_int_t)num),
			  reason && *reason ? reason : def, err);
}

static json_t *opt_time(sqlite3_stmt *st, int col)
{
	char t[IRK_TIME_MAX];

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_null();
	irk_time_utc(sqlite3_column_int64(st, col), 1, t);
	return json_string(t);
}

static enum irk_code task_row(sqlite3_stmt *st, json_t *arr, void *arg, struct irk_err *err)
{
	int64_t now_ms = *(const int64_t *)arg;
	int live = !strcmp(irk_db_text(st, 6), "open") || !strcmp(irk_db_text(st, 6), "acked");
	int overdue = live && sqlite3_column_type(st, 8) != SQLITE_NULL &&
		      sqlite3_column_int64(st, 8) < now_ms;
	json_t *o = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s}", "inc", irk_db_text(st, 0),
			      "num", (json_int_t)sqlite3_column_int64(st, 1), "title",
			      irk_db_text(st, 2), "owner", irk_db_text(st, 3), "owner_email",
			      irk_db_text(st, 4), "phase", irk_db_text(st, 5), "state",
			      irk_db_text(st, 6));

	(void)err;
	json_object_set_new(o, "created", opt_time(st, 7));
	json_object_set_new(o, "due", opt_time(st, 8));
	json_object_set_new(o, "acked", opt_time(st, 9));
	json_object_set_new(o, "eta", opt_time(st, 10));
	json_object_set_new(o, "finished", opt_time(st, 11));
	json_object_set_new(o, "overdue", json_boolean(overdue));
	json_object_set_new(o, "unacknowledged", json_boolean(!strcmp(irk_db_text(st, 6), "open")));
	json_object_set_new(o, "drill", json_boolean(sqlite3_column_int(st, 12)));
	json_array_append_new(arr, o);
	return IRK_OK;
}

enum irk_code irk_task_list(struct irk_casebook *cb, const char *inc, int all, int64_t now_ms,
			    json_t **out, struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(
		cb->db, NULL,
		"SELECT t.inc, t.num, t.title, t.owner, coalesce(m.email, t.owner), t.phase, t.state,"
		" t.created, t.due, t.acked, t.eta, t.finished, i.drill"
		" FROM tasks t JOIN incidents i ON i.id = t.inc LEFT JOIN members m ON m.key = t.owner"
		" WHERE (?1 IS NULL OR t.inc=?1) AND (?2 OR t.state IN ('open', 'acked'))"
		" ORDER BY i.num, t.num",
		err);

	if (!st)
		return IRK_EDB;
	if (inc)
		sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, all);
	return irk_db_rows_json(cb->db, st, task_row, &now_ms, "reading tasks", out, err);
}

/* "14:35 UTC, in 12m" or "14:35 UTC, 5m ago" for a stored time, relative to now. */
static void relative(const char *utc, int64_t now_ms, struct irk_buf *out)
{
	char when[IRK_TIME_MAX], d[32];
	int64_t ms;

	if (!utc || irk_time_parse_utc(utc, &ms, NULL)) {
		irk_buf_adds(out, "?");
		return;
	}
	irk_time_local(ms, irk_local_offset(ms), when);
	irk_duration((ms > now_ms ? ms - now_ms : now_ms - ms) / 1000, d);
	irk_buf_addf(out, "%s, %s%s", when, ms > now_ms ? "in " : "", d);
	if (ms <= now_ms)
		irk_buf_adds(out, " ago");
}

void irk_task_status(json_t *task, int64_t now_ms, struct irk_buf *out)
{
	const char *state = json_string_value(json_object_get(task, "state"));
	json_t *due = json_object_get(task, "due");

	irk_buf_addf(out, "#%lld %-9s %s (%s, %s)", (long long)json_integer_value(json_object_get(task, "num")),
		     state, json_string_value(json_object_get(task, "title")),
		     json_string_value(json_object_get(task, "owner_email")),
		     json_string_value(json_object_get(task, "phase")));
	if (!strcmp(state, "acked")) {
		irk_buf_adds(out, "; ETA ");
		relative(json_string_value(json_object_get(task, "eta")), now_ms, out);
	}
	if (json_is_string(due) && (!strcmp(state, "open") || !strcmp(state, "acked"))) {
		irk_buf_adds(out, "; due ");
		relative(json_string_value(due), now_ms, out);
	}
	if (json_is_true(json_object_get(task, "overdue")))
		irk_buf_adds(out, "  ** OVERDUE **");
	else if (json_is_true(json_object_get(task, "unacknowledged")))
		irk_buf_adds(out, "  (not acknowledged)");
}
