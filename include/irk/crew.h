/*
 * crew.h - who does what in one incident: the lead, communications, the
 * scribe and the technical responders (RFC 2196 §5.1: a skeleton crew with
 * clear roles).
 *
 * A role is given to a member by a "role" entry in the incident's chain;
 * giving it again to someone else is a handover, and the log book keeps
 * both.  Only the incident's current lead, a casebook lead or an admin may
 * hand out roles; the first lead may be taken by any responder.
 */
#ifndef IRK_CREW_H
#define IRK_CREW_H

#include <jansson.h>

#include "irk/casebook.h"
#include "irk/kind.h"

extern const char *const irk_crew_roles[]; /* lead, comms, scribe, tech; NULL-terminated */

/* Give `role` in `inc` to the member `who` (key id, e-mail or name). */
enum irk_code irk_crew_assign(struct irk_casebook *cb, const struct irk_identity *id,
			      const char *inc, const char *role, const char *who,
			      const char *text, struct irk_err *err);

/* The same inside an open transaction (irk_db_begin). */
enum irk_code irk_crew_append(struct irk_casebook *cb, const struct irk_identity *id,
			      const char *inc, const char *role, const char *who,
			      const char *text, struct irk_err *err);

/* The roles of `inc` as a JSON array of {role, key, email, name, since}. */
enum irk_code irk_crew_list(struct irk_casebook *cb, const char *inc, json_t **out,
			    struct irk_err *err);

/*
 * The key id of who holds `role` in `inc` (in `schema`), or "" when nobody
 * does.  For apply functions and the library.
 */
enum irk_code irk_crew_holder(struct irk_db *db, const char *schema, const char *inc,
			      const char *role, char key[IRK_KEYID_HEX], struct irk_err *err);

/* For apply functions: does the entry's author lead its incident, or is a casebook lead? */
int irk_crew_author_leads(const struct irk_apply_ctx *ctx);

enum irk_code irk_apply_role(const struct irk_apply_ctx *ctx, struct irk_err *err);

extern const char irk_crew_ddl[];

#endif
