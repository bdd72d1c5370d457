/* logbook.c - appending to and reading the log book; see irk/logbook.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irk/kind.h"
#include "irk/logbook.h"
#include "irk/text.h"
#include "irk/timefmt.h"

/* How far in the future an "at" may lie: clocks of a crew's laptops disagree. */
#define FUTURE_SLACK_MS (5 * 60 * 1000)

static int is_hex(const char *s, size_t n)
{
	if (strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static const char *str_field(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

enum irk_code irk_entry_parse(const char *body, size_t len, struct irk_entry *e,
			      struct irk_err *err)
{
	json_error_t jerr;
	const char *s, *field = NULL;
	json_t *v;

	memset(e, 0, sizeof(*e));
	e->json = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!e->json)
		return irk_fail(err, IRK_ETAMPER, "entry is not valid JSON (%s at column %d)",
				jerr.text, jerr.column);
	if (!json_is_object(e->json)) {
		field = "(top level)";
		goto bad;
	}
	v = json_object_get(e->json, "v");
	if (!json_is_integer(v) || json_integer_value(v) != 1) {
		field = "v";
		goto bad;
	}
	if (!(s = str_field(e->json, "book")) || !is_hex(s, 16)) {
		field = "book";
		goto bad;
	}
	if (!(s = str_field(e->json, "inc")) || strlen(s) >= IRK_CHAIN_MAX) {
		field = "inc";
		goto bad;
	}
	strcpy(e->chain, s);
	v = json_object_get(e->json, "seq");
	if (!json_is_integer(v) || json_integer_value(v) < 1) {
		field = "seq";
		goto bad;
	}
	e->seq = json_integer_value(v);
	if (!(s = str_field(e->json, "prev")) || !is_hex(s, 64)) {
		field = "prev";
		goto bad;
	}
	strcpy(e->prev, s);
	if (!(s = str_field(e->json, "rec")) || irk_time_parse_utc(s, &e->rec_ms, NULL)) {
		field = "rec";
		goto bad;
	}
	if (!(s = str_field(e->json, "at")) || irk_time_parse_utc(s, &e->at_ms, NULL)) {
		field = "at";
		goto bad;
	}
	if (!(s = str_field(e->json, "tz")) || irk_tz_parse(s, &e->tz, NULL)) {
		field = "tz";
		goto bad;
	}
	if (!(s = str_field(e->json, "by")) || !is_hex(s, 16)) {
		field = "by";
		goto bad;
	}
	strcpy(e->by, s);
	if (!(s = str_field(e->json, "kind")) || !*s || strlen(s) >= IRK_KIND_MAX) {
		field = "kind";
		goto bad;
	}
	strcpy(e->kind, s);
	if (!(e->text = str_field(e->json, "text"))) {
		field = "text";
		goto bad;
	}
	e->data = json_object_get(e->json, "data");
	if (!json_is_object(e->data)) {
		field = "data";
		goto bad;
	}
	return IRK_OK;
bad:
	irk_entry_release(e);
	return irk_fail(err, IRK_ETAMPER, "entry field \"%s\" is missing or malformed", field);
}

void irk_entry_release(struct irk_entry *e)
{
	json_decref(e->json);
	e->json = NULL;
	e->data = NULL;
	e->text = NULL;
}

enum irk_code irk_logbook_head(struct irk_casebook *cb, const char *chain, int64_t *count,
			       char head[IRK_SHA256_HEX], struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(
		cb->db, NULL, "SELECT seq, hash FROM entries WHERE chain=?1 ORDER BY seq DESC LIMIT 1",
		err);
	int rc;

	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, chain, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*count = sqlite3_column_int64(st, 0);
		snprintf(head, IRK_SHA256_HEX, "%s", irk_db_text(st, 1));
	} else if (rc == SQLITE_DONE) {
		*count = 0;
		strcpy(head, IRK_ZERO_HASH);
	} else {
		sqlite3_reset(st);
		return irk_db_fail(cb->db, err, "reading the log book");
	}
	sqlite3_reset(st);
	return IRK_OK;
}

/* The entry's data: the caller's, and on_behalf_of when a server signs for a member. */
static json_t *entry_data(const struct irk_identity *id, const struct irk_append *a)
{
	json_t *data;

	if (!id->acting_for.key[0])
		return a->data ? json_incref(a->data) : json_object();
	data = a->data ? json_copy(a->data) : json_object();
	json_object_set_new(data, "on_behalf_of",
			    json_pack("{s:s, s:s, s:s}", "key", id->acting_for.key, "email",
				      id->acting_for.email, "auth", id->acting_for.auth));
	return data;
}

static void build_body(const struct irk_casebook *cb, const struct irk_identity *id,
		       const struct irk_append *a, int64_t seq, const char *prev, int64_t rec,
		       int64_t at, int tz, struct irk_buf *out)
{
	char rec_s[IRK_TIME_MAX], at_s[IRK_TIME_MAX], tz_s[8];
	json_t *o = json_object();
	char *text;

	irk_time_utc(rec, 1, rec_s);
	irk_time_utc(at, at % 1000 != 0, at_s);
	irk_tz_format(tz, tz_s);
	json_object_set_new(o, "v", json_integer(1));
	json_object_set_new(o, "book", json_string(cb->book_id));
	json_object_set_new(o, "inc", json_string(a->chain));
	json_object_set_new(o, "seq", json_integer(seq));
	json_object_set_new(o, "prev", json_string(prev));
	json_object_set_new(o, "rec", json_string(rec_s));
	json_object_set_new(o, "at", json_string(at_s));
	json_object_set_new(o, "tz", json_string(tz_s));
	json_object_set_new(o, "by", json_string(id->keyid));
	json_object_set_new(o, "kind", json_string(a->kind));
	json_object_set_new(o, "text", json_string(a->text ? a->text : ""));
	json_object_set_new(o, "data", entry_data(id, a));
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!text)
		abort();
	irk_buf_adds(out, text);
	free(text);
}

