/*
 * cli-detect.h - what the detection commands (scan, watch, rules, trace)
 * share: loading rule sets with loud refusals, the log-reading options,
 * printing findings, and recording them into an incident.
 */
#ifndef IRK_CLI_DETECT_H
#define IRK_CLI_DETECT_H

#include <jansson.h>

#include "irk/detect.h"
#include "irk/logbook.h"
#include "irk/logread.h"
#include "irk/prefilter.h"
#include "irk/sigma.h"

/* Load DIRs/FILEs (or the bundled rules when n == 0) and link them. */
enum irk_code cli_rules_load(char **paths, int n, struct irk_ruleset *rs, struct irk_err *err);

/*
 * Report refused rules on stderr ("FILE:LINE: refused: REASON"); unless
 * `allow`, fail with IRK_EINVAL naming how many.
 */
enum irk_code cli_rules_refusals(const struct irk_ruleset *rs, int allow, struct irk_err *err);

/*
 * The prefilter of a rule set for scan and watch (NULL when `off`): Hyperscan
 * where built in, PCRE2 when the environment has IRK_NO_HYPERSCAN=1.
 */
enum irk_code cli_prefilter(const struct irk_ruleset *rs, int off, struct irk_prefilter **out,
			    struct irk_err *err);
/* "irk CMD: prefilter: ENGINE, ..." on standard error: the searches and any format it switched off for. */
void cli_prefilter_info(const char *cmd, const struct irk_prefilter *pf);

/* A finding as text (several lines) or one JSON line. */
void cli_print_finding(const struct irk_finding *f, int json);

/* Map a Sigma level to an incident severity. */
const char *cli_level_severity(const char *level);

/* Findings kept to be printed or recorded together (each an irk_finding_dup copy). */
struct cli_findings {
	struct irk_finding **v;
	size_t n, cap;
};
void cli_findings_keep(struct cli_findings *l, const struct irk_finding *f);
void cli_findings_clear(struct cli_findings *l);

/*
 * Record findings in incident `inc_arg`, or in a new incident when
 * open_new; prints what was recorded.
 */
enum irk_code cli_findings_attach(const struct cli_findings *l, const char *inc_arg, int open_new,
				  char inc_out[IRK_CHAIN_MAX], struct irk_err *err);

#endif
