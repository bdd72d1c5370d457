/* assess.c - is it real, how big is it: rating an incident; see irk/assess.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irk/assess.h"
#include "irk/crew.h"
#include "irk/duty.h"
#include "irk/incident.h"
#include "irk/member.h"
#include "irk/span.h"
#include "irk/text.h"
#include "irk/timefmt.h"

const char *const irk_symptoms[] = {
	"system-crash",	      /* crashes nobody can explain */
	"new-accounts",	      /* accounts nobody created, or a dormant one suddenly busy */
	"new-files",	      /* files with odd names nobody put there */
	"accounting-gaps",    /* accounting records that do not add up, shrunk logs */
	"file-changes",	      /* programs whose size or date changed */
	"system-writes",      /* attempts to change system files or privileges */
	"data-tampering",     /* data changed or deleted */
	"denial-of-service",  /* users locked out, services down */
	"poor-performance",   /* unexplained slowness */
	"anomalies",	      /* odd messages, sounds, screens */
	"suspicious-probes",  /* many failed logins, scans from one place */
	"suspicious-browsing", /* someone walking through many accounts' files */
	NULL
};
const char *const irk_damages[] = { "none", "low", "moderate", "high", "severe", NULL };
static const char *const real_answers[] = { "yes", "no", "unknown", NULL };
static const char *const priorities[] = { "P4", "P3", "P2", "P1" }; /* by severity index */

const char irk_assessments_ddl[] =
	"CREATE TABLE IF NOT EXISTS {db}.assessments("
	"  inc TEXT PRIMARY KEY,"
	"  seq INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  by TEXT NOT NULL,"
	"  severity TEXT NOT NULL,"
	"  computed TEXT NOT NULL,"
	"  priority TEXT NOT NULL,"
	"  data TEXT NOT NULL," /* JSON array of the data categories involved */
	"  answers TEXT NOT NULL,"
	"  reasons TEXT NOT NULL);";

static enum irk_code bad(struct irk_err *err, const char *field, const char *why)
{
	irk_fail(err, IRK_EINVAL, "assessment field '%s' %s", field, why);
	return IRK_EINVAL;
}

static enum irk_code check_text(json_t *v, const char *field, size_t max, struct irk_err *err)
{
	if (!v)
		return IRK_OK;
	if (!json_is_string(v) || irk_text_check(field, json_string_value(v), max, NULL))
		return bad(err, field, "must be a non-empty text of valid UTF-8");
	return IRK_OK;
}

static enum irk_code check_bool(json_t *v, const char *field, struct irk_err *err)
{
	return !v || json_is_boolean(v) ? IRK_OK : bad(err, field, "must be true or false");
}

static enum irk_code check_one_of(json_t *v, const char *field, const char *const *list,
				  struct irk_err *err)
{
	struct irk_buf s = IRK_BUF_INIT;

	if (!v || (json_is_string(v) && irk_list_index(list, json_string_value(v)) >= 0))
		return IRK_OK;
	irk_list_join(list, &s);
	irk_fail(err, IRK_EINVAL, "assessment field '%s' must be %s", field, s.buf);
	irk_buf_release(&s);
	return IRK_EINVAL;
}

enum irk_code irk_assess_check(json_t *a, struct irk_err *err)
{
	static const char *const known[] = { "real", "symptoms", "multi_site", "hosts", "sensitive",
					     "data", "entry_point", "press", "damage", "time_to_close",
					     "resources", "override", NULL };
	json_t *v, *sym = json_object_get(a, "symptoms"), *data = json_object_get(a, "data");
	json_t *ov = json_object_get(a, "override"), *hosts = json_object_get(a, "hosts");
	const char *key;
	enum irk_code rc;
	int64_t span;
	size_t i;

