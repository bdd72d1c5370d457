/* cmd-drill.c - irk drill list|start|inject|report: tabletop exercises. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "irk/drill.h"
#include "irk/timefmt.h"

static const char usage[] =
	"usage: irk drill list [--json]\n"
	"       irk drill start SCENARIO [--json]\n"
	"       irk drill inject [INC] [--json]\n"
	"       irk drill report [INC] [--json]\n\n"
	"Rehearse the response on a made-up incident.  'start' opens an\n"
	"incident flagged as an exercise from a bundled scenario (with its\n"
	"playbook's tasks, if it names one) and prints the briefing.  The\n"
	"facilitator releases each new fact with 'inject'.  'report' shows the\n"
	"time from opening to each stage, the first acknowledged task and the\n"
	"first notification.  Exercises are marked [DRILL] everywhere and left\n"
	"out of 'irk due' unless asked for (--drills).\n\n"
	"  --json   JSON (Lines for list)\n";

static void print_span(const char *what, json_t *v)
{
	char d[32];

	if (json_is_integer(v)) {
		irk_duration(json_integer_value(v), d);
		printf("  %-22s %s\n", what, d);
	} else {
		printf("  %-22s -\n", what);
	}
}

static void print_report(json_t *r)
{
	const char *key;
	json_t *v;
	size_t i;

	printf("%s [DRILL] %s\n  opened %s\n\ntime from opening:\n",
	       json_string_value(json_object_get(r, "inc")), json_string_value(json_object_get(r, "title")),
	       json_string_value(json_object_get(r, "opened")));
	print_span("first task acknowledged", json_object_get(r, "first_task_ack_s"));
	print_span("first notification", json_object_get(r, "first_notification_s"));
	json_object_foreach(json_object_get(r, "stages"), key, v)
		print_span(key, v);
	printf("\ntasks done: %lld of %lld\n\ninjects:\n",
	       (long long)json_integer_value(json_object_get(json_object_get(r, "tasks"), "done")),
	       (long long)json_integer_value(json_object_get(json_object_get(r, "tasks"), "total")));
	json_array_foreach(json_object_get(r, "injects"), i, v) {
		json_t *rel = json_object_get(v, "released");
		printf("  %lld. %s\n     %s\n", (long long)json_integer_value(json_object_get(v, "num")),
		       json_is_string(rel) ? json_string_value(rel) : "(not released)",
		       json_string_value(json_object_get(v, "text")));
	}
}

int cmd_drill(int argc, char **argv)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	char inc[IRK_CHAIN_MAX];
	const char *sub;
	json_t *out = NULL, *s;
	int c, json = 0, rc = 0;
	size_t i;

	if ((c = cli_subcommand(&argc, &argv, usage, &sub)) >= 0)
		return c;
	if ((c = cli_json_option(argc, argv, usage, &json)) >= 0)
		return c;
	if (!strcmp(sub, "list")) {
		if (irk_scenario_list(&out, &err))
			return cli_error(&err);
		json_array_foreach(out, i, s) {
			if (json)
				cli_print_json(json_incref(s));
			else if (json_is_string(json_object_get(s, "error")))
				printf("%-24s BROKEN: %s\n", json_string_value(json_object_get(s, "name")),
				       json_string_value(json_object_get(s, "error")));
			else
				printf("%-24s %2lld injects  %s\n", json_string_value(json_object_get(s, "name")),
				       (long long)json_integer_value(json_object_get(s, "injects")),
				       json_string_value(json_object_get(s, "title")));
		}
		json_decref(out);
		return 0;
	}
	if (strcmp(sub, "start") && strcmp(sub, "inject") && strcmp(sub, "report"))
		return cli_usage("drill", "unknown subcommand '%s' (use list, start, inject or report)", sub);
	if (!strcmp(sub, "start") ? argc - optind != 1 : argc - optind > 1)
		return cli_usage("drill", "%s", !strcmp(sub, "start") ? "start needs a scenario name"
								 : "give at most one incident");
	if (cli_casebook(&cb, &err)) {
		rc = cli_error(&err);
	} else if (!strcmp(sub, "start")) {
		if (cli_identity(&id, &err) || irk_drill_start(cb, &id, argv[optind], inc, &out, &err)) {
			rc = cli_error(&err);
		} else if (json) {
			json_object_set_new(out, "inc", json_string(inc));
			cli_print_json(json_incref(out));
		} else {
			printf("opened %s [DRILL]: %s\n\n%s\n(%zu injects: release each with 'irk drill inject %s')\n",
			       inc, json_string_value(json_object_get(out, "title")),
			       json_string_value(json_object_get(out, "briefing")),
			       json_array_size(json_object_get(out, "injects")), inc);
		}
	} else if (cli_incident(cb, argc - optind == 1 ? argv[optind] : NULL, inc, &err)) {
		rc = cli_error(&err);
	} else if (!strcmp(sub, "inject")) {
		if (cli_identity(&id, &err) || irk_drill_inject(cb, &id, inc, &out, &err))
			rc = cli_error(&err);
		else if (json)
			cli_print_json(json_incref(out));
		else
			printf("[DRILL] %s inject %lld of %lld:\n%s\n", inc,
			       (long long)json_integer_value(json_object_get(out, "num")),
			       (long long)json_integer_value(json_object_get(out, "of")),
			       json_string_value(json_object_get(out, "text")));
	} else if (irk_drill_report(cb, inc, &out, &err)) {
		rc = cli_error(&err);
	} else if (json) {
		cli_print_json(json_incref(out));
	} else {
		print_report(out);
	}
	json_decref(out);
	irk_casebook_close(cb);
	return rc;
}
