/* contact.c - contacts and the notifications sent to them; see irk/contact.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irk/contact.h"
#include "irk/incident.h"
#include "irk/member.h"
#include "irk/text.h"
#include "irk/timefmt.h"

const char *const irk_contact_roles[] = { "management", "legal",	 "pr",
					  "law-enforcement", "irt",	 "isp-abuse",
					  "vendor",	     "affected-site", "regulator", NULL };
const char *const irk_channel_kinds[] = { "email", "phone", "sms",    "chat",	 "web-form",
					  "letter", "in-person", "ticket", "fax", NULL };

const char irk_contacts_ddl[] =
	"CREATE TABLE IF NOT EXISTS {db}.contacts("
	"  name TEXT PRIMARY KEY COLLATE NOCASE,"
	"  role TEXT NOT NULL,"
	"  org TEXT,"
	"  channels TEXT NOT NULL," /* JSON array of "kind:address" */
	"  notes TEXT,"
	"  added INTEGER NOT NULL,"
	"  verified INTEGER);";

const char irk_notifications_ddl[] =
	"CREATE TABLE IF NOT EXISTS {db}.notifications("
	"  inc TEXT NOT NULL,"
	"  num INTEGER NOT NULL,"
	"  contact TEXT NOT NULL,"
	"  role TEXT NOT NULL,"
	"  via TEXT NOT NULL,"
	"  summary TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  by TEXT NOT NULL,"
	"  acked INTEGER,"
	"  PRIMARY KEY(inc, num));";

static enum irk_code not_in_list(const char *what, const char *value, const char *const *list,
				 struct irk_err *err)
{
	struct irk_buf s = IRK_BUF_INIT;

	irk_list_join(list, &s);
	irk_fail(err, IRK_EINVAL, "unknown %s '%s' (use %s)", what, value, s.buf);
	irk_buf_release(&s);
	return IRK_EINVAL;
}

/* "email:soc@example.org": a known kind, a colon, a one-line address. */
static enum irk_code check_channel(const char *ch, struct irk_err *err)
{
	const char *colon = ch ? strchr(ch, ':') : NULL;
	char kind[16];

	if (!colon || colon == ch || (size_t)(colon - ch) >= sizeof(kind) || !colon[1] ||
	    irk_text_check_name(ch, NULL)) {
		irk_fail(err, IRK_EINVAL, "channel '%s' is not KIND:ADDRESS", ch ? ch : "");
		irk_hint(err, "e.g. email:soc@example.org or 'phone:+49 30 1234'");
		return IRK_EINVAL;
	}
	snprintf(kind, sizeof(kind), "%.*s", (int)(colon - ch), ch);
	if (irk_list_index(irk_channel_kinds, kind) < 0)
		return not_in_list("channel kind", kind, irk_channel_kinds, err);
	return IRK_OK;
}

static enum irk_code contact_row(sqlite3_stmt *st, json_t *arr, void *arg, struct irk_err *err)
{
	json_t *ch = json_loads(irk_db_text(st, 3), 0, NULL);

	(void)arg;
	(void)err;
	json_array_append_new(arr, json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "name",
					     irk_db_text(st, 0), "role", irk_db_text(st, 1), "org",
					     irk_db_text_json(st, 2), "channels",
					     ch ? ch : json_array(), "notes", irk_db_text_json(st, 4),
					     "added", irk_db_time_json(st, 5), "verified",
					     irk_db_time_json(st, 6)));
	return IRK_OK;
}

enum irk_code irk_contact_get(struct irk_db *db, const char *schema, const char *name,
			      json_t **out, struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(db, schema,
				       "SELECT name, role, org, channels, notes, added, verified"
				       " FROM {db}.contacts WHERE name=?1 OR ?1 IS NULL ORDER BY role, name",
				       err);
	enum irk_code rc;
	json_t *arr;

	if (!st)
		return IRK_EDB;
	if (name)
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if ((rc = irk_db_rows_json(db, st, contact_row, NULL, "reading contacts", &arr, err)))
		return rc;
	if (!name) {
		*out = arr;
		return IRK_OK;
	}
	if (json_array_size(arr) == 0) {
		json_decref(arr);
		irk_fail(err, IRK_ENOTFOUND, "no contact '%s' in this casebook", name);
		irk_hint(err, "'irk contact list' shows them; add one with 'irk contact add'");
		return IRK_ENOTFOUND;
	}
	*out = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	return IRK_OK;
}

