/*
 * assess.h - evaluating an incident: is it real, and how big is it
 * (RFC 2196 §5.3: identifying an incident, its scope and impact).
 *
 * An assessment is a JSON object of answers:
 *   real          "yes", "no" or "unknown"
 *   symptoms      [{kind, evidence}], kind one of irk_symptoms
 *   multi_site    bool          hosts        integer >= 0
 *   sensitive     bool          data         [data categories, irk/duty.h]
 *   entry_point   text          press        bool
 *   damage        none, low, moderate, high or severe
 *   time_to_close a span ("2d")  resources    text
 *   override      {severity, reason}  (leads only)
 * Every field is optional except `real`.  irk_assess_rate() turns the
 * answers into a severity and a priority by the rule in docs/HANDLING.md and
 * says why; an "assess" entry records answers and result, and sets the
 * incident's severity (the override's, if given).
 */
#ifndef IRK_ASSESS_H
#define IRK_ASSESS_H

#include <jansson.h>

#include "irk/casebook.h"
#include "irk/kind.h"

/* Largest assessment file accepted. */
#define IRK_ASSESS_FILE_MAX (256 * 1024)

extern const char *const irk_symptoms[];   /* the twelve kinds of §5.3.1 */
extern const char *const irk_damages[];    /* none .. severe */

/*
 * Parse an assessment file's bytes (JSON) and check its answers; `source`
 * names it in errors ("assess.json: line 3: ...").  Fuzzed: untrusted.
 */
enum irk_code irk_assess_parse(const char *text, size_t len, const char *source, json_t **out,
			       struct irk_err *err);

/* Check the answers' shape and values (the rules above). */
enum irk_code irk_assess_check(json_t *answers, struct irk_err *err);

/*
 * Rate checked answers: *severity and *priority ("P1".."P4") point to
 * static strings; *reasons gets a new JSON array of one-line explanations.
 * Ignores any override (the caller applies it).
 */
void irk_assess_rate(json_t *answers, const char **severity, const char **priority,
		     json_t **reasons);

/* Record an assessment of `inc`; *result gets {severity, computed, priority, reasons}. */
enum irk_code irk_assess_record(struct irk_casebook *cb, const struct irk_identity *id,
				const char *inc, json_t *answers, json_t **result,
				struct irk_err *err);

/* The latest assessment of `inc` ({answers, severity, computed, priority, reasons, at, by}). */
enum irk_code irk_assess_get(struct irk_casebook *cb, const char *inc, json_t **out,
			     struct irk_err *err);

enum irk_code irk_apply_assess(const struct irk_apply_ctx *ctx, struct irk_err *err);

extern const char irk_assessments_ddl[];

#endif
