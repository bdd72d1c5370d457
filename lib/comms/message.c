/* message.c - drafting, approving and publishing incident messages; see irk/message.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irk/channel.h"
#include "irk/due.h"
#include "irk/hash.h"
#include "irk/incident.h"
#include "irk/member.h"
#include "irk/message.h"
#include "irk/template.h"
#include "irk/text.h"
#include "irk/timefmt.h"

const char *const irk_msg_channels[] = { "stdout", "file", "webhook", "sendmail", NULL };

const char irk_messages_ddl[] =
	"CREATE TABLE IF NOT EXISTS {db}.messages("
	"  num INTEGER PRIMARY KEY,"
	"  inc TEXT NOT NULL,"
	"  audience TEXT NOT NULL,"
	"  template TEXT,"
	"  author TEXT NOT NULL,"
	"  editor TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  revision INTEGER NOT NULL,"
	"  drafted INTEGER NOT NULL,"
	"  approved_by TEXT, approved_sha256 TEXT, approved INTEGER,"
	"  published INTEGER,"
	"  publications INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE IF NOT EXISTS {db}.msg_publications("
	"  num INTEGER NOT NULL,"
	"  inc TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  target TEXT,"
	"  sha256 TEXT NOT NULL,"
	"  PRIMARY KEY(inc, seq));";

static void text_sha(const char *text, char hex[IRK_SHA256_HEX])
{
	uint8_t d[IRK_SHA256_LEN];

	irk_sha256(text, strlen(text), d);
	irk_hex(d, sizeof(d), hex);
}

static const char *data_str(const struct irk_apply_ctx *ctx, const char *key)
{
	return json_string_value(json_object_get(ctx->e->data, key));
}

/* The message row an entry names, in ctx's schema. */
struct row {
	int64_t num;
	char inc[IRK_CHAIN_MAX];
	char audience[32];
	char author[IRK_KEYID_HEX], editor[IRK_KEYID_HEX];
	char sha[IRK_SHA256_HEX], approved_sha[IRK_SHA256_HEX];
	int published;
};

static enum irk_code load_row(struct irk_db *db, const char *schema, int64_t num, struct row *r,
			      struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(db, schema,
				       "SELECT inc, audience, author, editor, sha256,"
				       " coalesce(approved_sha256, ''), published IS NOT NULL"
				       " FROM {db}.messages WHERE num=?1",
				       err);
	int rc;

	if (!st)
		return IRK_EDB;
	sqlite3_bind_int64(st, 1, num);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r->num = num;
		snprintf(r->inc, sizeof(r->inc), "%s", irk_db_text(st, 0));
		snprintf(r->audience, sizeof(r->audience), "%s", irk_db_text(st, 1));
		snprintf(r->author, sizeof(r->author), "%s", irk_db_text(st, 2));
		snprintf(r->editor, sizeof(r->editor), "%s", irk_db_text(st, 3));
		snprintf(r->sha, sizeof(r->sha), "%s", irk_db_text(st, 4));
		snprintf(r->approved_sha, sizeof(r->approved_sha), "%s", irk_db_text(st, 5));
		r->published = sqlite3_column_int(st, 6);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return IRK_OK;
	if (rc != SQLITE_DONE)
		return irk_db_fail(db, err, "reading the message");
	irk_fail(err, IRK_ENOTFOUND, "no message %lld in this casebook", (long long)num);
	irk_hint(err, "'irk msg list' shows the messages");
	return IRK_ENOTFOUND;
}

/* The entry's message, which must belong to the entry's incident. */
static enum irk_code entry_row(const struct irk_apply_ctx *ctx, struct row *r, struct irk_err *err)
{
	json_t *num = json_object_get(ctx->e->data, "num");
	enum irk_code rc;

