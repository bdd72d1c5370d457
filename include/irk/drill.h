/*
 * drill.h - tabletop exercises: rehearse the response on a made-up incident.
 *
 * A scenario (bundled YAML in playbooks/drills/NAME.yml) has a title, the
 * incident type, an optional playbook, a briefing for the players and a list
 * of injects - new facts the facilitator releases as the exercise goes on.
 * `irk drill start` opens an incident flagged as an exercise (drill=1: shown
 * as such everywhere, left out of `irk due` and real metrics by default) and
 * records a "drill.start" entry holding the briefing and every inject, so the
 * exercise never depends on the scenario file again.  "drill.inject" entries
 * release them in order.  The report measures time to each stage.
 */
#ifndef IRK_DRILL_H
#define IRK_DRILL_H

#include <jansson.h>

#include "irk/casebook.h"
#include "irk/kind.h"

#define IRK_DRILL_INJECTS_MAX 32

/* Parse and check a scenario file; `name` (or NULL) is what its file name says.  Fuzzed. */
enum irk_code irk_scenario_parse(const char *text, size_t len, const char *source,
				 const char *name, json_t **out, struct irk_err *err);

/* The bundled scenarios: [{name, title, category, severity, playbook, injects, error}]. */
enum irk_code irk_scenario_list(json_t **out, struct irk_err *err);

/* Open an exercise incident from scenario `name`; *briefing (owned) gets its briefing. */
enum irk_code irk_drill_start(struct irk_casebook *cb, const struct irk_identity *id,
			      const char *name, char inc[IRK_CHAIN_MAX], json_t **scenario,
			      struct irk_err *err);

/* Release the next inject of exercise `inc`; *inject gets {num, of, text}. */
enum irk_code irk_drill_inject(struct irk_casebook *cb, const struct irk_identity *id,
			       const char *inc, json_t **inject, struct irk_err *err);

/*
 * How the exercise went: {inc, scenario, started, injects: [{num, after_s,
 * text, released}], stages: {name: seconds from opening or null},
 * first_task_ack_s, first_notification_s, tasks: {total, done}}.
 */
enum irk_code irk_drill_report(struct irk_casebook *cb, const char *inc, json_t **out,
			       struct irk_err *err);

enum irk_code irk_apply_drill_start(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_drill_inject(const struct irk_apply_ctx *ctx, struct irk_err *err);

extern const char irk_drills_ddl[];

#endif
