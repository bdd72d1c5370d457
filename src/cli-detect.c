/* cli-detect.c - helpers of the detection commands; see cli-detect.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-detect.h"
#include "cli.h"
#include "irk/finding.h"
#include "irk/incident.h"

enum irk_code cli_rules_load(char **paths, int n, struct irk_ruleset *rs, struct irk_err *err)
{
	enum irk_code rc;

	irk_ruleset_init(rs);
	if (!n)
		irk_ruleset_load_bundled(rs);
	for (int i = 0; i < n; i++)
		if ((rc = irk_ruleset_load_path(rs, paths[i], err)))
			return rc;
	irk_ruleset_link(rs);
	return IRK_OK;
}

enum irk_code cli_rules_refusals(const struct irk_ruleset *rs, int allow, struct irk_err *err)
{
	for (int i = 0; i < rs->nstatus; i++)
		if (!rs->status[i].ok)
			fprintf(stderr, "irk: %s:%d: rule refused%s%s: %s\n", rs->status[i].file,
				rs->status[i].line, rs->status[i].title ? " " : "",
				rs->status[i].title ? rs->status[i].title : "", rs->status[i].reason);
	if (!rs->nrefused || allow)
		return IRK_OK;
	irk_fail(err, IRK_EINVAL, "%d rule%s cannot be run (listed above)", rs->nrefused,
		 rs->nrefused == 1 ? "" : "s");
	irk_hint(err, "fix or remove them, or pass --skip-refused to run the others");
	return IRK_EINVAL;
}

void cli_print_finding(json_t *f, int json)
{
	const char *k;
	json_t *v, *ev;

	if (json) {
		char *s = json_dumps(f, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (s)
			puts(s);
		free(s);
		return;
	}
	printf("%-8s %s  [%s .. %s]  count=%lld",
	       json_string_value(json_object_get(f, "level")),
	       json_string_value(json_object_get(f, "rule")),
	       json_string_value(json_object_get(f, "first")),
	       json_string_value(json_object_get(f, "last")),
	       (long long)json_integer_value(json_object_get(f, "count")));
	json_object_foreach(json_object_get(f, "group"), k, v)
		printf(" %s=%s", k, json_string_value(v));
	putchar('\n');
	json_object_foreach(json_object_get(f, "entities"), k, v) {
		size_t i;
		json_t *x;
		printf("         %s:", k);
		json_array_foreach(v, i, x)
			printf(" %s", json_string_value(x));
		putchar('\n');
	}
	ev = json_object_get(f, "first_event");
	printf("         first %s:%lld: %s\n", json_string_value(json_object_get(ev, "file")),
	       (long long)json_integer_value(json_object_get(ev, "line")),
	       json_string_value(json_object_get(ev, "text")));
	ev = json_object_get(f, "last_event");
	printf("         last  %s:%lld: %s\n", json_string_value(json_object_get(ev, "file")),
	       (long long)json_integer_value(json_object_get(ev, "line")),
	       json_string_value(json_object_get(ev, "text")));
}

const char *cli_level_severity(const char *level)
{
	if (!strcmp(level, "critical"))
		return "critical";
	if (!strcmp(level, "high"))
		return "high";
	if (!strcmp(level, "medium"))
		return "medium";
	return "low";
}

static int level_rank(const char *level)
{
	static const char *const order[] = { "informational", "low", "medium", "high", "critical", NULL };

	return irk_list_index(order, level);
}

enum irk_code cli_findings_attach(json_t *findings, const char *inc_arg, int open_new,
				  char inc_out[IRK_CHAIN_MAX], struct irk_err *err)
{
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	char inc[IRK_CHAIN_MAX];
	enum irk_code rc;
	size_t i;
	json_t *f, *top = NULL;
	int added = 0, dup = 0;

	if ((rc = cli_casebook(&cb, err)) || (rc = cli_identity(&id, err)))
		goto done;
	if (open_new) {
		struct irk_incident_new n = { 0 };
		char title[200];
		json_array_foreach(findings, i, f)
			if (!top || level_rank(json_string_value(json_object_get(f, "level"))) >
					    level_rank(json_string_value(json_object_get(top, "level"))))
				top = f;
		if (!top) {
			printf("no findings: no incident opened\n");
			goto done;
		}
		snprintf(title, sizeof(title), "Detection: %s%s",
			 json_string_value(json_object_get(top, "rule")),
			 json_array_size(findings) > 1 ? " and more" : "");
		n.title = title;
		n.severity = cli_level_severity(json_string_value(json_object_get(top, "level")));
		n.text = "opened from the findings of irk scan";
		if ((rc = irk_incident_open(cb, &id, &n, inc, err)))
			goto done;
		printf("opened %s: %s\n", inc, title);
	} else if ((rc = cli_incident(cb, inc_arg, inc, err))) {
		goto done;
	}
	if ((rc = irk_db_begin(cb->db, err)))
		goto done;
	json_array_foreach(findings, i, f) {
		int a;
		if ((rc = irk_finding_record(cb, &id, inc, f, &a, err))) {
			irk_db_rollback(cb->db);
			goto done;
		}
		a ? added++ : dup++;
	}
	if ((rc = irk_db_commit(cb->db, err)))
		goto done;
	printf("%s: recorded %d finding%s (%d already recorded)\n", inc, added, added == 1 ? "" : "s",
	       dup);
	if (inc_out)
		snprintf(inc_out, IRK_CHAIN_MAX, "%s", inc);
done:
	irk_casebook_close(cb);
	return rc;
}

enum irk_code cli_prefilter(const struct irk_ruleset *rs, int off, struct irk_prefilter **out,
			    struct irk_err *err)
{
	const char *no_hs = getenv("IRK_NO_HYPERSCAN");

	*out = NULL;
	if (off)
		return IRK_OK;
	return irk_prefilter_new(rs, no_hs && *no_hs && strcmp(no_hs, "0") ? IRK_PREFILTER_PCRE2
					: IRK_PREFILTER_AUTO, out, err);
}

void cli_prefilter_info(const struct irk_prefilter *pf)
{
	static const char *const names[] = { "syslog", "access", "json" };
	enum irk_log_format f;

	if (!pf) {
		fprintf(stderr, "irk scan: prefilter: none (--no-prefilter)\n");
		return;
	}
	fprintf(stderr, "irk scan: prefilter: %s, %d texts, searches per block: ",
		irk_prefilter_engine_name(pf), irk_prefilter_needles(pf));
	for (f = IRK_LOG_SYSLOG; f <= IRK_LOG_JSON; f++)
		fprintf(stderr, "%s%s %d", f == IRK_LOG_SYSLOG ? "" : ", ", names[f - 1],
			irk_prefilter_searches(pf, f));
	fprintf(stderr, "; %d rules tried on every line of some format\n", irk_prefilter_always(pf));
	for (f = IRK_LOG_SYSLOG; f <= IRK_LOG_JSON; f++)
		if (irk_prefilter_switched_off(pf, f))
			fprintf(stderr,
				"irk scan: prefilter: switched off for %s lines: it let through %d%% of the rules on a block's lines\n",
				names[f - 1], irk_prefilter_switched_off(pf, f));
}
