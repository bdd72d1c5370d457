/* drill.c - tabletop exercises: scenarios, injects, the report; see irk/drill.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irk/drill.h"
#include "irk/embedded.h"
#include "irk/incident.h"
#include "irk/member.h"
#include "irk/playbook.h"
#include "irk/span.h"
#include "irk/text.h"
#include "irk/timefmt.h"
#include "irk/yamldoc.h"

const char irk_drills_ddl[] =
	"CREATE TABLE IF NOT EXISTS {db}.drills("
	"  inc TEXT PRIMARY KEY,"
	"  scenario TEXT NOT NULL,"
	"  injects TEXT NOT NULL," /* JSON array of {after_s, text} */
	"  released INTEGER NOT NULL,"
	"  started INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS {db}.drill_injects("
	"  inc TEXT NOT NULL,"
	"  num INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY(inc, num));";

static enum irk_code inject_items(struct irk_yamldoc *y, yaml_node_t *seq, json_t *arr,
				  struct irk_err *err)
{
	static const char *const keys[] = { "after", "text", NULL };

	if (!seq || seq->type != YAML_SEQUENCE_NODE || irk_yaml_count(seq) == 0)
		return irk_yaml_fail(y, seq ? seq : irk_yaml_root(y), err,
				     "'injects' must be a list of at least one {after, text}");
	if (irk_yaml_count(seq) > IRK_DRILL_INJECTS_MAX)
		return irk_yaml_fail(y, seq, err, "more than %d injects", IRK_DRILL_INJECTS_MAX);
	for (size_t i = 0; i < irk_yaml_count(seq); i++) {
		yaml_node_t *m = irk_yaml_item(y, seq, i);
		const char *after, *text;
		int64_t s = 0;
		enum irk_code rc;
		if ((rc = irk_yaml_known_keys(y, m, keys, err)) ||
		    (rc = irk_yaml_string(y, m, "after", 0, 16, &after, err)) ||
		    (rc = irk_yaml_string(y, m, "text", 1, 4096, &text, err)))
			return rc;
		if (after && irk_span_parse(after, &s, NULL))
			return irk_yaml_fail(y, irk_yaml_get(y, m, "after"), err,
					     "after '%s' is not a length of time", after);
		json_array_append_new(arr, json_pack("{s:I, s:s}", "after_s", (json_int_t)s, "text", text));
	}
	return IRK_OK;
}

enum irk_code irk_scenario_parse(const char *text, size_t len, const char *source,
				 const char *name, json_t **out, struct irk_err *err)
{
	static const char *const keys[] = { "name", "title", "category", "severity", "playbook",
					    "briefing", "injects", NULL };
	struct irk_playbook_head h;
	const char *pb, *brief;
	struct irk_yamldoc y;
	json_t *injects = json_array();
	yaml_node_t *root;
	enum irk_code rc;

	if ((rc = irk_yaml_load(text, len, source, &y, err)))
		goto done;
	root = irk_yaml_root(&y);
	if ((rc = irk_yaml_known_keys(&y, root, keys, err)) ||
	    (rc = irk_playbook_head(&y, root, name, &h, err)) ||
	    (rc = irk_yaml_string(&y, root, "playbook", 0, 48, &pb, err)) ||
	    (rc = irk_yaml_string(&y, root, "briefing", 1, 8192, &brief, err)))
		goto done;
	if (strchr(h.title, '\n')) {
		rc = irk_yaml_fail(&y, irk_yaml_get(&y, root, "title"), err, "the title must be one line");
		goto done;
	}
	if ((rc = inject_items(&y, irk_yaml_get(&y, root, "injects"), injects, err)))
		goto done;
	*out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O}", "name", h.name, "title", h.title,
			 "category", h.category, "severity", h.severity, "briefing", brief, "injects",
			 injects);
	json_object_set_new(*out, "playbook", pb ? json_string(pb) : json_null());
done:
	irk_yaml_release(&y);
	json_decref(injects);
	return rc;
}

static enum irk_code scenario_load(const char *name, json_t **out, struct irk_err *err)
{
	struct irk_buf path = IRK_BUF_INIT;
	const struct irk_embedded *e;
	enum irk_code rc;

