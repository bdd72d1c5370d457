/* duty.c - notification duties and their deadline clocks; see irk/duty.h. */
#include <stdio.h>
#include <string.h>

#include "irk/contact.h"
#include "irk/duty.h"
#include "irk/incident.h"
#include "irk/member.h"
#include "irk/span.h"
#include "irk/text.h"
#include "irk/timefmt.h"

const char *const irk_duty_clocks[] = { "opened", "occurred", "detected", "reported",
					"acknowledged", "triage", "contained", NULL };
const char *const irk_data_categories[] = { "personal", "special", "financial", "credentials",
					    "confidential", "none", NULL };

static const char *const breach_like[] = { "data-breach", "ransomware", "web-compromise", NULL };
static const char *const abuse_like[] = { "abuse", NULL };

/* The casebook's standing rules; docs/HANDLING.md explains each. */
const struct irk_duty_rule irk_duty_rules[] = {
	{ "personal-data-regulator", NULL, NULL, NULL, "personal", "regulator", 72 * 3600, "detected",
	  "personal data involved: the supervisory authority within 72 hours of awareness" },
	{ "special-data-regulator", NULL, NULL, NULL, "special", "regulator", 72 * 3600, "detected",
	  "special categories of personal data involved: the supervisory authority within 72 hours" },
	{ "critical-management", "critical", NULL, NULL, NULL, "management", 3600, "detected",
	  "critical incident: management within the hour" },
	{ "high-management", "high", "high", NULL, NULL, "management", 4 * 3600, "detected",
	  "high-severity incident: management within 4 hours" },
	{ "breach-legal", "high", NULL, breach_like, NULL, "legal", 24 * 3600, "detected",
	  "possible breach or extortion: legal counsel within a day" },
	{ "abuse-reply", NULL, NULL, abuse_like, NULL, "isp-abuse", 24 * 3600, "detected",
	  "a host was reported for abuse: answer the abuse desk within a day" },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL },
};

const char irk_duties_ddl[] =
	"CREATE TABLE IF NOT EXISTS {db}.duties("
	"  inc TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  role TEXT NOT NULL,"
	"  within INTEGER NOT NULL," /* seconds */
	"  clock TEXT NOT NULL,"
	"  why TEXT NOT NULL,"
	"  source TEXT NOT NULL,"
	"  PRIMARY KEY(inc, seq));";

enum irk_code irk_apply_duty(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	json_t *d = ctx->e->data, *within = json_object_get(d, "within_s");
	const char *role = json_string_value(json_object_get(d, "role"));
	const char *clock = json_string_value(json_object_get(d, "clock"));
	const char *source = json_string_value(json_object_get(d, "source"));
	enum irk_code rc;
	sqlite3_stmt *st;

	if ((rc = irk_incident_require(ctx, 1, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "add notification duties", err)))
		return rc;
	if (!role || irk_list_index(irk_contact_roles, role) < 0 || !clock ||
	    irk_list_index(irk_duty_clocks, clock) < 0 || !json_is_integer(within) ||
	    json_integer_value(within) <= 0 || json_integer_value(within) > IRK_SPAN_MAX || !source)
		return irk_fail(err, IRK_EINVAL, "duty entry of %s is incomplete", ctx->e->chain);
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "INSERT INTO {db}.duties(inc, seq, role, within, clock, why, source)"
			 " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ctx->e->seq);
	sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, json_integer_value(within));
	sqlite3_bind_text(st, 5, clock, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, ctx->e->text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, source, -1, SQLITE_STATIC);
	return irk_db_run(ctx->db, st, err);
}

enum irk_code irk_duty_append(struct irk_casebook *cb, const struct irk_identity *id,
			      const char *inc, const char *role, int64_t within_s,
			      const char *clock, const char *why, const char *source,
			      struct irk_err *err)
{
	struct irk_append a = { .chain = inc, .kind = "duty", .text = why };
	enum irk_code rc;

	if (irk_list_index(irk_contact_roles, role) < 0)
		return irk_fail(err, IRK_EINVAL, "unknown contact role '%s' in a duty", role);
	if (irk_list_index(irk_duty_clocks, clock) < 0)
		return irk_fail(err, IRK_EINVAL, "unknown clock '%s' in a duty", clock);
	if ((rc = irk_text_check("the duty's reason", why, 1024, err)))
		return rc;
	a.data = json_pack("{s:s, s:I, s:s, s:s}", "role", role, "within_s", (json_int_t)within_s,
			   "clock", clock, "source", source);
	rc = irk_logbook_append(cb, id, &a, NULL, err);
	json_decref(a.data);
	return rc;
}