	if (!json_is_object(a))
		return irk_fail(err, IRK_EINVAL, "an assessment must be a JSON object");
	json_object_foreach(a, key, v)
		if (irk_list_index(known, key) < 0)
			return bad(err, key, "is not a question irk asks (see irk-assess(1))");
	if (!json_object_get(a, "real"))
		return bad(err, "real", "is missing: is it a real incident (yes, no or unknown)?");
	if ((rc = check_one_of(json_object_get(a, "real"), "real", real_answers, err)) ||
	    (rc = check_one_of(json_object_get(a, "damage"), "damage", irk_damages, err)) ||
	    (rc = check_bool(json_object_get(a, "multi_site"), "multi_site", err)) ||
	    (rc = check_bool(json_object_get(a, "sensitive"), "sensitive", err)) ||
	    (rc = check_bool(json_object_get(a, "press"), "press", err)) ||
	    (rc = check_text(json_object_get(a, "entry_point"), "entry_point", 4096, err)) ||
	    (rc = check_text(json_object_get(a, "resources"), "resources", 4096, err)))
		return rc;
	if (hosts && (!json_is_integer(hosts) || json_integer_value(hosts) < 0 ||
		      json_integer_value(hosts) > 100000000))
		return bad(err, "hosts", "must be a whole number of hosts");
	v = json_object_get(a, "time_to_close");
	if (v && (!json_is_string(v) || irk_span_parse(json_string_value(v), &span, NULL)))
		return bad(err, "time_to_close", "must be a length of time such as 4h or 3d");
	if (sym && (!json_is_array(sym) || json_array_size(sym) > 64))
		return bad(err, "symptoms", "must be a list of at most 64 {kind, evidence}");
	json_array_foreach(sym, i, v) {
		if (!json_is_object(v) || json_object_size(v) > 2 ||
		    (rc = check_one_of(json_object_get(v, "kind"), "symptoms.kind", irk_symptoms, err)) ||
		    !json_object_get(v, "kind") ||
		    (rc = check_text(json_object_get(v, "evidence"), "symptoms.evidence", 4096, err)) ||
		    !json_object_get(v, "evidence"))
			return rc ? rc : bad(err, "symptoms", "entries need a kind and the evidence behind it");
	}
	if (data && (!json_is_array(data) || json_array_size(data) > 16))
		return bad(err, "data", "must be a list of data categories");
	json_array_foreach(data, i, v)
		if ((rc = check_one_of(v, "data", irk_data_categories, err)))
			return rc;
	if (ov) {
		if (!json_is_object(ov) || json_object_size(ov) != 2 ||
		    !json_object_get(ov, "severity") || !json_object_get(ov, "reason"))
			return bad(err, "override", "must be {severity, reason}");
		if ((rc = check_one_of(json_object_get(ov, "severity"), "override.severity",
				       irk_severities, err)) ||
		    (rc = check_text(json_object_get(ov, "reason"), "override.reason", 4096, err)))
			return rc;
	}
	return IRK_OK;
}

enum irk_code irk_assess_parse(const char *text, size_t len, const char *source, json_t **out,
			       struct irk_err *err)
{
	json_error_t je;
	json_t *a;
	enum irk_code rc;

	if (len > IRK_ASSESS_FILE_MAX)
		return irk_fail(err, IRK_EINVAL, "%s: larger than %d bytes", source, IRK_ASSESS_FILE_MAX);
	if (irk_utf8_check(text, len))
		return irk_fail(err, IRK_EINVAL, "%s: not valid UTF-8 text", source);
	a = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!a) {
		irk_fail(err, IRK_EINVAL, "%s: line %d: %s", source, je.line, je.text);
		irk_hint(err, "an assessment file is one JSON object; see irk-assess(1)");
		return IRK_EINVAL;
	}
	if ((rc = irk_assess_check(a, err))) {
		irk_err_prefix(err, "%s", source);
		json_decref(a);
		return rc;
	}
	*out = a;
	return IRK_OK;
}

static int has_any(json_t *list, const char *const *wanted)
{
	json_t *v;
	size_t i;

	json_array_foreach(list, i, v)
		if (json_is_string(v) && irk_list_index(wanted, json_string_value(v)) >= 0)
			return 1;
	return 0;
}