	if (!json_is_integer(num))
		return irk_fail(err, IRK_EINVAL, "a %s entry must name its message", ctx->e->kind);
	if ((rc = load_row(ctx->db, ctx->schema, json_integer_value(num), r, err)))
		return rc;
	if (strcmp(r->inc, ctx->e->chain))
		return irk_fail(err, IRK_EINVAL, "message %lld belongs to %s, not %s",
				(long long)r->num, r->inc, ctx->e->chain);
	return IRK_OK;
}

/* The entry's text must be what its sha256 says. */
static enum irk_code check_text_sha(const struct irk_apply_ctx *ctx, char sha[IRK_SHA256_HEX],
				    struct irk_err *err)
{
	const char *claimed = data_str(ctx, "sha256");

	text_sha(ctx->e->text, sha);
	if (!claimed || strcmp(claimed, sha))
		return irk_fail(err, IRK_EINVAL, "the %s entry's sha256 does not match its text",
				ctx->e->kind);
	return IRK_OK;
}

enum irk_code irk_apply_msg_draft(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	const char *aud = data_str(ctx, "audience"), *tpl = data_str(ctx, "template");
	json_t *num = json_object_get(ctx->e->data, "num");
	char sha[IRK_SHA256_HEX];
	sqlite3_stmt *st;
	enum irk_code rc;

	if ((rc = irk_incident_require(ctx, 0, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "draft a message", err)) ||
	    (rc = check_text_sha(ctx, sha, err)))
		return rc;
	if (!aud || !irk_audience_parse(aud) || !json_is_integer(num) || json_integer_value(num) < 1)
		return irk_fail(err, IRK_EINVAL, "a msg.draft entry needs num and a known audience");
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "INSERT INTO {db}.messages(num, inc, audience, template, author, editor, text,"
			 " sha256, revision, drafted) VALUES(?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, 1, ?8)",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_int64(st, 1, json_integer_value(num));
	sqlite3_bind_text(st, 2, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, aud, -1, SQLITE_STATIC);
	if (tpl)
		sqlite3_bind_text(st, 4, tpl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, ctx->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, ctx->e->text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, sha, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 8, ctx->e->at_ms);
	if (irk_db_run(ctx->db, st, err)) {
		irk_err_clear(err);
		return irk_fail(err, IRK_ESTATE, "message %lld already exists",
				(long long)json_integer_value(num));
	}
	return IRK_OK;
}

enum irk_code irk_apply_msg_edit(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	char sha[IRK_SHA256_HEX];
	struct row r;
	sqlite3_stmt *st;
	enum irk_code rc;

	if ((rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "edit a message", err)) ||
	    (rc = entry_row(ctx, &r, err)) || (rc = check_text_sha(ctx, sha, err)))
		return rc;
	if (r.published) {
		irk_fail(err, IRK_ESTATE, "message %lld is already published and cannot change",
			 (long long)r.num);
		irk_hint(err, "draft a new message that corrects it");
		return IRK_ESTATE;
	}
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "UPDATE {db}.messages SET text=?2, sha256=?3, editor=?4,"
			 " revision=revision+1 WHERE num=?1",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_int64(st, 1, r.num);
	sqlite3_bind_text(st, 2, ctx->e->text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, sha, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, ctx->actor, -1, SQLITE_STATIC);
	return irk_db_run(ctx->db, st, err);
}

static int needs_lead(const char *audience)
{
	return !strcmp(audience, "public") || !strcmp(audience, "press");
}

