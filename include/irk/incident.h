/*
 * incident.h - incidents: opening, finding, phases, closing.
 *
 * An incident's id is INC-<year>-<number>: the number counts up across the
 * whole casebook (so the short form "7" is never ambiguous), the year is the
 * year (UTC) it was opened.  Its log book is the chain named by its id.
 *
 * Phases, in order: detected, triage, contained, eradicated, recovered,
 * closed.  Moving into a phase records its stage time (the first time only,
 * so "time to contain" means the first containment); `closed` is reached
 * only through irk_incident_close() and left only through reopen.
 */
#ifndef IRK_INCIDENT_H
#define IRK_INCIDENT_H

#include <jansson.h>

#include "irk/casebook.h"
#include "irk/kind.h"
#include "irk/logbook.h"

extern const char *const irk_phases[];      /* NULL-terminated, in order */
extern const char *const irk_severities[];  /* low, medium, high, critical */
extern const char *const irk_categories[];
extern const char *const irk_tlps[];
extern const char *const irk_resolutions[];
extern const char *const irk_entry_kinds[]; /* the kinds a person writes: note, action, ... */

/* Index of `s` in a NULL-terminated list, or -1. */
int irk_list_index(const char *const *list, const char *s);
/* "a, b or c" into out. */
void irk_list_join(const char *const *list, struct irk_buf *out);

struct irk_incident_new {
	const char *title;
	const char *category; /* default "other" */
	const char *severity; /* default "medium" */
	const char *tlp;      /* default "amber" */
	const char *playbook; /* NULL or a name */
	int drill;
	int has_detected, has_occurred, has_reported;
	int64_t detected_ms, occurred_ms, reported_ms; /* reported: told to the team */
	const char *text;     /* first entry's text; default "opened: <title>" */
	json_t *extra;        /* borrowed; more data for the open entry, or NULL */
};

enum irk_code irk_incident_open(struct irk_casebook *cb, const struct irk_identity *id,
				const struct irk_incident_new *n, char inc[IRK_CHAIN_MAX],
				struct irk_err *err);

/* Accept "INC-2026-0007", "inc-2026-0007", "7" or "0007". */
enum irk_code irk_incident_resolve(struct irk_casebook *cb, const char *arg,
				   char inc[IRK_CHAIN_MAX], struct irk_err *err);

/* The incident row as a JSON object (fields as in `irk show --json`). */
enum irk_code irk_incident_get(struct irk_casebook *cb, const char *inc, json_t **out,
			       struct irk_err *err);

/* Incidents as a JSON array, newest first; `all` includes closed ones. */
enum irk_code irk_incident_list(struct irk_casebook *cb, int all, json_t **out,
				struct irk_err *err);

/* The incident's entries as a JSON array of {seq, hash, rec, at, tz, by, author, kind, text, data}. */
enum irk_code irk_incident_entries(struct irk_casebook *cb, const char *inc, json_t **out,
				   struct irk_err *err);
/* The same, only the entries with seq > after. */
enum irk_code irk_incident_entries_after(struct irk_casebook *cb, const char *inc, int64_t after,
					 json_t **out, struct irk_err *err);

/* Move to a phase (not "closed"); `when` (may be NULL) gives the time, text and extra data. */
/*
 * A responder takes the incident on: records its "acknowledged" stage time
 * (when->at_ms, or now), once.  The time to acknowledge is a metric
 * (irk stats).
 */
enum irk_code irk_incident_ack(struct irk_casebook *cb, const struct irk_identity *id,
			       const char *inc, const struct irk_append *when, struct irk_err *err);

enum irk_code irk_incident_phase(struct irk_casebook *cb, const struct irk_identity *id,
				 const char *inc, const char *phase, const struct irk_append *when,
				 struct irk_err *err);

enum irk_code irk_incident_close(struct irk_casebook *cb, const struct irk_identity *id,
				 const char *inc, const char *resolution, const char *duplicate_of,
				 const char *text, struct irk_err *err);

/* The same, with `when` giving the time and extra data (as for irk_incident_phase). */
enum irk_code irk_incident_close_when(struct irk_casebook *cb, const struct irk_identity *id,
				      const char *inc, const char *resolution,
				      const char *duplicate_of, const char *text,
				      const struct irk_append *when, struct irk_err *err);

enum irk_code irk_incident_reopen(struct irk_casebook *cb, const struct irk_identity *id,
				  const char *inc, const char *text, struct irk_err *err);

/* Add a correction to entry `seq` (a new entry of kind "amend"). */
enum irk_code irk_incident_amend(struct irk_casebook *cb, const struct irk_identity *id,
				 const char *inc, int64_t seq, const char *text,
				 struct irk_entry *out, struct irk_err *err);

/* For apply functions of any module: the incident must exist (and be open, if asked). */
enum irk_code irk_incident_require(const struct irk_apply_ctx *ctx, int must_be_open,
				   struct irk_err *err);

enum irk_code irk_apply_open(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_incident_ref(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_human(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_amend(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_phase(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_ack(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_close(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_reopen(const struct irk_apply_ctx *ctx, struct irk_err *err);

extern const char irk_incidents_ddl[];

#endif
