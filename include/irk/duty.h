/*
 * duty.h - notification duties: who must be told about an incident, and by
 * when.
 *
 * A duty names a contact role (irk/contact.h), a time allowed and the stage
 * time that starts its clock ("detected" - when the organisation became
 * aware -, "reported", "acknowledged", "opened", ...).  Duties come from two
 * places:
 *  - the casebook's rules (irk_duty_rules below, documented in
 *    docs/HANDLING.md), matched against the incident's severity, category
 *    and the data categories its assessment found ("personal" data involved
 *    means the regulator within 72 hours of awareness);
 *  - the playbook the incident was opened from, recorded as "duty" entries.
 * A duty is met by the first notification (irk/contact.h) to a contact of
 * its role.  When both sources ask for the same role, the earlier deadline
 * counts.
 */
#ifndef IRK_DUTY_H
#define IRK_DUTY_H

#include <jansson.h>
#include <stdint.h>

#include "irk/casebook.h"
#include "irk/kind.h"

struct irk_duty_rule {
	const char *id;
	const char *sev_min, *sev_max;   /* NULL: no bound */
	const char *const *categories;   /* NULL: any category */
	const char *data;                /* NULL, or a data category that must be involved */
	const char *notify;              /* contact role */
	int64_t within_s;
	const char *clock;               /* stage time that starts the clock */
	const char *why;
};

extern const struct irk_duty_rule irk_duty_rules[]; /* ends with a NULL id */
extern const char *const irk_duty_clocks[];          /* stage names a clock may start at */
extern const char *const irk_data_categories[];      /* personal, special, financial, ... */

/* Record a duty for `inc` inside an open transaction ("duty" entry). */
enum irk_code irk_duty_append(struct irk_casebook *cb, const struct irk_identity *id,
			      const char *inc, const char *role, int64_t within_s,
			      const char *clock, const char *why, const char *source,
			      struct irk_err *err);

/*
 * The duties of `inc` as a JSON array of {inc, role, why, source, clock,
 * within, clock_started, deadline, status, met_by}; status is "met", "late"
 * (met after the deadline), "open", "overdue" or "waiting" (its clock has
 * not started), judged at `now_ms`.
 */
enum irk_code irk_duty_list(struct irk_casebook *cb, const char *inc, int64_t now_ms,
			    json_t **out, struct irk_err *err);

enum irk_code irk_apply_duty(const struct irk_apply_ctx *ctx, struct irk_err *err);

extern const char irk_duties_ddl[];

#endif