void irk_assess_rate(json_t *a, const char **severity, const char **priority, json_t **reasons)
{
	static const char *const sensitive_data[] = { "personal", "special", "financial",
						      "credentials", "confidential", NULL };
	static const char *const intrusion[] = { "new-accounts", "system-writes", "data-tampering",
						 "file-changes", NULL };
	json_t *r = json_array(), *v, *kinds = json_array();
	json_int_t hosts = json_integer_value(json_object_get(a, "hosts"));
	const char *damage = json_string_value(json_object_get(a, "damage"));
	int score = 0, level, d;
	char line[160];
	size_t i;

	if (!strcmp(json_string_value(json_object_get(a, "real")), "no")) {
		json_array_append_new(r, json_string("judged not real: a false alarm is low severity"));
		*severity = irk_severities[0];
		*priority = priorities[0];
		*reasons = r;
		json_decref(kinds);
		return;
	}
	if (hosts >= 2) {
		int pts = hosts >= 100 ? 3 : hosts >= 10 ? 2 : 1;
		snprintf(line, sizeof(line), "+%d: %lld hosts involved", pts, (long long)hosts);
		json_array_append_new(r, json_string(line));
		score += pts;
	}
	if (json_is_true(json_object_get(a, "multi_site"))) {
		json_array_append_new(r, json_string("+1: more than one site involved"));
		score += 1;
	}
	if (json_is_true(json_object_get(a, "sensitive")) ||
	    has_any(json_object_get(a, "data"), sensitive_data)) {
		json_array_append_new(r, json_string("+2: sensitive information involved"));
		score += 2;
	}
	if (json_is_true(json_object_get(a, "press"))) {
		json_array_append_new(r, json_string("+1: the press is involved"));
		score += 1;
	}
	d = damage ? irk_list_index(irk_damages, damage) - 1 : 0;
	if (d > 0) {
		snprintf(line, sizeof(line), "+%d: potential damage is %s", d, damage);
		json_array_append_new(r, json_string(line));
		score += d;
	}
	json_array_foreach(json_object_get(a, "symptoms"), i, v)
		json_array_append(kinds, json_object_get(v, "kind"));
	if (has_any(kinds, intrusion)) {
		json_array_append_new(r, json_string("+1: symptoms show an intruder changed the system"));
		score += 1;
	}
	json_decref(kinds);
	level = score >= 6 ? 3 : score >= 4 ? 2 : score >= 2 ? 1 : 0;
	snprintf(line, sizeof(line), "score %d: %s (0-1 low, 2-3 medium, 4-5 high, 6+ critical)", score,
		 irk_severities[level]);
	json_array_append_new(r, json_string(line));
	*severity = irk_severities[level];
	*priority = priorities[level];
	*reasons = r;
}

enum irk_code irk_apply_assess(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	json_t *a = json_object_get(ctx->e->data, "answers"), *ov, *reasons, *data;
	const char *computed, *priority, *severity;
	char *answers_text, *reasons_text, *data_text;
	enum irk_code rc;
	sqlite3_stmt *st;

	if ((rc = irk_incident_require(ctx, 1, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "assess an incident", err)) ||
	    (rc = irk_assess_check(a, err)))
		return rc;
	irk_assess_rate(a, &computed, &priority, &reasons);
	severity = computed;
	ov = json_object_get(a, "override");
	if (ov) {
		if (!irk_crew_author_leads(ctx)) {
			json_decref(reasons);
			irk_fail(err, IRK_EPERM, "only the incident's lead (or a casebook lead) may override the rating");
			return IRK_EPERM;
		}
		severity = json_string_value(json_object_get(ov, "severity"));
		priority = priorities[irk_list_index(irk_severities, severity)];
	}
	if (strcmp(json_string_value(json_object_get(ctx->e->data, "severity")) ?: "", severity)) {
		json_decref(reasons);
		return irk_fail(err, IRK_EINVAL, "assess entry's severity does not follow from its answers");
	}
	st = irk_db_stmt(ctx->db, ctx->schema, "UPDATE {db}.incidents SET severity=?2 WHERE id=?1", err);
	if (!st) {
		json_decref(reasons);
		return IRK_EDB;
	}
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, severity, -1, SQLITE_STATIC);
	if ((rc = irk_db_run(ctx->db, st, err))) {
		json_decref(reasons);
		return rc;
	}
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "INSERT OR REPLACE INTO {db}.assessments(inc, seq, at, by, severity, computed,"
			 " priority, data, answers, reasons) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
			 err);
	if (!st) {
		json_decref(reasons);
		return IRK_EDB;
	}
	data = json_object_get(a, "data");
	answers_text = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
	reasons_text = json_dumps(reasons, JSON_COMPACT);
	data_text = data ? json_dumps(data, JSON_COMPACT) : NULL;
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ctx->e->seq);
	sqlite3_bind_int64(st, 3, ctx->e->at_ms);
	sqlite3_bind_text(st, 4, ctx->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, severity, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, computed, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, priority, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, data_text ? data_text : "[]", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 9, answers_text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 10, reasons_text, -1, SQLITE_TRANSIENT);
	free(answers_text);
	free(reasons_text);
	free(data_text);
	json_decref(reasons);
	return irk_db_run(ctx->db, st, err);
}

