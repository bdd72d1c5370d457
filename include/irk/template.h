/*
 * template.h - message templates and their rendering.
 *
 * A template is UTF-8 text with placeholders "{{name}}" (letters, digits,
 * '_').  The bundled templates are templates/<name>.md, compiled into irk; a
 * casebook overrides one by putting its own .irk/templates/<name>.md there.
 * Facts the incident does not hold are rendered as "[FILL IN: ...]", which
 * the linter's comms.unfilled rule reports until a person replaces them.
 *
 * Placeholders (irk_template_vars): id, title, severity, category, tlp,
 * tlp_upper, phase, org, contact, now, occurred, detected, detected_date,
 * contained, recovered, resolved_at, window_end, log_timezone.  Times are
 * absolute with their offset ("2026-11-21 14:05:00 +01:00").
 */
#ifndef IRK_TEMPLATE_H
#define IRK_TEMPLATE_H

#include <jansson.h>

#include "irk/buf.h"
#include "irk/casebook.h"
#include "irk/commsconf.h"
#include "irk/error.h"

#define IRK_TEMPLATE_MAX (64 * 1024)

/* The bundled template names, NULL-terminated. */
extern const char *const irk_template_names[];

/* The template an audience gets by default ("users" -> "user-notice"). */
const char *irk_template_for_audience(const char *audience);

/* The template's text: the casebook's override, else the bundled one. */
enum irk_code irk_template_load(struct irk_casebook *cb, const char *name, struct irk_buf *out,
				struct irk_err *err);

/*
 * Replace each {{name}} with the string value vars[name].  Unknown names and
 * unterminated placeholders fail with IRK_EINVAL naming line and column.
 * Fuzzed: template text is untrusted.
 */
enum irk_code irk_template_render(const char *tpl, size_t len, json_t *vars, struct irk_buf *out,
				  struct irk_err *err);

/* The placeholder values for incident `inc`, times shown at offset tz_minutes. */
enum irk_code irk_template_vars(struct irk_casebook *cb, const char *inc,
				const struct irk_comms_config *cfg, int tz_minutes, int64_t now_ms,
				json_t **out, struct irk_err *err);

#endif