	for (const char *p = name; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-')
			return irk_fail(err, IRK_EINVAL, "'%s' is not a scenario name", name);
	irk_buf_addf(&path, "playbooks/drills/%s.yml", name);
	e = irk_embedded_find(path.buf);
	irk_buf_release(&path);
	if (!e) {
		irk_fail(err, IRK_ENOTFOUND, "no drill scenario '%s'", name);
		irk_hint(err, "'irk drill list' shows them");
		return IRK_ENOTFOUND;
	}
	rc = irk_scenario_parse((const char *)e->data, e->size, e->path, name, out, err);
	return rc;
}

enum irk_code irk_scenario_list(json_t **out, struct irk_err *err)
{
	static const char prefix[] = "playbooks/drills/";
	json_t *arr = json_array();

	for (const struct irk_embedded *e = irk_embedded_files; e->path; e++) {
		const char *base = e->path + sizeof(prefix) - 1;
		struct irk_err sub = IRK_ERR_INIT;
		char name[64];
		size_t n;
		json_t *s;

		if (strncmp(e->path, prefix, sizeof(prefix) - 1) || strchr(base, '/'))
			continue;
		n = strlen(base);
		if (n <= 4 || n >= sizeof(name) || strcmp(base + n - 4, ".yml"))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(n - 4), base);
		if (scenario_load(name, &s, &sub)) {
			json_array_append_new(arr, json_pack("{s:s, s:s}", "name", name, "error", sub.msg));
			continue;
		}
		json_array_append_new(arr, json_pack("{s:s, s:O, s:O, s:O, s:O, s:I, s:n}", "name", name,
						     "title", json_object_get(s, "title"), "category",
						     json_object_get(s, "category"), "severity",
						     json_object_get(s, "severity"), "playbook",
						     json_object_get(s, "playbook"), "injects",
						     (json_int_t)json_array_size(json_object_get(s, "injects")),
						     "error"));
		json_decref(s);
	}
	(void)err;
	*out = arr;
	return IRK_OK;
}

enum irk_code irk_apply_drill_start(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	const char *scenario = json_string_value(json_object_get(ctx->e->data, "scenario"));
	json_t *injects = json_object_get(ctx->e->data, "injects"), *v;
	enum irk_code rc;
	sqlite3_stmt *st;
	char *text;
	size_t i;
	int r, drill;

	if ((rc = irk_incident_require(ctx, 1, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "run a drill", err)))
		return rc;
	if (!scenario || !json_is_array(injects) || json_array_size(injects) > IRK_DRILL_INJECTS_MAX)
		return irk_fail(err, IRK_EINVAL, "drill.start entry of %s is incomplete", ctx->e->chain);
	json_array_foreach(injects, i, v)
		if (!json_is_string(json_object_get(v, "text")) ||
		    !json_is_integer(json_object_get(v, "after_s")))
			return irk_fail(err, IRK_EINVAL, "drill.start entry of %s has a malformed inject",
					ctx->e->chain);
	st = irk_db_stmt(ctx->db, ctx->schema, "SELECT drill FROM {db}.incidents WHERE id=?1", err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	drill = r == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (!drill)
		return irk_fail(err, IRK_ESTATE, "%s is a real incident, not an exercise", ctx->e->chain);
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "INSERT INTO {db}.drills(inc, scenario, injects, released, started)"
			 " VALUES(?1, ?2, ?3, 0, ?4)",
			 err);
	if (!st)
		return IRK_EDB;
	text = json_dumps(injects, JSON_COMPACT | JSON_PRESERVE_ORDER);
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, scenario, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, ctx->e->at_ms);
	free(text);
	if (irk_db_run(ctx->db, st, err)) {
		irk_err_clear(err);
		return irk_fail(err, IRK_ESTATE, "the exercise %s has already started", ctx->e->chain);
	}
	return IRK_OK;
}

/* The exercise's injects and how many were released; IRK_ESTATE if `inc` is not one. */
static enum irk_code drill_state(struct irk_db *db, const char *schema, const char *inc,
				 json_t **injects, int64_t *released, struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(db, schema,
				       "SELECT injects, released FROM {db}.drills WHERE inc=?1", err);
	int r;

	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		*injects = json_loads(irk_db_text(st, 0), 0, NULL);
		*released = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (r != SQLITE_ROW) {
		irk_fail(err, IRK_ESTATE, "%s is not an exercise started with 'irk drill start'", inc);
		return IRK_ESTATE;
	}
	return *injects ? IRK_OK : irk_fail(err, IRK_EDB, "the injects of %s are damaged", inc);
}

