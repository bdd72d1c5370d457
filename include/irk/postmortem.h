/*
 * postmortem.h - the blameless postmortem of an incident.
 *
 * A postmortem is a JSON document stored as the data of a "postmortem"
 * log-book entry; every edit appends a whole new version (the newest wins),
 * so its history is the log book's.  People write it in a plain-text form
 * with "## " sections (irk_postmortem_parse / irk_postmortem_format, which
 * round-trip), described in docs/REPORTS.md.
 *
 * Shape (v1):
 *   {"v":1,"summary":S,"impact":{"systems":S,"data":S,"people":S,"duration":S,"notes":S},
 *    "detection":S,"response":S,
 *    "factors":[{"text":S,"entries":[seq...],"principles":[P...]}...],
 *    "went_well":S,"lessons":S,
 *    "actions":[{"num":N,"title":S,"owner":EMAIL,"due":UTC,"task":N}...],
 *    "cost":{"rate":R,"currency":S,"hours":[{"hours":H,"what":S}],"other":[{"amount":A,"what":S}]},
 *    "rec_users":S,"rec_projects":S}
 *
 * Contributing factors are several (a single "root cause" draws a warning),
 * each tied to log-book entries and to one or more of the seven principles.
 * Action items are numbered from 1; "action-done" entries close them, and
 * the pm_actions projection keeps due and done times for the metrics.
 */
#ifndef IRK_POSTMORTEM_H
#define IRK_POSTMORTEM_H

#include <jansson.h>

#include "irk/casebook.h"
#include "irk/kind.h"
#include "irk/logbook.h"

#define IRK_POSTMORTEM_MAX (256 * 1024) /* longest postmortem text, in bytes */
#define IRK_PM_ITEMS_MAX 100            /* factors, action items, cost lines: each at most */
#define IRK_PM_ACTION_MAX 400           /* longest action item, in bytes (a task title) */

/* comprehensivity, opportunity, rigor, minimization, compartmentation, fault-tolerance,
 * proportionality */
extern const char *const irk_principles[];

/*
 * Parse the text form.  Fails with IRK_EINVAL naming the line for unknown
 * sections, malformed links, unknown principles, bad dates or numbers.
 * Untrusted input (fuzzed).
 */
enum irk_code irk_postmortem_parse(const char *text, size_t len, json_t **out,
				   struct irk_err *err);

/* The text form of `pm` (or an empty template when pm is NULL), with guidance comments. */
void irk_postmortem_format(const char *inc, json_t *incident, json_t *pm, struct irk_buf *out);

/*
 * Warnings that do not stop saving: a single contributing factor, a factor
 * without principle or entry, action items without owner or due date, and
 * blame language (each names the section and the phrase).  A JSON array of
 * strings (new reference).
 */
json_t *irk_postmortem_warnings(json_t *pm);

/*
 * Check owners and entry links against the casebook, then append a new
 * version.  While the incident is open, each new action item also becomes a
 * task (irk/task.h; "task": N in the item), in the same transaction; an item
 * keeps the task of the same number from the previous version.  Closed
 * incidents take no tasks: their action items are tracked here only.
 * *tasks_made (may be NULL) gets the number of tasks created.
 */
enum irk_code irk_postmortem_save(struct irk_casebook *cb, const struct irk_identity *id,
				  const char *inc, json_t *pm, int *tasks_made,
				  struct irk_entry *out, struct irk_err *err);

/* The newest version (new reference) and its entry seq; IRK_ENOTFOUND when there is none. */
enum irk_code irk_postmortem_get(struct irk_casebook *cb, const char *inc, json_t **pm,
				 int64_t *seq, struct irk_err *err);

/*
 * The newest version as `irk postmortem show --json` prints it (new
 * reference): the postmortem with each action item's "done" (time or
 * null), plus inc, seq, cost_estimate (irk_postmortem_cost), warnings and
 * the incident's stage times.  `incident` (may be NULL) gets the incident.
 */
enum irk_code irk_postmortem_show(struct irk_casebook *cb, const char *inc, json_t **out,
				  json_t **incident, struct irk_err *err);

/* Record that action item `num` is done (at `when`, or now). */
enum irk_code irk_postmortem_action_done(struct irk_casebook *cb, const struct irk_identity *id,
					 const char *inc, int64_t num,
					 const struct irk_append *when, struct irk_err *err);

/*
 * The cost estimate (new reference):
 *   {"responders":[{"who":EMAIL,"hours":H}],"logbook_hours":H,"extra_hours":H,
 *    "hours":H,"rate":R,"labour":L,"other":O,"total":T,"currency":S}
 * Responder hours come from the log book and the tasks: each responder's
 * entries grouped into sessions (gaps of at most IRK_SESSION_GAP_MS), each
 * session from its first entry to its last plus IRK_SESSION_MIN_MS, joined
 * with the spans of the tasks they did (acknowledged → done); overlapping
 * time counts once (docs/REPORTS.md).
 */
#define IRK_SESSION_GAP_MS (2 * 3600 * 1000)
#define IRK_SESSION_MIN_MS (15 * 60 * 1000)
enum irk_code irk_postmortem_cost(struct irk_casebook *cb, const char *inc, json_t *pm,
				  json_t **out, struct irk_err *err);

enum irk_code irk_apply_postmortem(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_action_done(const struct irk_apply_ctx *ctx, struct irk_err *err);

extern const char irk_postmortems_ddl[];

#endif