enum irk_code irk_apply_msg_approve(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	const char *sha = data_str(ctx, "sha256");
	struct row r;
	sqlite3_stmt *st;
	enum irk_code rc;

	if ((rc = entry_row(ctx, &r, err)))
		return rc;
	if (!strcmp(ctx->actor, r.author) || !strcmp(ctx->actor, r.editor)) {
		irk_fail(err, IRK_EPERM,
			 "message %lld was %s by this key, so it cannot approve it: the two-person rule "
			 "needs another member", (long long)r.num,
			 !strcmp(ctx->actor, r.author) ? "written" : "last edited");
		irk_hint(err, "ask another responder%s to run 'irk msg approve %lld'",
			 needs_lead(r.audience) ? " with the lead role" : "", (long long)r.num);
		return IRK_EPERM;
	}
	if ((rc = irk_member_require(ctx, needs_lead(r.audience) ? IRK_ROLE_LEAD : IRK_ROLE_RESPONDER,
				     needs_lead(r.audience) ? "approve a public or press message"
							    : "approve a message",
				     err)))
		return rc;
	if (r.published)
		return irk_fail(err, IRK_ESTATE, "message %lld is already published", (long long)r.num);
	if (!sha || strcmp(sha, r.sha)) {
		irk_fail(err, IRK_ESTATE, "message %lld changed after you read it", (long long)r.num);
		irk_hint(err, "read it again with 'irk msg show %lld' and approve that text",
			 (long long)r.num);
		return IRK_ESTATE;
	}
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "UPDATE {db}.messages SET approved_by=?2, approved_sha256=?3, approved=?4"
			 " WHERE num=?1",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_int64(st, 1, r.num);
	sqlite3_bind_text(st, 2, ctx->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, ctx->e->at_ms);
	return irk_db_run(ctx->db, st, err);
}

/* Why a message may not be published now, as an error; IRK_OK when it may. */
static enum irk_code publishable(const struct row *r, struct irk_err *err)
{
	if (!r->approved_sha[0]) {
		irk_fail(err, IRK_ESTATE, "message %lld is not approved", (long long)r->num);
		irk_hint(err, "another member must run 'irk msg approve %lld' first", (long long)r->num);
		return IRK_ESTATE;
	}
	if (strcmp(r->approved_sha, r->sha)) {
		irk_fail(err, IRK_ESTATE,
			 "message %lld was edited after it was approved: the approval was for "
			 "sha256 %.16s..., the text is now %.16s...",
			 (long long)r->num, r->approved_sha, r->sha);
		irk_hint(err, "have it approved again: 'irk msg approve %lld' by another member",
			 (long long)r->num);
		return IRK_ESTATE;
	}
	return IRK_OK;
}

enum irk_code irk_apply_msg_publish(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	const char *sha = data_str(ctx, "sha256"), *via = data_str(ctx, "channel");
	const char *target = data_str(ctx, "target");
	struct row r;
	sqlite3_stmt *st;
	enum irk_code rc;

	if ((rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "publish a message", err)) ||
	    (rc = entry_row(ctx, &r, err)) || (rc = publishable(&r, err)))
		return rc;
	if (!sha || strcmp(sha, r.sha) || !via || irk_list_index(irk_msg_channels, via) < 0)
		return irk_fail(err, IRK_EINVAL,
				"a msg.publish entry needs the approved text's sha256 and a channel");
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "INSERT INTO {db}.msg_publications(num, inc, seq, at, channel, target, sha256)"
			 " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_int64(st, 1, r.num);
	sqlite3_bind_text(st, 2, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, ctx->e->seq);
	sqlite3_bind_int64(st, 4, ctx->e->at_ms);
	sqlite3_bind_text(st, 5, via, -1, SQLITE_STATIC);
	if (target)
		sqlite3_bind_text(st, 6, target, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, sha, -1, SQLITE_STATIC);
	if ((rc = irk_db_run(ctx->db, st, err)))
		return rc;
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "UPDATE {db}.messages SET published=coalesce(published, ?2),"
			 " publications=publications+1 WHERE num=?1",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_int64(st, 1, r.num);
	sqlite3_bind_int64(st, 2, ctx->e->at_ms);
	return irk_db_run(ctx->db, st, err);
}

/* ---- the library calls ---- */

enum irk_code irk_msg_parse_id(const char *s, int64_t *num, struct irk_err *err)
{
	const char *p = (*s == 'M' || *s == 'm') ? s + 1 : s;
	char *end;
	long long v;