enum irk_code irk_apply_contact(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	json_t *d = ctx->e->data, *chans = json_object_get(d, "channels"), *ch;
	const char *name = json_string_value(json_object_get(d, "name"));
	const char *role = json_string_value(json_object_get(d, "role"));
	json_t *org = json_object_get(d, "org"), *notes = json_object_get(d, "notes");
	enum irk_code rc;
	sqlite3_stmt *st;
	char *chtext;
	size_t i;

	if ((rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "manage contacts", err)))
		return rc;
	if (!name || irk_text_check_name(name, NULL) || !role ||
	    irk_list_index(irk_contact_roles, role) < 0 || !json_is_array(chans) ||
	    json_array_size(chans) > IRK_CONTACT_CHANNELS_MAX)
		return irk_fail(err, IRK_EINVAL, "contact record is incomplete or malformed");
	json_array_foreach(chans, i, ch)
		if ((rc = check_channel(json_string_value(ch), err)))
			return rc;
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "INSERT INTO {db}.contacts(name, role, org, channels, notes, added)"
			 " VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(name) DO UPDATE SET"
			 " role=excluded.role, org=excluded.org, channels=excluded.channels,"
			 " notes=excluded.notes",
			 err);
	if (!st)
		return IRK_EDB;
	chtext = json_dumps(chans, JSON_COMPACT);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, role, -1, SQLITE_STATIC);
	if (json_is_string(org))
		sqlite3_bind_text(st, 3, json_string_value(org), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, chtext, -1, SQLITE_TRANSIENT);
	if (json_is_string(notes))
		sqlite3_bind_text(st, 5, json_string_value(notes), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, ctx->e->at_ms);
	free(chtext);
	return irk_db_run(ctx->db, st, err);
}

enum irk_code irk_apply_contact_verify(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	const char *name = json_string_value(json_object_get(ctx->e->data, "name"));
	enum irk_code rc;
	sqlite3_stmt *st;

	if ((rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "verify contacts", err)))
		return rc;
	if (!name)
		return irk_fail(err, IRK_EINVAL, "a contact.verify entry must name a contact");
	st = irk_db_stmt(ctx->db, ctx->schema, "UPDATE {db}.contacts SET verified=?2 WHERE name=?1",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ctx->e->at_ms);
	if ((rc = irk_db_run(ctx->db, st, err)))
		return rc;
	if (sqlite3_changes(irk_db_handle(ctx->db)) != 1)
		return irk_fail(err, IRK_ENOTFOUND, "no contact '%s' in this casebook", name);
	return IRK_OK;
}

enum irk_code irk_contact_add(struct irk_casebook *cb, const struct irk_identity *id,
			      const struct irk_contact_new *c, struct irk_err *err)
{
	json_t *data, *chans = json_array();
	char text[512];
	enum irk_code rc;

	if ((rc = irk_text_check_name(c->name ? c->name : "", err))) {
		irk_err_prefix(err, "the contact's name");
		goto fail;
	}
	if (!c->role || irk_list_index(irk_contact_roles, c->role) < 0) {
		rc = not_in_list("contact role", c->role ? c->role : "", irk_contact_roles, err);
		goto fail;
	}
	if (c->org && (rc = irk_text_check_name(c->org, err))) {
		irk_err_prefix(err, "--org");
		goto fail;
	}
	if (c->notes && (rc = irk_text_check("the notes", c->notes, 4096, err)))
		goto fail;
	for (size_t i = 0; c->channels && c->channels[i]; i++) {
		if (i >= IRK_CONTACT_CHANNELS_MAX) {
			rc = irk_fail(err, IRK_EINVAL, "a contact has at most %d channels",
				      IRK_CONTACT_CHANNELS_MAX);
			goto fail;
		}
		if ((rc = check_channel(c->channels[i], err)))
			goto fail;
		json_array_append_new(chans, json_string(c->channels[i]));
	}
	data = json_pack("{s:s, s:s, s:O}", "name", c->name, "role", c->role, "channels", chans);
	if (c->org)
		json_object_set_new(data, "org", json_string(c->org));
	if (c->notes)
		json_object_set_new(data, "notes", json_string(c->notes));
	snprintf(text, sizeof(text), "contact %s (%s)", c->name, c->role);
	{
		struct irk_append a = { .chain = "", .kind = "contact", .text = text, .data = data };
		rc = irk_logbook_write(cb, id, &a, NULL, err);
	}
	json_decref(data);
fail:
	json_decref(chans);
	return rc;
}

