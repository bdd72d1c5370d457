/* cli-detect.c - helpers of the detection commands; see cli-detect.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-detect.h"
#include "cli.h"
#include "irk/finding.h"
#include "irk/incident.h"
#include "irk/text.h"
#include "irk/timefmt.h"

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

static void add_field(struct irk_buf *out, const char *s)
{
	irk_text_add_lossy(out, s, strlen(s));
}

static void add_event(struct irk_buf *out, const char *label, const struct irk_finding_event *e)
{
	irk_buf_adds(out, "         ");
	irk_buf_adds(out, label);
	irk_buf_addch(out, ' ');
	add_field(out, e->file ? e->file : "-");
	irk_buf_addch(out, ':');
	irk_buf_add_int(out, (long long)e->line);
	irk_buf_adds(out, ": ");
	add_field(out, e->text ? e->text : "");
	irk_buf_addch(out, '\n');
}

/*
 * The text form: a headline (level, rule, window, count, group), the
 * entities, the first and last events.
 */
static void finding_text(const struct irk_finding *f, struct irk_buf *out)
{
	char a[IRK_TIME_MAX], b[IRK_TIME_MAX];
	size_t at = out->len;

	irk_time_utc(f->first_ms, 1, a);
	irk_time_utc(f->last_ms, 1, b);
	add_field(out, f->rule->level);
	while (out->len < at + 8)
		irk_buf_addch(out, ' ');
	irk_buf_addch(out, ' ');
	add_field(out, f->rule->title);
	irk_buf_adds(out, "  [");
	irk_buf_adds(out, a);
	irk_buf_adds(out, " .. ");
	irk_buf_adds(out, b);
	irk_buf_adds(out, "]  count=");
	irk_buf_add_int(out, (long long)f->count);
	for (int k = 0; k < f->ngroup; k++) {
		irk_buf_addch(out, ' ');
		irk_buf_adds(out, f->rule->group_by[k]);
		irk_buf_addch(out, '=');
		add_field(out, f->group_values[k]);
	}
	irk_buf_addch(out, '\n');
	for (int i = 0; i < f->nentities; i++) {
		irk_buf_adds(out, "         ");
		irk_buf_adds(out, f->entities[i].name);
		irk_buf_addch(out, ':');
		for (int k = 0; k < f->entities[i].n; k++) {
			irk_buf_addch(out, ' ');
			add_field(out, f->entities[i].v[k]);
		}
		irk_buf_addch(out, '\n');
	}
	add_event(out, "first", &f->first);
	add_event(out, "last ", &f->last);
}

void cli_print_finding(const struct irk_finding *f, int json)
{
	struct irk_buf out;

	/*
	 * room for most findings at once (it grows past that), and small enough
	 * to be one of malloc's quickly reused sizes (at most about 1 KiB)
	 */
	irk_buf_init(&out, 1000);
	if (json) {
		irk_finding_write_json(f, &out);
		irk_buf_addch(&out, '\n');
	} else {
		finding_text(f, &out);
	}
	fwrite(out.buf, 1, out.len, stdout);
	irk_buf_release(&out);
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

void cli_findings_keep(struct cli_findings *l, const struct irk_finding *f)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = irk_realloc(l->v, sizeof(*l->v) * l->cap);
	}
	l->v[l->n++] = irk_finding_dup(f);
}

void cli_findings_clear(struct cli_findings *l)
{
	for (size_t i = 0; i < l->n; i++)
		irk_finding_free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

enum irk_code cli_findings_attach(const struct cli_findings *l, const char *inc_arg, int open_new,
				  char inc_out[IRK_CHAIN_MAX], struct irk_err *err)
{
	json_t *findings = json_array();
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	char inc[IRK_CHAIN_MAX];
	enum irk_code rc;
	size_t i;
	json_t *f, *top = NULL;
	int added = 0, dup = 0;

	for (size_t k = 0; k < l->n; k++)
		if (json_array_append_new(findings, irk_finding_json(l->v[k]))) {
			rc = irk_fail(err, IRK_EINTERNAL,
				      "a finding of rule '%s' is not valid JSON", l->v[k]->rule->title);
			goto done;
		}
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
	json_decref(findings);
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

void cli_prefilter_info(const char *cmd, const struct irk_prefilter *pf)
{
	static const char *const names[] = { "syslog", "access", "json" };
	enum irk_log_format f;

	if (!pf) {
		fprintf(stderr, "irk %s: prefilter: none (--no-prefilter)\n", cmd);
		return;
	}
	fprintf(stderr, "irk %s: prefilter: %s, %d texts, searches per block: ", cmd,
		irk_prefilter_engine_name(pf), irk_prefilter_needles(pf));
	for (f = IRK_LOG_SYSLOG; f <= IRK_LOG_JSON; f++)
		fprintf(stderr, "%s%s %d", f == IRK_LOG_SYSLOG ? "" : ", ", names[f - 1],
			irk_prefilter_searches(pf, f));
	fprintf(stderr, "; %d rules tried on every line of some format\n", irk_prefilter_always(pf));
	for (f = IRK_LOG_SYSLOG; f <= IRK_LOG_JSON; f++)
		if (irk_prefilter_switched_off(pf, f))
			fprintf(stderr,
				"irk %s: prefilter: switched off for %s lines: it let through %d%% of the rules on a block's lines\n",
				cmd, names[f - 1], irk_prefilter_switched_off(pf, f));
}
