/*
 * contact.h - the people and organisations outside the crew who may have to
 * be told (RFC 2196 §5.2: points of contact), and the record of telling them.
 *
 * A contact (casebook chain, "contact" entry) has a name, a role
 * (management, legal, pr, law-enforcement, irt, isp-abuse, vendor,
 * affected-site, regulator), channels ("email:soc@example.org",
 * "phone:+49 30 1234") and the date its details were last verified
 * ("contact.verify").  A notification (incident chain, "notify") records who
 * was told what, how and when; "notify.ack" records that they acknowledged.
 */
#ifndef IRK_CONTACT_H
#define IRK_CONTACT_H

#include <jansson.h>
#include <stdint.h>

#include "irk/casebook.h"
#include "irk/kind.h"

extern const char *const irk_contact_roles[];  /* NULL-terminated */
extern const char *const irk_channel_kinds[];  /* email, phone, ...; NULL-terminated */

/* Longest list of channels of one contact. */
#define IRK_CONTACT_CHANNELS_MAX 16

struct irk_contact_new {
	const char *name;           /* one line; how the contact is named later */
	const char *role;
	const char *org;            /* NULL or one line */
	const char *const *channels; /* "kind:address", NULL-terminated; may be NULL */
	const char *notes;          /* NULL or text */
};

/* Add a contact, or replace the details of the one with the same name. */
enum irk_code irk_contact_add(struct irk_casebook *cb, const struct irk_identity *id,
			      const struct irk_contact_new *c, struct irk_err *err);
/* Record that the contact's details were checked today. */
enum irk_code irk_contact_verify(struct irk_casebook *cb, const struct irk_identity *id,
				 const char *name, struct irk_err *err);
/* Contacts as a JSON array of {name, role, org, channels, notes, added, verified}. */
enum irk_code irk_contact_list(struct irk_casebook *cb, const char *role, json_t **out,
			       struct irk_err *err);
/* The contact named `name` (case-insensitive) as JSON; IRK_ENOTFOUND with a hint otherwise. */
enum irk_code irk_contact_get(struct irk_db *db, const char *schema, const char *name,
			      json_t **out, struct irk_err *err);

/* Record that `contact` was told `summary` via `via` (a channel kind); *num gets its number. */
enum irk_code irk_notify(struct irk_casebook *cb, const struct irk_identity *id, const char *inc,
			 const char *contact, const char *via, const char *summary,
			 const struct irk_append *when, int64_t *num, struct irk_err *err);
/* Record the contact's acknowledgement of notification `num`. */
enum irk_code irk_notify_ack(struct irk_casebook *cb, const struct irk_identity *id,
			     const char *inc, int64_t num, const char *text,
			     const struct irk_append *when, struct irk_err *err);
/* An incident's notifications: {num, contact, role, via, summary, at, by, acked}. */
enum irk_code irk_notify_list(struct irk_casebook *cb, const char *inc, json_t **out,
			      struct irk_err *err);

enum irk_code irk_apply_contact(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_contact_verify(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_notify(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_notify_ack(const struct irk_apply_ctx *ctx, struct irk_err *err);

extern const char irk_contacts_ddl[];
extern const char irk_notifications_ddl[];

#endif
