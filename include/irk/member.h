/*
 * member.h - the responders of a casebook and their roles.
 *
 * Roles, weakest first: viewer (reads), responder (writes entries and
 * tasks), lead (changes phases, approves messages), admin (manages members).
 * A member is recorded by a "member" entry in the casebook chain, signed by
 * an admin; the first admin is the creator, recorded by the "init" entry.
 */
#ifndef IRK_MEMBER_H
#define IRK_MEMBER_H

#include <jansson.h>

#include "irk/casebook.h"
#include "irk/kind.h"

enum irk_role { IRK_ROLE_NONE = 0, IRK_ROLE_VIEWER, IRK_ROLE_RESPONDER, IRK_ROLE_LEAD, IRK_ROLE_ADMIN };

struct irk_member {
	char keyid[IRK_KEYID_HEX];
	char name[IRK_NAME_MAX];
	char email[IRK_NAME_MAX];
	enum irk_role role;
	uint8_t pk[IRK_PK_LEN];
	int server; /* a team server's key: may sign on behalf of other members */
};

const char *irk_role_name(enum irk_role r);
enum irk_role irk_role_parse(const char *s); /* IRK_ROLE_NONE if unknown */

/*
 * Add a member, or change an existing member's role or name (by key).
 * `server` marks the key as a team server's (irk serve --key): entries it
 * signs act for the member named in their data.on_behalf_of.  Adding the
 * key again without it takes that power away.
 */
enum irk_code irk_member_add(struct irk_casebook *cb, const struct irk_identity *by,
			     const char *vkey, const char *name, enum irk_role role, int server,
			     struct irk_member *out, struct irk_err *err);

/*
 * Find a member by key id, e-mail or name (in that order) in `schema`.
 * IRK_ENOTFOUND with a hint when there is none.
 */
enum irk_code irk_member_find(struct irk_db *db, const char *schema, const char *who,
			      struct irk_member *out, struct irk_err *err);

/* The JSON array of all members (key, name, email, role, vkey). */
enum irk_code irk_member_list(struct irk_casebook *cb, json_t **out, struct irk_err *err);

/*
 * For irk_kind_apply: set ctx->actor (see irk/kind.h), refusing an entry
 * with data.on_behalf_of unless its signer is a team server and the member
 * it names exists.
 */
enum irk_code irk_member_actor(struct irk_apply_ctx *ctx, struct irk_err *err);
/*
 * For apply functions: refuse unless the entry's signer and the member it
 * acts for (ctx->actor) are members with at least `min` role.  `action`
 * names what was attempted ("open an incident").
 */
enum irk_code irk_member_require(const struct irk_apply_ctx *ctx, enum irk_role min,
				 const char *action, struct irk_err *err);

enum irk_code irk_apply_init(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_member(const struct irk_apply_ctx *ctx, struct irk_err *err);

extern const char irk_members_ddl[];

#endif