	if (!isdigit((unsigned char)*p))
		goto bad;
	v = strtoll(p, &end, 10);
	if (*end || v < 1 || v > 1000000000LL)
		goto bad;
	*num = v;
	return IRK_OK;
bad:
	irk_fail(err, IRK_EUSAGE, "'%s' is not a message number", s);
	irk_hint(err, "'irk msg list' shows the numbers");
	return IRK_EUSAGE;
}

enum irk_code irk_msg_lint_text(struct irk_casebook *cb, const char *inc, const char *text,
				size_t len, int audience, const struct irk_comms_config *cfg,
				struct irk_lint_result *lint, struct irk_err *err)
{
	struct irk_lint_incident li = { NULL, { NULL, 0 } };
	json_t *incident = NULL, *entries = NULL;
	enum irk_code rc;

	if ((rc = irk_incident_get(cb, inc, &incident, err)))
		return rc;
	li.tlp = json_string_value(json_object_get(incident, "tlp"));
	if (li.tlp && (!strcmp(li.tlp, "red") || !strncmp(li.tlp, "amber", 5))) {
		if ((rc = irk_incident_entries(cb, inc, &entries, err)))
			goto done;
		irk_lint_incident_terms(&li, entries, cfg);
	}
	rc = irk_lint(text, len, audience, cfg, &li, lint, err);
done:
	irk_lint_incident_release(&li);
	json_decref(entries);
	json_decref(incident);
	return rc;
}

static enum irk_code check_text(const char *text, struct irk_err *err)
{
	return irk_text_check("the message text", text, IRK_TEXT_MAX, err);
}

enum irk_code irk_msg_draft(struct irk_casebook *cb, const struct irk_identity *id,
			    const struct irk_msg_new *m, const struct irk_comms_config *cfg,
			    struct irk_lint_result *lint, int64_t *num, struct irk_err *err)
{
	char sha[IRK_SHA256_HEX];
	int aud = irk_audience_parse(m->audience);
	sqlite3_stmt *st;
	json_t *data;
	enum irk_code rc;

	if (!aud) {
		struct irk_buf names = IRK_BUF_INIT;
		irk_list_join(irk_audiences, &names);
		irk_fail(err, IRK_EUSAGE, "unknown audience '%s' (use %s)", m->audience, names.buf);
		irk_buf_release(&names);
		return IRK_EUSAGE;
	}
	if ((rc = check_text(m->text, err)) ||
	    (rc = irk_msg_lint_text(cb, m->inc, m->text, strlen(m->text), aud, cfg, lint, err)))
		return rc;
	text_sha(m->text, sha);
	if ((rc = irk_db_begin(cb->db, err)))
		return rc;
	st = irk_db_stmt(cb->db, NULL, "SELECT coalesce(max(num), 0) + 1 FROM messages", err);
	if (!st) {
		irk_db_rollback(cb->db);
		return IRK_EDB;
	}
	sqlite3_step(st);
	*num = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	data = json_pack("{s:I, s:s, s:s, s:{s:i, s:i}}", "num", (json_int_t)*num, "audience",
			 m->audience, "sha256", sha, "lint", "errors", lint->errors, "warnings",
			 lint->warnings);
	if (m->template_name)
		json_object_set_new(data, "template", json_string(m->template_name));
	{
		struct irk_append a = { .chain = m->inc, .kind = "msg.draft", .text = m->text,
					.data = data };
		rc = irk_logbook_append(cb, id, &a, NULL, err);
	}
	json_decref(data);
	if (rc) {
		irk_db_rollback(cb->db);
		return rc;
	}
	return irk_db_commit(cb->db, err);
}

enum irk_code irk_msg_edit(struct irk_casebook *cb, const struct irk_identity *id, int64_t num,
			   const char *text, const struct irk_comms_config *cfg,
			   struct irk_lint_result *lint, struct irk_err *err)
{
	char sha[IRK_SHA256_HEX];
	struct row r;
	json_t *data;
	enum irk_code rc;

