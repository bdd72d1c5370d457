/* member.c - members and roles; see irk/member.h. */
#include <stdio.h>
#include <string.h>

#include "irk/hash.h"
#include "irk/logbook.h"
#include "irk/member.h"
#include "irk/text.h"

const char irk_members_ddl[] =
	"CREATE TABLE IF NOT EXISTS {db}.members("
	"  key TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  email TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL,"
	"  pubkey TEXT NOT NULL,"
	"  added INTEGER NOT NULL);"
	/* Members whose key is a team server's: it may sign on behalf of others. */
	"CREATE TABLE IF NOT EXISTS {db}.member_servers(key TEXT PRIMARY KEY);";

static const char *const role_names[] = { "none", "viewer", "responder", "lead", "admin" };

const char *irk_role_name(enum irk_role r)
{
	return (unsigned)r <= IRK_ROLE_ADMIN ? role_names[r] : "none";
}

enum irk_role irk_role_parse(const char *s)
{
	for (int r = IRK_ROLE_VIEWER; r <= IRK_ROLE_ADMIN; r++)
		if (!strcmp(s, role_names[r]))
			return (enum irk_role)r;
	return IRK_ROLE_NONE;
}

static enum irk_code row_member(sqlite3_stmt *st, struct irk_member *m, struct irk_err *err)
{
	const char *pk = irk_db_text(st, 4);

	memset(m, 0, sizeof(*m));
	snprintf(m->keyid, sizeof(m->keyid), "%s", irk_db_text(st, 0));
	snprintf(m->name, sizeof(m->name), "%s", irk_db_text(st, 1));
	snprintf(m->email, sizeof(m->email), "%s", irk_db_text(st, 2));
	m->role = irk_role_parse(irk_db_text(st, 3));
	m->server = sqlite3_column_int(st, 5);
	if (irk_unb64(pk, strlen(pk), m->pk, sizeof(m->pk)) != IRK_PK_LEN)
		return irk_fail(err, IRK_EDB, "member %s has a damaged public key", m->email);
	return IRK_OK;
}

#define MEMBER_COLS                                                          \
	"SELECT key, name, email, role, pubkey,"                             \
	" key IN (SELECT key FROM {db}.member_servers) FROM {db}.members"

/* A key id: 16 lower-case hex digits (what every entry's "by" holds). */
static int is_keyid(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");
	return n == IRK_KEYID_HEX - 1 && !s[n];
}

static const char member_by_key[] = MEMBER_COLS " WHERE key=?1";
static const char member_by_name[] =
	MEMBER_COLS " WHERE email=?1 OR name=?1 ORDER BY email=?1 DESC LIMIT 1";

enum irk_code irk_member_find(struct irk_db *db, const char *schema, const char *who,
			      struct irk_member *out, struct irk_err *err)
{
	/* By key id first (the primary key, the common case in apply functions),
	   then by e-mail or name, which may look like a key id. */
	const char *sql = is_keyid(who) ? member_by_key : member_by_name;
	sqlite3_stmt *st;
	enum irk_code rc;
	int r;

	for (;;) {
		if (!(st = irk_db_stmt(db, schema, sql, err)))
			return IRK_EDB;
		sqlite3_bind_text(st, 1, who, -1, SQLITE_STATIC);
		r = sqlite3_step(st);
		if (r != SQLITE_DONE || sql == member_by_name)
			break;
		sqlite3_reset(st);
		sql = member_by_name;
	}
	if (r != SQLITE_ROW) {
		sqlite3_reset(st);
		if (r != SQLITE_DONE)
			return irk_db_fail(db, err, "reading members");
		irk_fail(err, IRK_ENOTFOUND, "'%s' is not a member of this casebook", who);
		irk_hint(err, "see 'irk member list'; an admin adds members with 'irk member add'");
		return IRK_ENOTFOUND;
	}
	rc = row_member(st, out, err);
	sqlite3_reset(st);
	return rc;
}

