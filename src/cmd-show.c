/* cmd-show.c - irk show: an incident, its stage times and its log book. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "irk/crew.h"
#include "irk/incident.h"
#include "irk/task.h"
#include "irk/timefmt.h"

static const char usage[] =
	"usage: irk show [INC] [--json]\n\n"
	"Show an incident: title, phase, severity, stage times, and every\n"
	"log-book entry with when it happened (and when it was recorded, if\n"
	"later).  INC may be omitted when only one incident is open.\n\n"
	"  --json   one JSON object: the incident, with its entries\n";

/* Show a stored UTC time in the local zone, with its offset. */
static void local_time(const char *utc, char out[IRK_TIME_MAX])
{
	int64_t ms;

	if (!utc || irk_time_parse_utc(utc, &ms, NULL)) {
		snprintf(out, IRK_TIME_MAX, "-");
		return;
	}
	irk_time_local(ms, irk_local_offset(ms), out);
}

static void print_entry(json_t *e, json_t *amended_by)
{
	const char *at = json_string_value(json_object_get(e, "at"));
	const char *rec = json_string_value(json_object_get(e, "rec"));
	const char *tz = json_string_value(json_object_get(e, "tz"));
	const char *who = json_string_value(json_object_get(e, "author"));
	const char *kind = json_string_value(json_object_get(e, "kind"));
	json_t *with = json_object_get(json_object_get(e, "data"), "with");
	json_int_t seq = json_integer_value(json_object_get(e, "seq"));
	int64_t at_ms = 0, rec_ms = 0;
	int offset = 0;
	char when[IRK_TIME_MAX];

	irk_time_parse_utc(at, &at_ms, NULL);
	irk_time_parse_utc(rec, &rec_ms, NULL);
	irk_tz_parse(tz, &offset, NULL);
	irk_time_local(at_ms, offset, when);
	printf("%4lld  %s  %-11s %s", (long long)seq, when, kind, who ? who : json_string_value(json_object_get(e, "by")));
	if (json_is_string(with))
		printf(" (with %s)", json_string_value(with));
	if (!strcmp(kind, "amend"))
		printf(" (corrects #%lld)",
		       (long long)json_integer_value(json_object_get(json_object_get(e, "data"), "amends")));
	if (rec_ms - at_ms > 5 * 60 * 1000) {
		char late[32];
		irk_duration((rec_ms - at_ms) / 1000, late);
		printf(" [recorded %s later]", late);
	}
	if (json_is_integer(amended_by))
		printf(" [corrected by #%lld]", (long long)json_integer_value(amended_by));
	printf("\n      %s\n", json_string_value(json_object_get(e, "text")));
}

int cmd_show(int argc, char **argv)
{
	static const char *const stages[] = { "occurred",  "detected",	 "reported",  "acknowledged",
					      "triage",	   "contained", "eradicated", "recovered",
					      "closed",	   NULL };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	char inc[IRK_CHAIN_MAX], when[IRK_TIME_MAX];
	json_t *o = NULL, *entries = NULL, *e, *times, *amends, *crew = NULL, *tasks = NULL;
	int64_t now = irk_now_ms();
	int c, json = 0;
	size_t i;

	optind = 0;
	if ((c = cli_json_option(argc, argv, usage, &json)) >= 0)
		return c;
	if (optind < argc - 1)
		return cli_usage("show", "give at most one incident");
	if (cli_casebook(&cb, &err) || cli_incident(cb, optind < argc ? argv[optind] : NULL, inc, &err) ||
	    irk_incident_get(cb, inc, &o, &err) || irk_incident_entries(cb, inc, &entries, &err) ||
	    irk_crew_list(cb, inc, &crew, &err) || irk_task_list(cb, inc, 1, now, &tasks, &err)) {
		json_decref(entries);
		json_decref(crew);
		irk_casebook_close(cb);
		json_decref(o);
		return cli_error(&err);
	}
	if (json) {
		json_object_set_new(o, "crew", crew);
		json_object_set_new(o, "tasks", tasks);
		json_object_set_new(o, "log", entries);
		cli_print_json(o);
		irk_casebook_close(cb);
		return 0;
	}
	printf("%s%s  %s\n", json_string_value(json_object_get(o, "id")),
	       json_is_true(json_object_get(o, "drill")) ? "  [DRILL - exercise]" : "",
	       json_string_value(json_object_get(o, "title")));
	printf("  phase %s   severity %s   category %s   TLP:%s\n",
	       json_string_value(json_object_get(o, "phase")),
	       json_string_value(json_object_get(o, "severity")),
	       json_string_value(json_object_get(o, "category")),
	       json_string_value(json_object_get(o, "tlp")));
	if (json_is_string(json_object_get(o, "resolution")))
		printf("  resolution %s\n", json_string_value(json_object_get(o, "resolution")));
	printf("  opened by %s\n", json_string_value(json_object_get(o, "opened_by")));
	if (json_array_size(crew) == 0)
		printf("  lead          nobody yet (irk role %s lead MEMBER)\n", inc);
	json_array_foreach(crew, i, e)
		printf("  %-13s %s\n", json_string_value(json_object_get(e, "role")),
		       json_string_value(json_object_get(e, "email")));
	times = json_object_get(o, "times");
	for (int s = 0; stages[s]; s++) {
		json_t *t = json_object_get(times, stages[s]);
		if (!json_is_string(t))
			continue;
		local_time(json_string_value(t), when);
		printf("  %-13s %s\n", stages[s], when);
	}
	if (json_array_size(tasks))
		printf("\ntasks:\n");
	json_array_foreach(tasks, i, e) {
		struct irk_buf line = IRK_BUF_INIT;
		irk_task_status(e, now, &line);
		printf("  %s\n", line.buf);
		irk_buf_release(&line);
	}
	/* Which entries were later corrected, so that readers see it next to them. */
	amends = json_object();
	json_array_foreach(entries, i, e) {
		json_t *target = json_object_get(json_object_get(e, "data"), "amends");
		char key[32];
		if (strcmp(json_string_value(json_object_get(e, "kind")), "amend") ||
		    !json_is_integer(target))
			continue;
		snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(target));
		json_object_set_new(amends, key, json_integer(json_integer_value(json_object_get(e, "seq"))));
	}
	printf("\nlog book (%zu entries):\n", json_array_size(entries));
	json_array_foreach(entries, i, e) {
		char key[32];
		snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(json_object_get(e, "seq")));
		print_entry(e, json_object_get(amends, key));
	}
	json_decref(amends);
	json_decref(entries);
	json_decref(crew);
	json_decref(tasks);
	json_decref(o);
	irk_casebook_close(cb);
	return 0;
}
