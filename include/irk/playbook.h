/*
 * playbook.h - prepared procedures for a type of incident (RFC 2196 §5.1:
 * plan before it happens).
 *
 * A playbook is a YAML file: its incident type (category, severity), the
 * tasks of each phase (with the crew role they fall to and a due time from
 * opening), the notification duties it brings (irk/duty.h), and message
 * templates to draft.  docs/HANDLING.md gives the format.  Bundled
 * playbooks live in playbooks/NAME.yml (compiled into the binary); a
 * casebook adds or overrides its own in .irk/playbooks/NAME.yml.
 *
 * A loaded playbook is a checked JSON object:
 *   {name, title, category, severity, summary, source,
 *    tasks: [{title, phase, role, due_s}], duties: [{notify, within_s, clock, why}],
 *    messages: [{name, audience, subject, text}]}
 */
#ifndef IRK_PLAYBOOK_H
#define IRK_PLAYBOOK_H

#include <jansson.h>

#include "irk/casebook.h"
#include "irk/incident.h"
#include "irk/yamldoc.h"

#define IRK_PLAYBOOK_TASKS_MAX 64
#define IRK_PLAYBOOK_DUTIES_MAX 16
#define IRK_PLAYBOOK_MESSAGES_MAX 16

/* The head that playbook and drill scenario files share (strings borrowed from the document). */
struct irk_playbook_head {
	const char *name, *title, *category, *severity;
};

/*
 * Read and check the head at `root`: a name (the file's, `file_name`, when
 * that is not NULL), a title, a known category and severity.
 */
enum irk_code irk_playbook_head(struct irk_yamldoc *y, yaml_node_t *root, const char *file_name,
				struct irk_playbook_head *h, struct irk_err *err);

/*
 * Parse and check a playbook's bytes; `source` names it in errors (with the
 * line); `name` (or NULL) is the name its file says it must have.  Fuzzed.
 */
enum irk_code irk_playbook_parse(const char *text, size_t len, const char *source,
				 const char *name, json_t **out, struct irk_err *err);

/* Load playbook `name`: the casebook's own if it has one, else the bundled one. */
enum irk_code irk_playbook_load(struct irk_casebook *cb, const char *name, json_t **out,
				struct irk_err *err);

/*
 * Every playbook as a JSON array of {name, title, category, severity,
 * source, error}: error is null, or why it does not load.
 */
enum irk_code irk_playbook_list(struct irk_casebook *cb, json_t **out, struct irk_err *err);

/*
 * Open an incident from playbook `name`: its category and severity unless
 * `n` says otherwise; the opener becomes lead; its tasks (to the opener,
 * noting the intended role) and duties are recorded.
 */
enum irk_code irk_playbook_open(struct irk_casebook *cb, const struct irk_identity *id,
				const char *name, const struct irk_incident_new *n,
				char inc[IRK_CHAIN_MAX], struct irk_err *err);

/* Fill message template `message` of the incident's playbook for `inc` into `out`. */
enum irk_code irk_playbook_draft(struct irk_casebook *cb, const char *inc, const char *message,
				 struct irk_buf *out, struct irk_err *err);

#endif