enum irk_code irk_apply_drill_inject(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	json_t *num = json_object_get(ctx->e->data, "inject"), *injects = NULL;
	int64_t released = 0;
	enum irk_code rc;
	sqlite3_stmt *st;

	if ((rc = irk_incident_require(ctx, 1, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "run a drill", err)) ||
	    (rc = drill_state(ctx->db, ctx->schema, ctx->e->chain, &injects, &released, err)))
		return rc;
	if (!json_is_integer(num) || json_integer_value(num) != released + 1 ||
	    (size_t)json_integer_value(num) > json_array_size(injects)) {
		json_decref(injects);
		return irk_fail(err, IRK_ESTATE, "inject %lld of %s is out of order or does not exist",
				(long long)json_integer_value(num), ctx->e->chain);
	}
	json_decref(injects);
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "INSERT INTO {db}.drill_injects(inc, num, at) VALUES(?1, ?2, ?3)", err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, json_integer_value(num));
	sqlite3_bind_int64(st, 3, ctx->e->at_ms);
	if ((rc = irk_db_run(ctx->db, st, err)))
		return rc;
	st = irk_db_stmt(ctx->db, ctx->schema, "UPDATE {db}.drills SET released=?2 WHERE inc=?1", err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, json_integer_value(num));
	return irk_db_run(ctx->db, st, err);
}

enum irk_code irk_drill_start(struct irk_casebook *cb, const struct irk_identity *id,
			      const char *name, char inc[IRK_CHAIN_MAX], json_t **scenario,
			      struct irk_err *err)
{
	struct irk_incident_new n = { .drill = 1, .tlp = "green" };
	struct irk_buf text = IRK_BUF_INIT;
	const char *pb;
	enum irk_code rc;
	json_t *s, *data;

	if ((rc = scenario_load(name, &s, err)))
		return rc;
	n.title = json_string_value(json_object_get(s, "title"));
	n.category = json_string_value(json_object_get(s, "category"));
	n.severity = json_string_value(json_object_get(s, "severity"));
	pb = json_string_value(json_object_get(s, "playbook"));
	rc = pb ? irk_playbook_open(cb, id, pb, &n, inc, err) : irk_incident_open(cb, id, &n, inc, err);
	if (rc) {
		json_decref(s);
		return rc;
	}
	irk_buf_addf(&text, "[DRILL] exercise '%s' starts.\n%s", name,
		     json_string_value(json_object_get(s, "briefing")));
	data = json_pack("{s:s, s:O}", "scenario", name, "injects", json_object_get(s, "injects"));
	{
		struct irk_append a = { .chain = inc, .kind = "drill.start", .text = text.buf, .data = data };
		rc = irk_logbook_write(cb, id, &a, NULL, err);
	}
	json_decref(data);
	irk_buf_release(&text);
	if (rc || !scenario)
		json_decref(s);
	else
		*scenario = s;
	return rc;
}

enum irk_code irk_drill_inject(struct irk_casebook *cb, const struct irk_identity *id,
			       const char *inc, json_t **inject, struct irk_err *err)
{
	json_t *injects = NULL, *next, *data;
	struct irk_buf text = IRK_BUF_INIT;
	int64_t released = 0;
	enum irk_code rc;

	if ((rc = drill_state(cb->db, NULL, inc, &injects, &released, err)))
		return rc;
	if ((size_t)released >= json_array_size(injects)) {
		irk_fail(err, IRK_ESTATE, "every inject of %s has been released (%lld)", inc,
			 (long long)released);
		irk_hint(err, "close the exercise with 'irk close %s --resolution resolved'", inc);
		json_decref(injects);
		return IRK_ESTATE;
	}
	next = json_array_get(injects, (size_t)released);
	irk_buf_addf(&text, "[DRILL] inject %lld of %zu: %s", (long long)released + 1,
		     json_array_size(injects), json_string_value(json_object_get(next, "text")));
	data = json_pack("{s:I}", "inject", (json_int_t)released + 1);
	{
		struct irk_append a = { .chain = inc, .kind = "drill.inject", .text = text.buf, .data = data };
		rc = irk_logbook_write(cb, id, &a, NULL, err);
	}
	if (!rc && inject)
		*inject = json_pack("{s:I, s:I, s:O}", "num", (json_int_t)released + 1, "of",
				    (json_int_t)json_array_size(injects), "text",
				    json_object_get(next, "text"));
	json_decref(data);
	json_decref(injects);
	irk_buf_release(&text);
	return rc;
}

