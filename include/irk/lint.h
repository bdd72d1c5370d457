/*
 * lint.h - the linter for incident messages.
 *
 * A message is checked against a table of rules (irk_lint_rules[]): each has
 * an id ("comms.shouting"), a severity, the audiences it applies to, a check
 * function, why it matters and how to fix it.  A check reports spans: byte
 * offsets [start, end) into the text, with the 1-based line and column
 * (in bytes) of the start.  docs/COMMS.md lists every rule with examples.
 *
 * The linter reads nothing but its arguments: the text, the audience and the
 * casebook's settings (irk/commsconf.h), so that its result is repeatable.
 * Texts longer than IRK_TEXT_MAX are refused.
 */
#ifndef IRK_LINT_H
#define IRK_LINT_H

#include <jansson.h>
#include <stddef.h>

#include "irk/commsconf.h"
#include "irk/error.h"

enum irk_audience {
	IRK_AUD_INTERNAL = 1 << 0,
	IRK_AUD_USERS = 1 << 1,
	IRK_AUD_PUBLIC = 1 << 2,
	IRK_AUD_PRESS = 1 << 3,
	IRK_AUD_REGULATOR = 1 << 4,
	IRK_AUD_POLICE = 1 << 5,   /* "law-enforcement" */
	IRK_AUD_CERT = 1 << 6,     /* another IRT or CERT */
};
#define IRK_AUD_OUTSIDE (~IRK_AUD_INTERNAL & 0x7f)
#define IRK_AUD_ALL 0x7f

/* "internal", "users", ... in the order of the bits above; NULL-terminated. */
extern const char *const irk_audiences[];
/* The bit of an audience name, or 0. */
int irk_audience_parse(const char *name);
const char *irk_audience_name(int bit);

enum irk_severity { IRK_SEV_INFO = 0, IRK_SEV_WARNING = 1, IRK_SEV_ERROR = 2 };
const char *irk_severity_name(enum irk_severity s);

struct irk_lint_finding {
	const char *rule; /* id of the rule (static) */
	enum irk_severity severity;
	size_t start, end; /* byte offsets; start == end for "missing" findings */
	int line, col;
	char *excerpt;     /* the flagged text (owned), "" for missing findings */
	char *fix;         /* a suggested replacement or action (owned) */
};

struct irk_lint_result {
	struct irk_lint_finding *f;
	size_t n;
	int errors, warnings;
};

/*
 * What the linter knows of the incident a message is about (NULL when
 * linting a file on its own): its TLP and the terms its log book holds
 * (addresses, host names, hashes, e-mail addresses, observables), which
 * must not reach an outside audience when the TLP is red or amber.
 */
struct irk_lint_incident {
	const char *tlp;
	struct irk_strlist terms;
};

struct irk_lint_ctx {
	const char *text;
	size_t len;
	int audience;
	const struct irk_comms_config *cfg;
	const struct irk_lint_incident *inc;
	struct irk_lint_result *out;
	const struct irk_lint_rule *rule;
	enum irk_severity severity; /* of the current rule for this audience */
};

struct irk_lint_rule {
	const char *id;
	enum irk_severity severity; /* for `audiences` */
	int audiences; /* bit set of enum irk_audience where it is `severity` */
	int warn;      /* audiences where it is only a warning */
	void (*check)(struct irk_lint_ctx *ctx);
	const char *why;
	const char *fix; /* default fix, when the check has no specific one */
};

extern const struct irk_lint_rule irk_lint_rules[]; /* ends with a NULL id */
const struct irk_lint_rule *irk_lint_rule_find(const char *id);

/* For check functions: report [start, end) with an optional specific fix (NULL = the rule's). */
void irk_lint_report(struct irk_lint_ctx *ctx, size_t start, size_t end, const char *fix);

/* Lint `text` for `audience` (one bit); `inc` may be NULL.  Findings are in text order. */
enum irk_code irk_lint(const char *text, size_t len, int audience,
		       const struct irk_comms_config *cfg, const struct irk_lint_incident *inc,
		       struct irk_lint_result *out, struct irk_err *err);

/*
 * Collect the restricted terms from log-book entries (a JSON array as from
 * irk_incident_entries; message and share entries are skipped).  The
 * organisation's own domains and role addresses are not restricted.
 */
void irk_lint_incident_terms(struct irk_lint_incident *inc, json_t *entries,
			     const struct irk_comms_config *cfg);
void irk_lint_incident_release(struct irk_lint_incident *inc);
void irk_lint_result_release(struct irk_lint_result *r);

/* One finding as JSON {rule, severity, start, end, line, col, excerpt, why, fix}. */
json_t *irk_lint_finding_json(const struct irk_lint_finding *f);

#endif