	if ((rc = check_text(text, err)) || (rc = load_row(cb->db, NULL, num, &r, err)) ||
	    (rc = irk_msg_lint_text(cb, r.inc, text, strlen(text), irk_audience_parse(r.audience), cfg,
				   lint, err)))
		return rc;
	text_sha(text, sha);
	data = json_pack("{s:I, s:s}", "num", (json_int_t)num, "sha256", sha);
	{
		struct irk_append a = { .chain = r.inc, .kind = "msg.edit", .text = text, .data = data };
		rc = irk_logbook_write(cb, id, &a, NULL, err);
	}
	json_decref(data);
	return rc;
}

static enum irk_code current_text(struct irk_casebook *cb, int64_t num, struct irk_buf *text,
				  struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(cb->db, NULL, "SELECT text FROM messages WHERE num=?1", err);

	if (!st)
		return IRK_EDB;
	sqlite3_bind_int64(st, 1, num);
	if (sqlite3_step(st) == SQLITE_ROW)
		irk_buf_adds(text, irk_db_text(st, 0));
	sqlite3_reset(st);
	return IRK_OK;
}

enum irk_code irk_msg_lint(struct irk_casebook *cb, int64_t num,
			   const struct irk_comms_config *cfg, struct irk_lint_result *lint,
			   struct irk_err *err)
{
	struct irk_buf text = IRK_BUF_INIT;
	struct row r;
	enum irk_code rc;

	if (!(rc = load_row(cb->db, NULL, num, &r, err)) && !(rc = current_text(cb, num, &text, err)))
		rc = irk_msg_lint_text(cb, r.inc, text.buf, text.len, irk_audience_parse(r.audience),
				      cfg, lint, err);
	irk_buf_release(&text);
	return rc;
}

enum irk_code irk_msg_approve(struct irk_casebook *cb, const struct irk_identity *id, int64_t num,
			      const struct irk_comms_config *cfg, struct irk_lint_result *lint,
			      struct irk_err *err)
{
	const char *who = irk_identity_who(id);
	struct row r;
	json_t *data;
	char text[160];
	enum irk_code rc;

	if ((rc = load_row(cb->db, NULL, num, &r, err)))
		return rc;
	if (!strcmp(who, r.author) || !strcmp(who, r.editor)) {
		irk_fail(err, IRK_EPERM,
			 "you %s message %lld, so you cannot approve it: the two-person rule needs "
			 "another member", !strcmp(who, r.author) ? "wrote" : "last edited",
			 (long long)num);
		irk_hint(err, "ask another responder%s to run 'irk msg approve %lld'",
			 needs_lead(r.audience) ? " with the lead role" : "", (long long)num);
		return IRK_EPERM;
	}
	if ((rc = irk_msg_lint(cb, num, cfg, lint, err)))
		return rc;
	if (lint->errors) {
		irk_fail(err, IRK_EFAIL, "message %lld has %d lint error%s; it cannot be approved",
			 (long long)num, lint->errors, lint->errors == 1 ? "" : "s");
		irk_hint(err, "fix the text with 'irk msg edit %lld', then approve it", (long long)num);
		return IRK_EFAIL;
	}
	data = json_pack("{s:I, s:s}", "num", (json_int_t)num, "sha256", r.sha);
	snprintf(text, sizeof(text), "approved message %lld (%s), sha256 %s", (long long)num,
		 r.audience, r.sha);
	{
		struct irk_append a = { .chain = r.inc, .kind = "msg.approve", .text = text,
					.data = data };
		rc = irk_logbook_write(cb, id, &a, NULL, err);
	}
	json_decref(data);
	return rc;
}

static json_t *opt_time(sqlite3_stmt *st, int col)
{
	char t[IRK_TIME_MAX];

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_null();
	irk_time_utc(sqlite3_column_int64(st, col), 1, t);
	return json_string(t);
}

static json_t *opt_text(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null()
							   : json_string(irk_db_text(st, col));
}

