/*
 * sigma.h - Sigma rules: loading (libyaml), checking, and matching events.
 *
 * A rule set is loaded from files or the rules bundled into irk.  Each rule
 * is either a detection rule (logsource + detection + condition) or a
 * correlation rule (event_count, value_count, temporal, temporal_ordered)
 * over other rules by name or id.  The subset of Sigma that irk supports is
 * listed in docs/DETECTION.md; anything outside it is refused with the
 * file, the line and the reason, and kept in the set's status list so that
 * `irk rules check` reports every rule and `irk scan` can refuse loudly.
 *
 * Matching is thread-safe: rules are read-only once loaded; per-thread
 * scratch (regex match data) lives in struct irk_sigma_scratch.
 */
#ifndef IRK_SIGMA_H
#define IRK_SIGMA_H

#include <stddef.h>
#include <stdint.h>

#include "irk/error.h"
#include "irk/event.h"

#define IRK_RULE_FILE_MAX (1024 * 1024)

enum irk_corr_type {
	IRK_CORR_NONE = 0,
	IRK_CORR_EVENT_COUNT,
	IRK_CORR_VALUE_COUNT,
	IRK_CORR_TEMPORAL,
	IRK_CORR_TEMPORAL_ORDERED,
};

enum irk_cmp { IRK_CMP_GT, IRK_CMP_GTE, IRK_CMP_LT, IRK_CMP_LTE, IRK_CMP_EQ, IRK_CMP_NEQ };

struct irk_sigma_detection; /* opaque: selections and condition */

struct irk_sigma_rule {
	char *file;
	int line;
	char *id, *name, *title, *level, *description;
	char *product, *service, *category; /* logsource */
	struct irk_sigma_detection *det;   /* NULL for a correlation */
	/* correlation */
	enum irk_corr_type corr;
	int nrefs;
	char **ref_names;  /* as written */
	int *refs;         /* resolved: indices of rules in the set */
	int ngroup;
	char **group_by;
	char ***group_field; /* [group][ref] the field name in each referenced rule (aliases) */
	int64_t timespan_ms;
	enum irk_cmp cmp;
	int64_t threshold;
	char *count_field; /* value_count */
	int generate;      /* the referenced rules also report on their own */
	int referenced;    /* set when a correlation uses this rule and does not generate it */
	int status_index;  /* its entry in the set's status list */
};

/* One rule file's verdict (every document of every file gets one). */
struct irk_rule_status {
	char *file;
	int line;
	char *title; /* may be NULL when the document had none */
	int ok;
	char *reason; /* why it was refused */
};

struct irk_ruleset {
	int nrules;
	struct irk_sigma_rule **rules;
	int nstatus;
	struct irk_rule_status *status;
	int nrefused;
};

void irk_ruleset_init(struct irk_ruleset *rs);
void irk_ruleset_release(struct irk_ruleset *rs);

/*
 * Load the rules of a YAML text (one or more documents).  A refused rule is
 * recorded in rs->status, not returned as an error; only reading problems
 * (unreadable file) fail.
 */
void irk_ruleset_load_text(struct irk_ruleset *rs, const char *file, const char *text,
			   size_t len);
/* A file, or a directory searched recursively for *.yml and *.yaml. */
enum irk_code irk_ruleset_load_path(struct irk_ruleset *rs, const char *path,
				    struct irk_err *err);
/* The rules bundled into irk (rules/ in the source tree). */
void irk_ruleset_load_bundled(struct irk_ruleset *rs);
/* Resolve correlation references (after all loads); refuses dangling ones. */
void irk_ruleset_link(struct irk_ruleset *rs);

struct irk_sigma_scratch {
	void *match_data; /* pcre2 match data, made on first use */
};
void irk_sigma_scratch_release(struct irk_sigma_scratch *s);

/* Does the detection rule `r` match `ev` (logsource included)? */
int irk_sigma_match(const struct irk_sigma_rule *r, const struct irk_event *ev,
		    struct irk_sigma_scratch *s);

/*
 * For prefilters: texts one of which the line of every event that detection
 * rule `r` matches contains, for lines of format `format` (an enum
 * irk_log_format other than AUTO).  always = 1: no such texts can be named,
 * the rule must be tried on every line of that format; always = 0 and n = 0:
 * the rule can match no line of that format.  A caseless needle matches in
 * any ASCII case; pass caseless_ok = 0 when the matcher's case folding
 * (the C library's tolower() in the current locale) is not plain ASCII, and
 * the rules that would need one are "always".
 */
struct irk_needle {
	char *text;
	size_t len;
	int caseless;
};
struct irk_needles {
	int always;
	int n;
	struct irk_needle *v;
};
void irk_sigma_needles(const struct irk_sigma_rule *r, int format, int caseless_ok,
		       struct irk_needles *out);
void irk_needles_release(struct irk_needles *n);

#endif