enum irk_code irk_assess_record(struct irk_casebook *cb, const struct irk_identity *id,
				const char *inc, json_t *answers, json_t **result,
				struct irk_err *err)
{
	const char *computed, *priority, *severity;
	json_t *reasons, *ov, *data;
	struct irk_buf text = IRK_BUF_INIT;
	enum irk_code rc;

	if ((rc = irk_assess_check(answers, err)))
		return rc;
	irk_assess_rate(answers, &computed, &priority, &reasons);
	severity = computed;
	ov = json_object_get(answers, "override");
	if (ov) {
		severity = json_string_value(json_object_get(ov, "severity"));
		priority = priorities[irk_list_index(irk_severities, severity)];
	}
	irk_buf_addf(&text, "assessed: real %s; severity %s (%s)",
		     json_string_value(json_object_get(answers, "real")), severity, priority);
	if (ov)
		irk_buf_addf(&text, ", overriding the computed %s: %s", computed,
			     json_string_value(json_object_get(ov, "reason")));
	data = json_pack("{s:O, s:s, s:s, s:s}", "answers", answers, "severity", severity, "computed",
			 computed, "priority", priority);
	{
		struct irk_append a = { .chain = inc, .kind = "assess", .text = text.buf, .data = data };
		rc = irk_logbook_write(cb, id, &a, NULL, err);
	}
	json_decref(data);
	irk_buf_release(&text);
	if (rc || !result) {
		json_decref(reasons);
		return rc;
	}
	*result = json_pack("{s:s, s:s, s:s, s:o, s:b}", "severity", severity, "computed", computed,
			    "priority", priority, "reasons", reasons, "overridden", ov != NULL);
	return IRK_OK;
}

enum irk_code irk_assess_get(struct irk_casebook *cb, const char *inc, json_t **out,
			     struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(
		cb->db, NULL,
		"SELECT a.answers, a.severity, a.computed, a.priority, a.reasons, a.at,"
		" coalesce(m.email, a.by) FROM assessments a LEFT JOIN members m ON m.key = a.by"
		" WHERE a.inc=?1",
		err);
	char at[IRK_TIME_MAX];
	int r;

	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		irk_time_utc(sqlite3_column_int64(st, 5), 1, at);
		*out = json_pack("{s:o, s:s, s:s, s:s, s:o, s:s, s:s}", "answers",
				 json_loads(irk_db_text(st, 0), 0, NULL), "severity", irk_db_text(st, 1),
				 "computed", irk_db_text(st, 2), "priority", irk_db_text(st, 3),
				 "reasons", json_loads(irk_db_text(st, 4), 0, NULL), "at", at, "by",
				 irk_db_text(st, 6));
	}
	sqlite3_reset(st);
	if (r == SQLITE_ROW)
		return *out ? IRK_OK : irk_fail(err, IRK_EDB, "the assessment of %s is damaged", inc);
	if (r != SQLITE_DONE)
		return irk_db_fail(cb->db, err, "reading the assessment");
	irk_fail(err, IRK_ENOTFOUND, "%s has not been assessed", inc);
	irk_hint(err, "assess it with 'irk assess %s'", inc);
	return IRK_ENOTFOUND;
}