/* Find the member `key` for an apply function: IRK_EKEY when it is none. */
static enum irk_code find_signer(const struct irk_apply_ctx *ctx, const char *key, const char *action,
				 struct irk_member *m, struct irk_err *err)
{
	struct irk_err sub = IRK_ERR_INIT;

	if (irk_member_find(ctx->db, ctx->schema, key, m, &sub) == IRK_OK)
		return IRK_OK;
	if (sub.code != IRK_ENOTFOUND)
		return irk_fail(err, sub.code, "%s", sub.msg);
	irk_fail(err, IRK_EKEY, "key %s is not a member of this casebook, so it cannot %s", key, action);
	irk_hint(err, "ask an admin to run 'irk member add' with the key 'irk id' shows");
	return IRK_EKEY;
}

enum irk_code irk_member_actor(struct irk_apply_ctx *ctx, struct irk_err *err)
{
	json_t *obo = json_object_get(ctx->e->data, "on_behalf_of");
	const char *key = json_string_value(json_object_get(obo, "key"));
	struct irk_member server, actor;
	enum irk_code rc;

	if (!obo) {
		snprintf(ctx->actor, sizeof(ctx->actor), "%s", ctx->e->by);
		return IRK_OK;
	}
	if (!key)
		return irk_fail(err, IRK_EINVAL, "the entry's on_behalf_of names no member key");
	if ((rc = find_signer(ctx, ctx->e->by, "sign on behalf of another member", &server, err)))
		return rc;
	if (!server.server) {
		irk_fail(err, IRK_EPERM,
			 "%s signed on behalf of %s but is not a team server of this casebook",
			 server.email, key);
		irk_hint(err, "only a key an admin added with 'irk member add --server' may do that");
		return IRK_EPERM;
	}
	if ((rc = find_signer(ctx, key, "act through the team server", &actor, err)))
		return rc;
	snprintf(ctx->actor, sizeof(ctx->actor), "%s", actor.keyid);
	return IRK_OK;
}

enum irk_code irk_member_require(const struct irk_apply_ctx *ctx, enum irk_role min,
				 const char *action, struct irk_err *err)
{
	struct irk_member m;
	enum irk_code rc;

	/* The signer's role is a ceiling on what a server may do for anyone. */
	if ((rc = find_signer(ctx, ctx->e->by, action, &m, err)))
		return rc;
	if (m.role >= min && strcmp(ctx->actor, ctx->e->by))
		if ((rc = find_signer(ctx, ctx->actor, action, &m, err)))
			return rc;
	if (m.role < min)
		return irk_fail(err, IRK_EPERM, "%s is a %s and cannot %s (needs %s or above)", m.email,
				irk_role_name(m.role), action, irk_role_name(min));
	return IRK_OK;
}

/* Insert or update a member from a JSON object {key,name,email,role,pubkey}. */
static enum irk_code upsert(const struct irk_apply_ctx *ctx, json_t *m, struct irk_err *err)
{
	const char *key = json_string_value(json_object_get(m, "key"));
	const char *name = json_string_value(json_object_get(m, "name"));
	const char *email = json_string_value(json_object_get(m, "email"));
	const char *role = json_string_value(json_object_get(m, "role"));
	const char *pub = json_string_value(json_object_get(m, "pubkey"));
	uint8_t pk[IRK_PK_LEN];
	char keyid[IRK_KEYID_HEX];
	sqlite3_stmt *st;

