/* cmd-due.c - irk due: what needs attention now, across open incidents. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "irk/due.h"
#include "irk/span.h"
#include "irk/timefmt.h"

static const char usage[] =
	"usage: irk due [INC] [--soon SPAN] [--drills] [--json]\n\n"
	"List what needs attention across every open incident: overdue and\n"
	"soon-due tasks, tasks nobody acknowledged, notification duties and\n"
	"their deadlines, incidents nobody leads.  Exits 1 when something is\n"
	"overdue, 0 otherwise, so that cron can run it.\n\n"
	"  --soon SPAN   what counts as soon (default 1h)\n"
	"  --drills      include exercises (left out by default)\n"
	"  --json        JSON Lines, one item each\n";

int cmd_due(int argc, char **argv)
{
	static const struct option opts[] = { { "soon", required_argument, NULL, 's' },
					      { "drills", no_argument, NULL, 'd' },
					      { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_due_query q = { .now_ms = irk_now_ms(), .soon_s = 3600 };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	char inc[IRK_CHAIN_MAX];
	json_t *items = NULL, *it;
	int c, json = 0, overdue = 0;
	size_t i;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "h", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		if (c == 's' && irk_span_parse(optarg, &q.soon_s, &err)) {
			irk_err_prefix(&err, "--soon");
			return cli_error(&err);
		}
		if (c == 'd')
			q.drills = 1;
		if (c == 'j')
			json = 1;
	}
	if (argc - optind > 1)
		return cli_usage("due", "give at most one incident");
	if (argc - optind == 1)
		q.inc = inc;
	if (cli_casebook(&cb, &err) || (q.inc && cli_incident(cb, argv[optind], inc, &err)) ||
	    irk_due_list(cb, &q, &items, &overdue, &err)) {
		irk_casebook_close(cb);
		return cli_error(&err);
	}
	json_array_foreach(items, i, it) {
		const char *due = json_string_value(json_object_get(it, "due"));
		char when[IRK_TIME_MAX] = "-";
		int64_t ms;
		if (json) {
			cli_print_json(json_incref(it));
			continue;
		}
		if (due && !irk_time_parse_utc(due, &ms, NULL))
			irk_time_local(ms, irk_local_offset(ms), when);
		printf("%-14s %-13s%s %-26s %s\n", json_string_value(json_object_get(it, "state")),
		       json_string_value(json_object_get(it, "inc")),
		       json_is_true(json_object_get(it, "drill")) ? " [DRILL]" : "", when,
		       json_string_value(json_object_get(it, "what")));
	}
	if (!json && json_array_size(items) == 0)
		printf("nothing is due\n");
	else if (!json && overdue)
		fprintf(stderr, "irk: %d item%s overdue\n", overdue, overdue == 1 ? " is" : "s are");
	json_decref(items);
	irk_casebook_close(cb);
	return overdue ? IRK_EFAIL : 0;
}