/* Seconds from `from` to the first value of a one-column query on `inc`, or null. */
static json_t *first_after(struct irk_casebook *cb, const char *sql, const char *inc, int64_t from)
{
	sqlite3_stmt *st = irk_db_stmt(cb->db, NULL, sql, NULL);
	json_t *v = json_null();

	if (!st)
		return v;
	sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		json_decref(v);
		v = json_integer((sqlite3_column_int64(st, 0) - from) / 1000);
	}
	sqlite3_reset(st);
	return v;
}

enum irk_code irk_drill_report(struct irk_casebook *cb, const char *inc, json_t **out,
			       struct irk_err *err)
{
	static const char *const stages[] = { "triage", "contained", "eradicated", "recovered",
					      "closed", NULL };
	json_t *o = NULL, *injects = NULL, *list, *st_obj, *v;
	int64_t released = 0, opened = 0;
	sqlite3_stmt *st;
	enum irk_code rc;
	size_t i;

	if ((rc = irk_incident_get(cb, inc, &o, err)) ||
	    (rc = drill_state(cb->db, NULL, inc, &injects, &released, err))) {
		json_decref(o);
		return rc;
	}
	irk_time_parse_utc(json_string_value(json_object_get(json_object_get(o, "times"), "opened")),
			   &opened, NULL);
	st_obj = json_object();
	for (i = 0; stages[i]; i++) {
		json_t *t = json_object_get(json_object_get(o, "times"), stages[i]);
		int64_t ms;
		json_object_set_new(st_obj, stages[i],
				    json_is_string(t) && !irk_time_parse_utc(json_string_value(t), &ms, NULL)
					    ? json_integer((ms - opened) / 1000)
					    : json_null());
	}
	list = json_array();
	st = irk_db_stmt(cb->db, NULL, "SELECT at FROM drill_injects WHERE inc=?1 AND num=?2", err);
	json_array_foreach(injects, i, v) {
		json_t *r = json_pack("{s:I, s:O, s:O}", "num", (json_int_t)i + 1, "after_s",
				      json_object_get(v, "after_s"), "text", json_object_get(v, "text"));
		char at[IRK_TIME_MAX];
		json_object_set_new(r, "released", json_null());
		if (st) {
			sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
			if (sqlite3_step(st) == SQLITE_ROW) {
				irk_time_utc(sqlite3_column_int64(st, 0), 1, at);
				json_object_set_new(r, "released", json_string(at));
			}
			sqlite3_reset(st);
		}
		json_array_append_new(list, r);
	}
	*out = json_pack("{s:s, s:O, s:O, s:o, s:o}", "inc", inc, "title", json_object_get(o, "title"),
			 "opened", json_object_get(json_object_get(o, "times"), "opened"), "stages",
			 st_obj, "injects", list);
	json_object_set_new(*out, "first_task_ack_s",
			    first_after(cb, "SELECT min(acked) FROM tasks WHERE inc=?1", inc, opened));
	json_object_set_new(*out, "first_notification_s",
			    first_after(cb, "SELECT min(at) FROM notifications WHERE inc=?1", inc, opened));
	st = irk_db_stmt(cb->db, NULL,
			 "SELECT count(*), sum(state='done') FROM tasks WHERE inc=?1", err);
	if (st) {
		sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			json_object_set_new(*out, "tasks",
					    json_pack("{s:I, s:I}", "total",
						      (json_int_t)sqlite3_column_int64(st, 0), "done",
						      (json_int_t)sqlite3_column_int64(st, 1)));
		sqlite3_reset(st);
	}
	json_decref(o);
	json_decref(injects);
	return IRK_OK;
}
