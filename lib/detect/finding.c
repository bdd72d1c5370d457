/* finding.c - findings as log-book entries, deduplicated; see irk/finding.h. */
#include <stdlib.h>
#include <string.h>

#include "irk/finding.h"
#include "irk/incident.h"
#include "irk/logbook.h"
#include "irk/member.h"
#include "irk/text.h"
#include "irk/timefmt.h"

const char irk_findings_ddl[] =
	"CREATE TABLE IF NOT EXISTS {db}.findings("
	"  inc TEXT NOT NULL,"
	"  key TEXT NOT NULL,"
	"  rule TEXT NOT NULL,"
	"  level TEXT NOT NULL,"
	"  first INTEGER NOT NULL,"
	"  last INTEGER NOT NULL,"
	"  count INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  PRIMARY KEY(inc, key));";

void irk_finding_key(json_t *f, char key[IRK_SHA256_HEX])
{
	json_t *k = json_pack("{s:O?, s:O?, s:O?, s:O?, s:O?, s:O?}", "rule",
			      json_object_get(f, "rule"), "rule_id", json_object_get(f, "rule_id"),
			      "entities", json_object_get(f, "entities"), "group",
			      json_object_get(f, "group"), "first", json_object_get(f, "first"),
			      "last", json_object_get(f, "last"));
	char *s = json_dumps(k, JSON_COMPACT | JSON_SORT_KEYS);
	uint8_t h[IRK_SHA256_LEN];

	irk_sha256(s, strlen(s), h);
	irk_hex(h, IRK_SHA256_LEN, key);
	free(s);
	json_decref(k);
}

enum irk_code irk_apply_finding(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	json_t *d = ctx->e->data;
	const char *key = json_string_value(json_object_get(d, "key"));
	const char *rule = json_string_value(json_object_get(d, "rule"));
	const char *level = json_string_value(json_object_get(d, "level"));
	const char *first = json_string_value(json_object_get(d, "first"));
	const char *last = json_string_value(json_object_get(d, "last"));
	json_t *count = json_object_get(d, "count");
	int64_t a, b;
	sqlite3_stmt *st;
	enum irk_code rc;

	if ((rc = irk_incident_require(ctx, 1, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "record a finding", err)))
		return rc;
	if (!key || strlen(key) != 64 || !rule || !level || !first || !last ||
	    !json_is_integer(count) || irk_time_parse_utc(first, &a, NULL) ||
	    irk_time_parse_utc(last, &b, NULL))
		return irk_fail(err, IRK_EINVAL, "finding entry of %s is incomplete", ctx->e->chain);
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "INSERT INTO {db}.findings(inc, key, rule, level, first, last, count, seq)"
			 " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rule, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, level, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, a);
	sqlite3_bind_int64(st, 6, b);
	sqlite3_bind_int64(st, 7, json_integer_value(count));
	sqlite3_bind_int64(st, 8, ctx->e->seq);
	if (irk_db_run(ctx->db, st, err)) {
		irk_err_clear(err);
		return irk_fail(err, IRK_ESTATE, "%s already records this finding", ctx->e->chain);
	}
	return IRK_OK;
}

static json_t *observables(json_t *entities)
{
	static const char *const map[][2] = { { "src_ip", "ip" }, { "user", "user" },
					      { "target_user", "user" }, { "host", "host" },
					      { NULL, NULL } };
	json_t *out = json_array();

	for (int i = 0; map[i][0]; i++) {
		json_t *arr = json_object_get(entities, map[i][0]), *v;
		size_t k;
		json_array_foreach(arr, k, v)
			json_array_append_new(out, json_pack("{s:s, s:O}", "type", map[i][1], "value", v));
	}
	return out;
}

enum irk_code irk_finding_record(struct irk_casebook *cb, const struct irk_identity *id,
				 const char *inc, json_t *finding, int *added,
				 struct irk_err *err)
{
	char key[IRK_SHA256_HEX];
	struct irk_append a = { .chain = inc, .kind = "finding" };
	struct irk_buf text = IRK_BUF_INIT;
	sqlite3_stmt *st;
	json_t *data, *ents;
	enum irk_code rc;
	int r;

	*added = 0;
	irk_finding_key(finding, key);
	st = irk_db_stmt(cb->db, NULL, "SELECT 1 FROM findings WHERE inc=?1 AND key=?2", err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r == SQLITE_ROW)
		return IRK_OK;
	data = json_deep_copy(finding);
	json_object_set_new(data, "key", json_string(key));
	ents = json_object_get(finding, "entities");
	json_object_set_new(data, "observables", observables(ents));
	irk_buf_addf(&text, "finding: %s (%s, %lld event%s, %s to %s)",
		     json_string_value(json_object_get(finding, "rule")),
		     json_string_value(json_object_get(finding, "level")),
		     (long long)json_integer_value(json_object_get(finding, "count")),
		     json_integer_value(json_object_get(finding, "count")) == 1 ? "" : "s",
		     json_string_value(json_object_get(finding, "first")),
		     json_string_value(json_object_get(finding, "last")));
	{
		const char *k;
		json_t *arr;
		json_object_foreach(ents, k, arr) {
			size_t i;
			json_t *v;
			json_array_foreach(arr, i, v)
				irk_buf_addf(&text, " %s=%s", k, json_string_value(v));
		}
	}
	if (text.len > 4000)
		irk_buf_setlen(&text, 4000);
	/* log content may hold bytes the log book refuses: stop before the first */
	for (size_t bad; (bad = irk_utf8_check(text.buf, text.len));)
		irk_buf_setlen(&text, bad - 1);
	a.text = text.buf;
	a.data = data;
	rc = irk_logbook_append(cb, id, &a, NULL, err);
	if (!rc)
		*added = 1;
	json_decref(data);
	irk_buf_release(&text);
	return rc;
}

enum irk_code irk_finding_recent(struct irk_casebook *cb, int limit, json_t **out,
				 struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(cb->db, NULL,
				       "SELECT f.inc, f.seq, f.rule, f.level, f.first, f.last, f.count, i.title"
				       " FROM findings f JOIN incidents i ON i.id = f.inc"
				       " WHERE i.phase != 'closed' ORDER BY f.last DESC, f.inc, f.seq LIMIT ?1",
				       err);
	enum irk_code rc = IRK_OK;
	int r;

	if (!st)
		return IRK_EDB;
	*out = json_array();
	sqlite3_bind_int(st, 1, limit);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		char first[IRK_TIME_MAX], last[IRK_TIME_MAX];
		struct irk_entry e;
		const char *inc = irk_db_text(st, 0);

		if ((rc = irk_logbook_get(cb, inc, sqlite3_column_int64(st, 1), &e, err)))
			break;
		irk_time_utc(sqlite3_column_int64(st, 4), 0, first);
		irk_time_utc(sqlite3_column_int64(st, 5), 0, last);
		json_array_append_new(*out, json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:I, s:s}",
			"inc", inc, "title", irk_db_text(st, 7), "seq", (json_int_t)e.seq, "rule",
			irk_db_text(st, 2), "level", irk_db_text(st, 3), "first", first, "last", last,
			"count", (json_int_t)sqlite3_column_int64(st, 6), "text", e.text));
		irk_entry_release(&e);
	}
	sqlite3_reset(st);
	if (!rc && r != SQLITE_DONE)
		rc = irk_db_fail(cb->db, err, "reading findings");
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}
