/*
 * auth.h - the server's credentials: members' password hashes and API tokens.
 *
 * These are secrets of one server, not part of the record, so they live in
 * tables of their own (http_passwords, http_tokens) beside the log book and
 * are never written into an entry: a copy of the log book handed to someone
 * else must not carry material to attack passwords with.  Passwords are
 * stored as Argon2id strings (libsodium crypto_pwhash_str); tokens as the
 * SHA-256 of their secret half, so the database never holds a usable token.
 *
 * A token reads "irk_<id>_<secret>": id is 8 hex digits naming it in
 * `irk token list/revoke`, secret is 43 base64url characters (32 bytes).
 */
#ifndef IRK_AUTH_H
#define IRK_AUTH_H

#include <jansson.h>
#include <stdint.h>

#include "irk/casebook.h"
#include "irk/member.h"

#define IRK_PASSWORD_MIN 10
#define IRK_PASSWORD_MAX 1024
#define IRK_TOKEN_MAX 80

/* Create the credential tables if missing. */
enum irk_code irk_auth_schema(struct irk_db *db, struct irk_err *err);

/* Set (or replace) the password of member `key` (a key id). */
enum irk_code irk_auth_set_password(struct irk_casebook *cb, const char *key,
				    const char *password, struct irk_err *err);

/* Look up a member by e-mail and check the password; IRK_EKEY when wrong. */
enum irk_code irk_auth_check_password(struct irk_casebook *cb, const char *email,
				      const char *password, struct irk_member *out,
				      struct irk_err *err);

/*
 * Create a token for member `key`, valid for `days` (0: no expiry).  The
 * token is written to `token` (IRK_TOKEN_MAX bytes) and shown only once.
 */
enum irk_code irk_auth_token_create(struct irk_casebook *cb, const char *key, const char *label,
				    int days, char token[IRK_TOKEN_MAX], char id[9],
				    struct irk_err *err);

/* The member a token belongs to; IRK_EKEY if unknown, revoked or expired. */
enum irk_code irk_auth_token_check(struct irk_casebook *cb, const char *token,
				   struct irk_member *out, struct irk_err *err);

/* Tokens as a JSON array: id, member, label, created, expires, revoked (never the secret). */
enum irk_code irk_auth_token_list(struct irk_casebook *cb, json_t **out, struct irk_err *err);

enum irk_code irk_auth_token_revoke(struct irk_casebook *cb, const char *id, struct irk_err *err);

#endif
