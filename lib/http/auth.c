/* auth.c - password hashes and API tokens of the team server; see irk/auth.h. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "irk/auth.h"
#include "irk/hash.h"
#include "irk/text.h"
#include "irk/timefmt.h"

static const char auth_ddl[] =
	"CREATE TABLE IF NOT EXISTS http_passwords("
	"  member TEXT PRIMARY KEY,"
	"  hash TEXT NOT NULL,"
	"  set_at INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS http_tokens("
	"  id TEXT PRIMARY KEY,"
	"  member TEXT NOT NULL,"
	"  label TEXT NOT NULL,"
	"  secret_sha256 TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  expires INTEGER,"
	"  revoked INTEGER);";

enum irk_code irk_auth_schema(struct irk_db *db, struct irk_err *err)
{
	return irk_db_exec(db, NULL, auth_ddl, err);
}

static enum irk_code password_check_shape(const char *password, struct irk_err *err)
{
	size_t n = strlen(password);

	if (n < IRK_PASSWORD_MIN)
		return irk_fail(err, IRK_EINVAL, "the password is shorter than %d characters",
				IRK_PASSWORD_MIN);
	if (n > IRK_PASSWORD_MAX)
		return irk_fail(err, IRK_EINVAL, "the password is longer than %d bytes",
				IRK_PASSWORD_MAX);
	return irk_text_check("the password", password, IRK_PASSWORD_MAX, err);
}

enum irk_code irk_auth_set_password(struct irk_casebook *cb, const char *key,
				    const char *password, struct irk_err *err)
{
	char hash[crypto_pwhash_STRBYTES];
	sqlite3_stmt *st;
	enum irk_code rc;

	if ((rc = password_check_shape(password, err)) || (rc = irk_auth_schema(cb->db, err)))
		return rc;
	if (sodium_init() < 0 ||
	    crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return irk_fail(err, IRK_EINTERNAL, "hashing the password failed (out of memory?)");
	st = irk_db_stmt(cb->db, NULL,
			 "INSERT INTO http_passwords(member, hash, set_at) VALUES(?1, ?2, ?3)"
			 " ON CONFLICT(member) DO UPDATE SET hash=excluded.hash, set_at=excluded.set_at",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, irk_now_ms());
	rc = irk_db_run(cb->db, st, err);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

enum irk_code irk_auth_check_password(struct irk_casebook *cb, const char *email,
				      const char *password, struct irk_member *out,
				      struct irk_err *err)
{
	struct irk_err sub = IRK_ERR_INIT;
	sqlite3_stmt *st;
	char hash[crypto_pwhash_STRBYTES] = "";
	int r, ok;

	if (irk_auth_schema(cb->db, err))
		return IRK_EDB;
	if (strlen(password) > IRK_PASSWORD_MAX ||
	    irk_member_find(cb->db, NULL, email, out, &sub) != IRK_OK || strcmp(out->email, email))
		goto wrong;
	st = irk_db_stmt(cb->db, NULL, "SELECT hash FROM http_passwords WHERE member=?1", err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, out->keyid, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		snprintf(hash, sizeof(hash), "%s", irk_db_text(st, 0));
	sqlite3_reset(st);
	if (r != SQLITE_ROW)
		goto wrong;
	ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	if (ok)
		return IRK_OK;
wrong:
	memset(out, 0, sizeof(*out));
	return irk_fail(err, IRK_EKEY, "wrong e-mail or password");
}

static void b64url(const uint8_t *bin, size_t len, char *out)
{
	char tmp[128];

	irk_b64(bin, len, tmp);
	for (size_t i = 0, j = 0;; i++) {
		char c = tmp[i];
		if (c == '=' || !c) {
			out[j] = '\0';
			break;
		}
		out[j++] = c == '+' ? '-' : c == '/' ? '_' : c;
	}
}

enum irk_code irk_auth_token_create(struct irk_casebook *cb, const char *key, const char *label,
				    int days, char token[IRK_TOKEN_MAX], char id[9],
				    struct irk_err *err)
{
	uint8_t idb[4], secret[32], sum[IRK_SHA256_LEN];
	char secret_txt[64], sum_hex[IRK_SHA256_HEX];
	int64_t now = irk_now_ms();
	sqlite3_stmt *st;
	enum irk_code rc;

	if ((rc = irk_text_check_name(label, err)) || (rc = irk_auth_schema(cb->db, err)))
		return rc;
	if (days < 0 || days > 3650)
		return irk_fail(err, IRK_EINVAL, "a token lives 0 (no expiry) to 3650 days, not %d", days);
	randombytes_buf(idb, sizeof(idb));
	randombytes_buf(secret, sizeof(secret));
	irk_hex(idb, sizeof(idb), id);
	b64url(secret, sizeof(secret), secret_txt);
	snprintf(token, IRK_TOKEN_MAX, "irk_%s_%s", id, secret_txt);
	irk_sha256(secret_txt, strlen(secret_txt), sum);
	irk_hex(sum, sizeof(sum), sum_hex);
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(secret_txt, sizeof(secret_txt));
	st = irk_db_stmt(cb->db, NULL,
			 "INSERT INTO http_tokens(id, member, label, secret_sha256, created, expires)"
			 " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, label, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, sum_hex, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	if (days)
		sqlite3_bind_int64(st, 6, now + (int64_t)days * 86400000);
	return irk_db_run(cb->db, st, err);
}

enum irk_code irk_auth_token_check(struct irk_casebook *cb, const char *token,
				   struct irk_member *out, struct irk_err *err)
{
	char id[9], member[IRK_KEYID_HEX] = "";
	const char *secret;
	uint8_t sum[IRK_SHA256_LEN];
	char sum_hex[IRK_SHA256_HEX];
	sqlite3_stmt *st;
	int r, revoked = 0, expired = 0, match = 0;

	memset(out, 0, sizeof(*out));
	if (strlen(token) >= IRK_TOKEN_MAX || strncmp(token, "irk_", 4) || strlen(token) < 14 ||
	    token[12] != '_')
		return irk_fail(err, IRK_EKEY, "the API token is malformed");
	memcpy(id, token + 4, 8);
	id[8] = '\0';
	secret = token + 13;
	if (irk_auth_schema(cb->db, err))
		return IRK_EDB;
	irk_sha256(secret, strlen(secret), sum);
	irk_hex(sum, sizeof(sum), sum_hex);
	st = irk_db_stmt(cb->db, NULL,
			 "SELECT member, secret_sha256, revoked IS NOT NULL,"
			 " expires IS NOT NULL AND expires < ?2 FROM http_tokens WHERE id=?1",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, irk_now_ms());
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		snprintf(member, sizeof(member), "%s", irk_db_text(st, 0));
		match = sodium_memcmp(irk_db_text(st, 1), sum_hex, 64) == 0;
		revoked = sqlite3_column_int(st, 2);
		expired = sqlite3_column_int(st, 3);
	}
	sqlite3_reset(st);
	if (!match)
		return irk_fail(err, IRK_EKEY, "the API token is not known");
	if (revoked)
		return irk_fail(err, IRK_EKEY, "the API token %s was revoked", id);
	if (expired)
		return irk_fail(err, IRK_EKEY, "the API token %s has expired", id);
	if (irk_member_find(cb->db, NULL, member, out, err))
		return irk_fail(err, IRK_EKEY, "the API token %s belongs to a former member", id);
	return IRK_OK;
}

enum irk_code irk_auth_token_list(struct irk_casebook *cb, json_t **out, struct irk_err *err)
{
	sqlite3_stmt *st;
	json_t *arr;
	int r;

	if (irk_auth_schema(cb->db, err))
		return IRK_EDB;
	st = irk_db_stmt(cb->db, NULL,
			 "SELECT t.id, t.member, coalesce(m.email, ''), t.label, t.created, t.expires,"
			 " t.revoked FROM http_tokens t LEFT JOIN members m ON m.key = t.member"
			 " ORDER BY t.created, t.id",
			 err);
	if (!st)
		return IRK_EDB;
	arr = json_array();
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		char created[IRK_TIME_MAX], when[IRK_TIME_MAX];
		json_t *o;

		irk_time_utc(sqlite3_column_int64(st, 4), 0, created);
		o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", irk_db_text(st, 0), "member",
			      irk_db_text(st, 1), "email", irk_db_text(st, 2), "label",
			      irk_db_text(st, 3), "created", created);
		if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
			irk_time_utc(sqlite3_column_int64(st, 5), 0, when);
			json_object_set_new(o, "expires", json_string(when));
		} else {
			json_object_set_new(o, "expires", json_null());
		}
		if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
			irk_time_utc(sqlite3_column_int64(st, 6), 0, when);
			json_object_set_new(o, "revoked", json_string(when));
		} else {
			json_object_set_new(o, "revoked", json_null());
		}
		json_array_append_new(arr, o);
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		json_decref(arr);
		return irk_db_fail(cb->db, err, "reading tokens");
	}
	*out = arr;
	return IRK_OK;
}

enum irk_code irk_auth_token_revoke(struct irk_casebook *cb, const char *id, struct irk_err *err)
{
	sqlite3_stmt *st;
	enum irk_code rc;

	if ((rc = irk_auth_schema(cb->db, err)))
		return rc;
	st = irk_db_stmt(cb->db, NULL,
			 "UPDATE http_tokens SET revoked=coalesce(revoked, ?2) WHERE id=?1", err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, irk_now_ms());
	if ((rc = irk_db_run(cb->db, st, err)))
		return rc;
	if (sqlite3_changes(irk_db_handle(cb->db)) != 1) {
		irk_fail(err, IRK_ENOTFOUND, "no token with id '%s'", id);
		irk_hint(err, "see 'irk token list'");
		return IRK_ENOTFOUND;
	}
	return IRK_OK;
}