enum irk_code irk_contact_verify(struct irk_casebook *cb, const struct irk_identity *id,
				 const char *name, struct irk_err *err)
{
	json_t *c, *data;
	char text[256];
	enum irk_code rc;

	if ((rc = irk_contact_get(cb->db, NULL, name, &c, err)))
		return rc;
	data = json_pack("{s:O}", "name", json_object_get(c, "name"));
	snprintf(text, sizeof(text), "contact %s verified", json_string_value(json_object_get(c, "name")));
	{
		struct irk_append a = { .chain = "", .kind = "contact.verify", .text = text, .data = data };
		rc = irk_logbook_write(cb, id, &a, NULL, err);
	}
	json_decref(data);
	json_decref(c);
	return rc;
}

enum irk_code irk_contact_list(struct irk_casebook *cb, const char *role, json_t **out,
			       struct irk_err *err)
{
	json_t *all, *c, *arr;
	enum irk_code rc;
	size_t i;

	if (role && irk_list_index(irk_contact_roles, role) < 0)
		return not_in_list("contact role", role, irk_contact_roles, err);
	if ((rc = irk_contact_get(cb->db, NULL, NULL, &all, err)))
		return rc;
	arr = json_array();
	json_array_foreach(all, i, c)
		if (!role || !strcmp(json_string_value(json_object_get(c, "role")), role))
			json_array_append(arr, c);
	json_decref(all);
	*out = arr;
	return IRK_OK;
}

enum irk_code irk_apply_notify(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	const char *name = json_string_value(json_object_get(ctx->e->data, "contact"));
	const char *via = json_string_value(json_object_get(ctx->e->data, "via"));
	json_t *num = json_object_get(ctx->e->data, "notification"), *c;
	enum irk_code rc;
	sqlite3_stmt *st;

	if ((rc = irk_incident_require(ctx, 0, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "record notifications", err)))
		return rc;
	if (!name || !via || irk_list_index(irk_channel_kinds, via) < 0 || !json_is_integer(num))
		return irk_fail(err, IRK_EINVAL, "notify entry of %s is incomplete", ctx->e->chain);
	if ((rc = irk_contact_get(ctx->db, ctx->schema, name, &c, err)))
		return rc;
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "INSERT INTO {db}.notifications(inc, num, contact, role, via, summary, at, by)"
			 " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			 err);
	if (!st) {
		json_decref(c);
		return IRK_EDB;
	}
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, json_integer_value(num));
	sqlite3_bind_text(st, 3, json_string_value(json_object_get(c, "name")), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, json_string_value(json_object_get(c, "role")), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, via, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, ctx->e->text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, ctx->e->at_ms);
	sqlite3_bind_text(st, 8, ctx->actor, -1, SQLITE_STATIC);
	json_decref(c);
	if (irk_db_run(ctx->db, st, err)) {
		irk_err_clear(err);
		return irk_fail(err, IRK_ESTATE, "%s already has a notification %lld", ctx->e->chain,
				(long long)json_integer_value(num));
	}
	return IRK_OK;
}

enum irk_code irk_apply_notify_ack(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	json_t *num = json_object_get(ctx->e->data, "notification");
	enum irk_code rc;

	if ((rc = irk_incident_require(ctx, 0, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "record acknowledgements", err)))
		return rc;
	if (!json_is_integer(num))
		return irk_fail(err, IRK_EINVAL, "a notify.ack entry must name a notification");
	return irk_apply_stamp(ctx,
			       "UPDATE {db}.notifications SET acked=?3 WHERE inc=?1 AND num=?2"
			       " AND acked IS NULL",
			       json_integer_value(num), "unacknowledged notification",
			       "'irk notify list %s' shows its notifications", err);
}