enum irk_code irk_logbook_append(struct irk_casebook *cb, const struct irk_identity *id,
				 const struct irk_append *a, struct irk_entry *out,
				 struct irk_err *err)
{
	const struct irk_kind *kind = irk_kind_find(a->kind);
	struct irk_buf body = IRK_BUF_INIT;
	char prev[IRK_SHA256_HEX], hash[IRK_SHA256_HEX];
	uint8_t digest[IRK_SHA256_LEN], sig[IRK_SIG_LEN];
	struct irk_entry e;
	int64_t count, rec = irk_now_ms(), at;
	sqlite3_stmt *st;
	enum irk_code rc;
	int tz;

	if (!kind)
		return irk_fail(err, IRK_EINTERNAL, "unknown entry kind '%s'", a->kind);
	if ((kind->chain == IRK_CHAIN_CASEBOOK) != (a->chain[0] == '\0'))
		return irk_fail(err, IRK_EINTERNAL, "entry kind '%s' does not belong in chain '%s'",
				a->kind, a->chain);
	if (a->text && *a->text && (rc = irk_text_check("the entry text", a->text, IRK_TEXT_MAX, err)))
		return rc;
	if (a->data && !json_is_object(a->data))
		return irk_fail(err, IRK_EINTERNAL, "entry data must be a JSON object");
	at = a->has_at ? a->at_ms : rec;
	if (at > rec + FUTURE_SLACK_MS) {
		char when[IRK_TIME_MAX];
		irk_time_utc(at, 0, when);
		return irk_fail(err, IRK_EINVAL, "the time given (%s) is in the future", when);
	}
	tz = a->has_tz ? a->tz : irk_local_offset(at);
	if ((rc = irk_logbook_head(cb, a->chain, &count, prev, err)))
		return rc;
	build_body(cb, id, a, count + 1, prev, rec, at, tz, &body);
	irk_sha256(body.buf, body.len, digest);
	irk_hex(digest, sizeof(digest), hash);
	irk_sign(id, body.buf, body.len, sig);