	if (!key || !name || !email || !role || !pub || irk_role_parse(role) == IRK_ROLE_NONE ||
	    irk_unb64(pub, strlen(pub), pk, sizeof(pk)) != IRK_PK_LEN)
		return irk_fail(err, IRK_EINVAL, "member record is incomplete or malformed");
	irk_keyid(pk, keyid);
	if (strcmp(keyid, key))
		return irk_fail(err, IRK_EINVAL, "member record's key id does not match its public key");
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "INSERT INTO {db}.members(key, name, email, role, pubkey, added)"
			 " VALUES(?1, ?2, ?3, ?4, ?5, ?6)"
			 " ON CONFLICT(key) DO UPDATE SET name=excluded.name, role=excluded.role",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, role, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, pub, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, ctx->e->at_ms);
	if (irk_db_run(ctx->db, st, err)) {
		irk_err_clear(err);
		return irk_fail(err, IRK_ESTATE, "another member already uses the e-mail %s", email);
	}
	st = irk_db_stmt(ctx->db, ctx->schema,
			 json_is_true(json_object_get(m, "server"))
				 ? "INSERT OR IGNORE INTO {db}.member_servers(key) VALUES(?1)"
				 : "DELETE FROM {db}.member_servers WHERE key=?1",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	return irk_db_run(ctx->db, st, err);
}

enum irk_code irk_apply_init(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	json_t *m = json_object_get(ctx->e->data, "member");

	if (ctx->e->seq != 1)
		return irk_fail(err, IRK_ETAMPER, "an init entry may only start the casebook chain");
	if (!json_is_object(m) || strcmp(json_string_value(json_object_get(m, "key")) ?: "", ctx->e->by))
		return irk_fail(err, IRK_ETAMPER, "the init entry must be signed by the member it names");
	return upsert(ctx, m, err);
}

enum irk_code irk_apply_member(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	enum irk_code rc = irk_member_require(ctx, IRK_ROLE_ADMIN, "manage members", err);
	return rc ? rc : upsert(ctx, ctx->e->data, err);
}

enum irk_code irk_member_add(struct irk_casebook *cb, const struct irk_identity *by,
			     const char *vkey, const char *name, enum irk_role role, int server,
			     struct irk_member *out, struct irk_err *err)
{
	char email[IRK_NAME_MAX], keyid[IRK_KEYID_HEX], pub[64], text[512];
	uint8_t pk[IRK_PK_LEN];
	enum irk_code rc;
	json_t *data;

	if ((rc = irk_vkey_parse(vkey, email, pk, err)))
		return rc;
	if (role == IRK_ROLE_NONE)
		return irk_fail(err, IRK_EINVAL, "unknown role (use viewer, responder, lead or admin)");
	if (!name || !*name)
		name = email;
	if ((rc = irk_text_check_name(name, err)))
		return rc;
	irk_keyid(pk, keyid);
	irk_b64(pk, sizeof(pk), pub);
	data = json_pack("{s:s, s:s, s:s, s:s, s:s}", "key", keyid, "name", name, "email", email,
			 "role", irk_role_name(role), "pubkey", pub);
	if (server)
		json_object_set_new(data, "server", json_true());
	snprintf(text, sizeof(text), "member %s <%s> as %s%s", name, email, irk_role_name(role),
		 server ? " (team server)" : "");
	{
		struct irk_append a = { .chain = "", .kind = "member", .text = text, .data = data };
		rc = irk_logbook_write(cb, by, &a, NULL, err);
	}
	json_decref(data);
	if (rc)
		return rc;
	return out ? irk_member_find(cb->db, "main", keyid, out, err) : IRK_OK;
}

static enum irk_code member_row(sqlite3_stmt *st, json_t *arr, void *arg, struct irk_err *err)
{
	struct irk_buf vkey = IRK_BUF_INIT;
	struct irk_member m;

	(void)arg;
	if (row_member(st, &m, err))
		return IRK_EDB;
	irk_vkey_format(m.email, m.pk, &vkey);
	json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "key", m.keyid, "name",
					     m.name, "email", m.email, "role", irk_role_name(m.role),
					     "vkey", vkey.buf, "server", m.server));
	irk_buf_release(&vkey);
	return IRK_OK;
}

enum irk_code irk_member_list(struct irk_casebook *cb, json_t **out, struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(cb->db, NULL, MEMBER_COLS " ORDER BY added, email", err);

	return st ? irk_db_rows_json(cb->db, st, member_row, NULL, "reading members", out, err)
		  : IRK_EDB;
}