static void copy_when(struct irk_append *a, const struct irk_append *when)
{
	if (!when)
		return;
	a->has_at = when->has_at;
	a->at_ms = when->at_ms;
	a->has_tz = when->has_tz;
	a->tz = when->tz;
}

enum irk_code irk_notify(struct irk_casebook *cb, const struct irk_identity *id, const char *inc,
			 const char *contact, const char *via, const char *summary,
			 const struct irk_append *when, int64_t *num, struct irk_err *err)
{
	struct irk_append a = { .chain = inc, .kind = "notify", .text = summary };
	sqlite3_stmt *st;
	enum irk_code rc;
	json_t *c;

	if (!via || irk_list_index(irk_channel_kinds, via) < 0)
		return not_in_list("channel", via ? via : "", irk_channel_kinds, err);
	if ((rc = irk_text_check("the summary", summary ? summary : "", IRK_TEXT_MAX, err)))
		return rc;
	if ((rc = irk_contact_get(cb->db, NULL, contact, &c, err)))
		return rc;
	if ((rc = irk_db_begin(cb->db, err))) {
		json_decref(c);
		return rc;
	}
	st = irk_db_stmt(cb->db, NULL, "SELECT coalesce(max(num), 0) + 1 FROM notifications WHERE inc=?1",
			 err);
	if (!st) {
		rc = IRK_EDB;
		goto fail;
	}
	sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	sqlite3_step(st);
	*num = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	copy_when(&a, when);
	a.data = json_pack("{s:I, s:O, s:s}", "notification", (json_int_t)*num, "contact",
			   json_object_get(c, "name"), "via", via);
	rc = irk_logbook_append(cb, id, &a, NULL, err);
	json_decref(a.data);
	if (rc)
		goto fail;
	json_decref(c);
	return irk_db_commit(cb->db, err);
fail:
	irk_db_rollback(cb->db);
	json_decref(c);
	return rc;
}

enum irk_code irk_notify_ack(struct irk_casebook *cb, const struct irk_identity *id,
			     const char *inc, int64_t num, const char *text,
			     const struct irk_append *when, struct irk_err *err)
{
	struct irk_append a = { .chain = inc, .kind = "notify.ack" };
	char def[96];
	enum irk_code rc;

	if (text && *text && (rc = irk_text_check("the note", text, IRK_TEXT_MAX, err)))
		return rc;
	snprintf(def, sizeof(def), "notification %lld acknowledged", (long long)num);
	a.text = text && *text ? text : def;
	copy_when(&a, when);
	a.data = json_pack("{s:I}", "notification", (json_int_t)num);
	rc = irk_logbook_write(cb, id, &a, NULL, err);
	json_decref(a.data);
	return rc;
}

static enum irk_code notification_row(sqlite3_stmt *st, json_t *arr, void *arg,
				      struct irk_err *err)
{
	(void)arg;
	(void)err;
	json_array_append_new(
		arr, json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:o}", "inc",
			       irk_db_text(st, 8), "num", (json_int_t)sqlite3_column_int64(st, 0),
			       "contact", irk_db_text(st, 1), "role", irk_db_text(st, 2), "via",
			       irk_db_text(st, 3), "summary", irk_db_text(st, 4), "at",
			       irk_db_time_json(st, 5), "by", irk_db_text(st, 6), "acked",
			       irk_db_time_json(st, 7)));
	return IRK_OK;
}

enum irk_code irk_notify_list(struct irk_casebook *cb, const char *inc, json_t **out,
			      struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(
		cb->db, NULL,
		"SELECT n.num, n.contact, n.role, n.via, n.summary, n.at, coalesce(m.email, n.by), n.acked,"
		" n.inc FROM notifications n LEFT JOIN members m ON m.key = n.by WHERE n.inc=?1 ORDER BY n.num",
		err);

	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	return irk_db_rows_json(cb->db, st, notification_row, NULL, "reading notifications", out,
				err);
}