	st = irk_db_stmt(cb->db, NULL,
			 "INSERT INTO entries(chain, seq, hash, body, sig, by, kind, at, rec)"
			 " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
			 err);
	if (!st) {
		irk_buf_release(&body);
		return IRK_EDB;
	}
	sqlite3_bind_text(st, 1, a->chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, count + 1);
	sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, body.buf, (int)body.len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 5, sig, sizeof(sig), SQLITE_STATIC);
	sqlite3_bind_text(st, 6, id->keyid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, a->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, at);
	sqlite3_bind_int64(st, 9, rec);
	if ((rc = irk_db_run(cb->db, st, err))) {
		irk_buf_release(&body);
		return rc;
	}
	rc = irk_entry_parse(body.buf, body.len, &e, err);
	irk_buf_release(&body);
	if (rc)
		return irk_fail(err, IRK_EINTERNAL, "irk wrote an entry it cannot read back");
	e.id = sqlite3_last_insert_rowid(irk_db_handle(cb->db));
	strcpy(e.hash, hash);
	rc = irk_kind_apply(cb->db, "main", &e, err);
	if (rc || !out)
		irk_entry_release(&e);
	else
		*out = e;
	return rc;
}

enum irk_code irk_logbook_write(struct irk_casebook *cb, const struct irk_identity *id,
				const struct irk_append *a, struct irk_entry *out,
				struct irk_err *err)
{
	enum irk_code rc = irk_db_begin(cb->db, err);

	if (rc)
		return rc;
	rc = irk_logbook_append(cb, id, a, out, err);
	if (rc) {
		irk_db_rollback(cb->db);
		return rc;
	}
	rc = irk_db_commit(cb->db, err);
	if (rc && out)
		irk_entry_release(out);
	return rc;
}

static enum irk_code row_entry(sqlite3_stmt *st, struct irk_entry *e, struct irk_err *err)
{
	const void *body = sqlite3_column_blob(st, 1);
	int len = sqlite3_column_bytes(st, 1);
	enum irk_code rc = irk_entry_parse(body ? body : "", (size_t)len, e, err);

	if (rc)
		return rc;
	e->id = sqlite3_column_int64(st, 0);
	snprintf(e->hash, sizeof(e->hash), "%s", irk_db_text(st, 2));
	return IRK_OK;
}

enum irk_code irk_logbook_get(struct irk_casebook *cb, const char *chain, int64_t seq,
			      struct irk_entry *e, struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(
		cb->db, NULL, "SELECT id, body, hash FROM entries WHERE chain=?1 AND seq=?2", err);
	enum irk_code rc;
	int r;

	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	r = sqlite3_step(st);
	if (r == SQLITE_DONE) {
		sqlite3_reset(st);
		return irk_fail(err, IRK_ENOTFOUND, "%s has no entry %lld", *chain ? chain : "the casebook",
				(long long)seq);
	}
	if (r != SQLITE_ROW) {
		sqlite3_reset(st);
		return irk_db_fail(cb->db, err, "reading the log book");
	}
	rc = row_entry(st, e, err);
	sqlite3_reset(st);
	return rc;
}

enum irk_code irk_logbook_each(struct irk_casebook *cb, const char *chain, int64_t after,
			       irk_entry_fn fn, void *arg, struct irk_err *err)
{
	sqlite3_stmt *st = NULL;
	enum irk_code rc = IRK_OK;
	int r;

	/* A private statement: fn may itself read the log book. */
	if (sqlite3_prepare_v2(irk_db_handle(cb->db),
			       "SELECT id, body, hash FROM entries WHERE chain=?1 AND seq>?2 ORDER BY seq",
			       -1, &st, NULL) != SQLITE_OK)
		return irk_db_fail(cb->db, err, "reading the log book");
	sqlite3_bind_text(st, 1, chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, after);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct irk_entry e;
		if ((rc = row_entry(st, &e, err)))
			break;
		rc = fn(&e, arg, err);
		irk_entry_release(&e);
		if (rc)
			break;
	}
	if (!rc && r != SQLITE_DONE)
		rc = irk_db_fail(cb->db, err, "reading the log book");
	sqlite3_finalize(st);
	return rc;
}