/* Does the incident's latest assessment say data of category `cat` is involved? */
static int data_involved(struct irk_casebook *cb, const char *inc, const char *cat)
{
	sqlite3_stmt *st = irk_db_stmt(cb->db, NULL,
				       "SELECT 1 FROM assessments a, json_each(a.data) j"
				       " WHERE a.inc=?1 AND j.value=?2",
				       NULL);
	int found;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cat, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

static int rule_matches(struct irk_casebook *cb, const char *inc, const struct irk_duty_rule *r,
			const char *sev, const char *cat)
{
	int s = irk_list_index(irk_severities, sev);

	if (r->sev_min && s < irk_list_index(irk_severities, r->sev_min))
		return 0;
	if (r->sev_max && s > irk_list_index(irk_severities, r->sev_max))
		return 0;
	if (r->categories && irk_list_index(r->categories, cat) < 0)
		return 0;
	return !r->data || data_involved(cb, inc, r->data);
}

/* Add a duty, or keep only the earlier deadline when the role is already due. */
static void add_duty(json_t *arr, json_t *times, const char *inc, const char *role,
		     int64_t within_s, const char *clock, const char *why, const char *source)
{
	json_t *start = json_object_get(times, clock), *d, *old;
	int64_t start_ms = 0;
	char deadline[IRK_TIME_MAX];
	size_t i;

	d = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "inc", inc, "role", role, "why", why,
		      "source", source, "clock", clock, "within_s", (json_int_t)within_s);
	if (json_is_string(start) && !irk_time_parse_utc(json_string_value(start), &start_ms, NULL)) {
		irk_time_utc(start_ms + within_s * 1000, 1, deadline);
		json_object_set(d, "clock_started", start);
		json_object_set_new(d, "deadline", json_string(deadline));
	} else {
		json_object_set_new(d, "clock_started", json_null());
		json_object_set_new(d, "deadline", json_null());
	}
	json_array_foreach(arr, i, old) {
		const char *od = json_string_value(json_object_get(old, "deadline"));
		const char *nd = json_string_value(json_object_get(d, "deadline"));
		if (strcmp(json_string_value(json_object_get(old, "role")), role))
			continue;
		if (nd && (!od || strcmp(nd, od) < 0))
			json_array_set_new(arr, i, d);
		else
			json_decref(d);
		return;
	}
	json_array_append_new(arr, d);
}

/* Judge each duty against the first notification to its role. */
static enum irk_code judge(struct irk_casebook *cb, const char *inc, json_t *arr, int64_t now_ms,
			   struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(cb->db, NULL,
				       "SELECT num, contact, at FROM notifications WHERE inc=?1 AND role=?2"
				       " ORDER BY at, num LIMIT 1",
				       err);
	json_t *d;
	size_t i;

	if (!st)
		return IRK_EDB;
	json_array_foreach(arr, i, d) {
		const char *dl = json_string_value(json_object_get(d, "deadline"));
		int64_t dl_ms = 0, at = 0;
		const char *status;
		char when[IRK_TIME_MAX];

		if (dl)
			irk_time_parse_utc(dl, &dl_ms, NULL);
		sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, json_string_value(json_object_get(d, "role")), -1,
				  SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_ROW) {
			at = sqlite3_column_int64(st, 2);
			irk_time_utc(at, 1, when);
			json_object_set_new(d, "met_by",
					    json_pack("{s:I, s:s, s:s}", "notification",
						      (json_int_t)sqlite3_column_int64(st, 0), "contact",
						      irk_db_text(st, 1), "at", when));
			status = dl && at > dl_ms ? "late" : "met";
		} else {
			json_object_set_new(d, "met_by", json_null());
			status = !dl ? "waiting" : now_ms > dl_ms ? "overdue" : "open";
		}
		sqlite3_reset(st);
		json_object_set_new(d, "status", json_string(status));
	}
	return IRK_OK;
}

enum irk_code irk_duty_list(struct irk_casebook *cb, const char *inc, int64_t now_ms,
			    json_t **out, struct irk_err *err)
{
	json_t *o, *times, *arr;
	const char *sev, *cat;
	sqlite3_stmt *st;
	enum irk_code rc;
	int r;

	if ((rc = irk_incident_get(cb, inc, &o, err)))
		return rc;
	times = json_object_get(o, "times");
	sev = json_string_value(json_object_get(o, "severity"));
	cat = json_string_value(json_object_get(o, "category"));
	arr = json_array();
	for (const struct irk_duty_rule *rule = irk_duty_rules; rule->id; rule++)
		if (rule_matches(cb, inc, rule, sev, cat))
			add_duty(arr, times, inc, rule->notify, rule->within_s, rule->clock, rule->why,
				 rule->id);
	st = irk_db_stmt(cb->db, NULL,
			 "SELECT role, within, clock, why, source FROM duties WHERE inc=?1 ORDER BY seq",
			 err);
	if (!st) {
		rc = IRK_EDB;
		goto done;
	}
	sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		add_duty(arr, times, inc, irk_db_text(st, 0), sqlite3_column_int64(st, 1),
			 irk_db_text(st, 2), irk_db_text(st, 3), irk_db_text(st, 4));
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		rc = irk_db_fail(cb->db, err, "reading duties");
		goto done;
	}
	rc = judge(cb, inc, arr, now_ms, err);
done:
	json_decref(o);
	if (rc)
		json_decref(arr);
	else
		*out = arr;
	return rc;
}
