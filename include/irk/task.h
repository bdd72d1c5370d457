/*
 * task.h - the clear asks of an incident: who does what, in which phase, by
 * when.
 *
 * A task belongs to one incident and has a number there (1, 2, ...), an
 * owner (a member), a phase and an optional due time.  The owner
 * acknowledges it with an ETA ("about 5 minutes"), which is how the lead
 * knows someone is on it; it ends done or cancelled.  Each step is an entry
 * in the incident's chain: task.add, task.ack, task.done, task.cancel, and
 * task.assign when a task changes hands (it then waits for the new owner's
 * acknowledgement).
 *
 * Rules: tasks are added to open incidents only; only the owner may
 * acknowledge; the owner or a lead (the incident's, or any casebook lead)
 * may mark it done or give it to someone else; its creator or a lead may
 * cancel it.
 */
#ifndef IRK_TASK_H
#define IRK_TASK_H

#include <jansson.h>
#include <stdint.h>

#include "irk/casebook.h"
#include "irk/kind.h"

struct irk_task_new {
	const char *title;  /* one line */
	const char *owner;  /* key id, e-mail or name; NULL = whoever adds it */
	const char *phase;  /* NULL = the incident's current phase */
	int has_due;
	int64_t due_ms;
	const char *from;   /* NULL, or where it came from ("playbook ransomware") */
};

/* Add a task inside an open transaction (irk_db_begin); *num gets its number. */
enum irk_code irk_task_append(struct irk_casebook *cb, const struct irk_identity *id,
			      const char *inc, const struct irk_task_new *t, int64_t *num,
			      struct irk_err *err);
/* The same as one durable entry. */
enum irk_code irk_task_add(struct irk_casebook *cb, const struct irk_identity *id,
			   const char *inc, const struct irk_task_new *t, int64_t *num,
			   struct irk_err *err);

/* The owner acknowledges, expecting to finish `eta_s` seconds from now. */
enum irk_code irk_task_ack(struct irk_casebook *cb, const struct irk_identity *id,
			   const char *inc, int64_t num, int64_t eta_s, const char *text,
			   struct irk_err *err);
/* Give the task to another member (its owner or a lead may). */
enum irk_code irk_task_assign(struct irk_casebook *cb, const struct irk_identity *id,
			      const char *inc, int64_t num, const char *owner, const char *text,
			      struct irk_err *err);
enum irk_code irk_task_done(struct irk_casebook *cb, const struct irk_identity *id,
			    const char *inc, int64_t num, const char *text, struct irk_err *err);
enum irk_code irk_task_cancel(struct irk_casebook *cb, const struct irk_identity *id,
			      const char *inc, int64_t num, const char *reason,
			      struct irk_err *err);

/*
 * Tasks as a JSON array of {inc, num, title, owner, owner_email, phase,
 * state, created, due, acked, eta, finished, overdue, unacknowledged}
 * (times in UTC or null; overdue/unacknowledged judged at `now_ms`).
 * `inc` NULL lists every incident's; `all` includes done and cancelled ones.
 */
enum irk_code irk_task_list(struct irk_casebook *cb, const char *inc, int all, int64_t now_ms,
			    json_t **out, struct irk_err *err);

/* "acked, ETA 14:35" style one-line status of a task object from irk_task_list. */
void irk_task_status(json_t *task, int64_t now_ms, struct irk_buf *out);

enum irk_code irk_apply_task_add(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_task_ack(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_task_assign(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_task_done(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_task_cancel(const struct irk_apply_ctx *ctx, struct irk_err *err);

extern const char irk_tasks_ddl[];

#endif