#define MSG_COLS                                                                           \
	"SELECT m.num, m.inc, m.audience, m.template, coalesce(a.email, m.author),"        \
	" coalesce(e.email, m.editor), m.sha256, m.revision, m.drafted,"                   \
	" coalesce(p.email, m.approved_by), m.approved_sha256, m.approved, m.published,"   \
	" m.publications, m.text FROM messages m"                                          \
	" LEFT JOIN members a ON a.key = m.author LEFT JOIN members e ON e.key = m.editor" \
	" LEFT JOIN members p ON p.key = m.approved_by"

static json_t *row_json(sqlite3_stmt *st, int with_text)
{
	const char *state;
	json_t *o;

	if (sqlite3_column_type(st, 12) != SQLITE_NULL)
		state = "published";
	else if (sqlite3_column_type(st, 10) == SQLITE_NULL)
		state = "draft";
	else if (strcmp(irk_db_text(st, 10), irk_db_text(st, 6)))
		state = "stale";
	else
		state = "approved";
	o = json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:I}",
		      "num", (json_int_t)sqlite3_column_int64(st, 0), "inc", irk_db_text(st, 1),
		      "audience", irk_db_text(st, 2), "template", opt_text(st, 3), "author",
		      irk_db_text(st, 4), "editor", irk_db_text(st, 5), "state", state, "sha256",
		      irk_db_text(st, 6), "revision", (json_int_t)sqlite3_column_int64(st, 7),
		      "drafted", opt_time(st, 8), "approved_by", opt_text(st, 9),
		      "approved_sha256", opt_text(st, 10), "approved", opt_time(st, 11),
		      "published", opt_time(st, 12), "publications",
		      (json_int_t)sqlite3_column_int64(st, 13));
	if (with_text)
		json_object_set_new(o, "text", json_string(irk_db_text(st, 14)));
	return o;
}

enum irk_code irk_msg_get(struct irk_casebook *cb, int64_t num, json_t **out, struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(cb->db, NULL, MSG_COLS " WHERE m.num=?1", err);
	int r;

	if (!st)
		return IRK_EDB;
	sqlite3_bind_int64(st, 1, num);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		*out = row_json(st, 1);
	sqlite3_reset(st);
	if (r == SQLITE_ROW)
		return IRK_OK;
	if (r != SQLITE_DONE)
		return irk_db_fail(cb->db, err, "reading the message");
	irk_fail(err, IRK_ENOTFOUND, "no message %lld in this casebook", (long long)num);
	irk_hint(err, "'irk msg list' shows the messages");
	return IRK_ENOTFOUND;
}

static enum irk_code msg_row(sqlite3_stmt *st, json_t *arr, void *arg, struct irk_err *err)
{
	(void)arg;
	(void)err;
	json_array_append_new(arr, row_json(st, 0));
	return IRK_OK;
}

enum irk_code irk_msg_list(struct irk_casebook *cb, const char *inc, json_t **out,
			   struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(cb->db, NULL,
				       MSG_COLS " WHERE ?1 IS NULL OR m.inc=?1 ORDER BY m.num DESC",
				       err);

	if (!st)
		return IRK_EDB;
	if (inc)
		sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	return irk_db_rows_json(cb->db, st, msg_row, NULL, "listing messages", out, err);
}

enum irk_code irk_msg_publish(struct irk_casebook *cb, const struct irk_identity *id, int64_t num,
			      const struct irk_msg_delivery *d, struct irk_buf *text,
			      json_t **record, struct irk_err *err)
{
	char sha[IRK_SHA256_HEX], at[IRK_TIME_MAX], line[256];
	struct irk_buf subject = IRK_BUF_INIT;
	struct row r;
	json_t *data = NULL;
	enum irk_code rc;
	int64_t now = irk_now_ms();

	if ((rc = load_row(cb->db, NULL, num, &r, err)) || (rc = publishable(&r, err)) ||
	    (rc = current_text(cb, num, text, err)))
		return rc;
	text_sha(text->buf, sha);
	if (strcmp(sha, r.approved_sha))
		return irk_fail(err, IRK_ETAMPER, "message %lld's stored text does not match its hash",
				(long long)num);
	if (d->via != IRK_VIA_STDOUT && (!d->to || !*d->to))
		return irk_fail(err, IRK_EUSAGE, "publishing via %s needs --to",
				irk_msg_channels[d->via]);
	switch (d->via) {
	case IRK_VIA_STDOUT:
		break;
	case IRK_VIA_FILE:
		rc = irk_channel_file(d->to, text->buf, text->len, err);
		break;
	case IRK_VIA_WEBHOOK:
		rc = irk_channel_webhook(d->to, text->buf, text->len, 20, err);
		break;
	case IRK_VIA_SENDMAIL:
		if (d->subject)
			irk_buf_adds(&subject, d->subject);
		else {
			json_t *i = NULL;
			if (irk_incident_get(cb, r.inc, &i, NULL) == IRK_OK)
				irk_buf_addf(&subject, "%s",
					     json_string_value(json_object_get(i, "title")));
			json_decref(i);
		}
		rc = irk_channel_sendmail(d->sendmail, d->to, subject.buf, text->buf, text->len, err);
		break;
	}
	irk_buf_release(&subject);
	if (rc)
		return rc;
	irk_time_utc(now, 1, at);
	data = json_pack("{s:I, s:s, s:s, s:s, s:s}", "num", (json_int_t)num, "sha256", sha,
			 "audience", r.audience, "channel", irk_msg_channels[d->via], "published", at);
	if (d->to)
		json_object_set_new(data, "target", json_string(d->to));
	snprintf(line, sizeof(line), "published message %lld to %s via %s%s%.120s",
		 (long long)num, r.audience, irk_msg_channels[d->via], d->to ? " to " : "",
		 d->to ? d->to : "");
	{
		struct irk_append a = { .chain = r.inc, .kind = "msg.publish", .text = line,
					.data = data, .has_at = 1, .at_ms = now };
		a.has_tz = 0;
		rc = irk_logbook_write(cb, id, &a, NULL, err);
	}
	if (!rc && record)
		*record = json_incref(data);
	json_decref(data);
	return rc;
}

/* ---- follow-ups ---- */

struct followup_def {
	const char *what, *template_name;
	int from_resolution; /* anchor: 1 = resolution, 0 = first publication */
	int64_t from_ms, by_ms;
};

#define HOUR (3600LL * 1000)
static const struct followup_def followup_defs[] = {
	{ "resolved update", "resolved", 1, 1 * HOUR, 2 * HOUR },
	{ "recap", "recap", 0, 8 * HOUR, 12 * HOUR },
	{ "postmortem", "postmortem", 1, 7 * 24 * HOUR, 14 * 24 * HOUR },
};

static int template_published(struct irk_casebook *cb, const char *inc, const char *tpl)
{
	sqlite3_stmt *st = irk_db_stmt(cb->db, NULL,
				       "SELECT 1 FROM messages WHERE inc=?1 AND template=?2"
				       " AND published IS NOT NULL",
				       NULL);
	int found;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tpl, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

struct followup_scan {
	struct irk_casebook *cb;
	int64_t now_ms;
};

/* One incident's row (its first outside publication, audience, resolution): its follow-ups. */
static enum irk_code followup_row(sqlite3_stmt *st, json_t *arr, void *arg, struct irk_err *err)
{
	const struct followup_scan *fs = arg;
	const char *id = irk_db_text(st, 0), *aud = irk_db_text(st, 2);
	int64_t first = sqlite3_column_int64(st, 1), resolved;
	char from[IRK_TIME_MAX], by[IRK_TIME_MAX];

	(void)err;
	if (sqlite3_column_type(st, 3) == SQLITE_NULL)
		return IRK_OK;
	resolved = sqlite3_column_int64(st, 3);
	for (size_t i = 0; i < sizeof(followup_defs) / sizeof(followup_defs[0]); i++) {
		const struct followup_def *f = &followup_defs[i];
		int64_t anchor = f->from_resolution ? resolved : first;
		int64_t a = anchor + f->from_ms, b = anchor + f->by_ms;
		const char *status;

		if (template_published(fs->cb, id, f->template_name))
			continue;
		if (!f->from_resolution && a < resolved) {
			/* A recap is about the whole incident: not before resolution. */
			b += resolved - a;
			a = resolved;
		}
		status = fs->now_ms < a ? "upcoming" : fs->now_ms <= b ? "due" : "overdue";
		irk_time_utc(a, 0, from);
		irk_time_utc(b, 0, by);
		json_array_append_new(
			arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "inc", id, "kind",
				       "follow-up", "what", f->what, "template", f->template_name,
				       "audience", aud, "from", from, "by", by, "status", status));
	}
	return IRK_OK;
}

enum irk_code irk_msg_followups(struct irk_casebook *cb, const char *inc, int64_t now_ms,
				json_t **out, struct irk_err *err)
{
	/* Per incident: first outside publication, its audience, and the resolution time. */
	sqlite3_stmt *st = irk_db_stmt(
		cb->db, NULL,
		"SELECT i.id, min(m.published),"
		" (SELECT m2.audience FROM messages m2 WHERE m2.inc = i.id AND"
		"  m2.audience != 'internal' AND m2.published IS NOT NULL ORDER BY m2.published LIMIT 1),"
		" CASE WHEN i.recovered IS NULL THEN i.closed WHEN i.closed IS NULL THEN i.recovered"
		"  ELSE min(i.recovered, i.closed) END"
		" FROM incidents i JOIN messages m ON m.inc = i.id"
		" WHERE m.audience != 'internal' AND m.published IS NOT NULL"
		"  AND (i.resolution IS NULL OR i.resolution = 'resolved')"
		"  AND (?1 IS NULL OR i.id = ?1)"
		" GROUP BY i.id ORDER BY i.num",
		err);
	struct followup_scan fs = { cb, now_ms };

	if (!st)
		return IRK_EDB;
	if (inc)
		sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	return irk_db_rows_json(cb->db, st, followup_row, &fs, "finding follow-ups", out, err);
}

enum irk_code irk_msg_due_collect(struct irk_casebook *cb, const char *inc, int drill,
				  const struct irk_due_query *q, json_t *items, struct irk_err *err)
{
	json_t *ups, *f;
	enum irk_code rc = irk_msg_followups(cb, inc, q->now_ms, &ups, err);
	size_t i;

	if (rc)
		return rc;
	json_array_foreach(ups, i, f) {
		const char *from = json_string_value(json_object_get(f, "from"));
		const char *by = json_string_value(json_object_get(f, "by"));
		int64_t from_ms = 0, by_ms = 0;
		const char *state;
		char what[512];

		irk_time_parse_utc(from, &from_ms, NULL);
		irk_time_parse_utc(by, &by_ms, NULL);
		if (q->now_ms > by_ms)
			state = "overdue";
		else if (q->now_ms < from_ms)
			state = "waiting";
		else if (by_ms - q->now_ms <= q->soon_s * 1000)
			state = "soon";
		else
			state = "open";
		snprintf(what, sizeof(what), "follow-up to %s: publish the %s for %s, from %s "
			 "(irk msg draft %s --audience %s --template %s)",
			 json_string_value(json_object_get(f, "audience")),
			 json_string_value(json_object_get(f, "what")),
			 json_string_value(json_object_get(f, "audience")), from, inc,
			 json_string_value(json_object_get(f, "audience")),
			 json_string_value(json_object_get(f, "template")));
		json_array_append_new(items,
				      irk_due_item(inc, drill, "follow-up", state, by_ms, what,
						   json_pack("{s:O}", "template",
							     json_object_get(f, "template"))));
	}
	json_decref(ups);
	return IRK_OK;
}
