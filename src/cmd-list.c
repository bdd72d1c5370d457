/* cmd-list.c - irk list: the incidents of the casebook. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "irk/incident.h"

static const char usage[] =
	"usage: irk list [--all] [--json]\n\n"
	"List open incidents, newest first.\n\n"
	"  --all    include closed incidents\n"
	"  --json   one JSON object per line\n";

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = { { "all", no_argument, NULL, 'a' },
					      { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	json_t *arr = NULL, *o;
	int c, all = 0, json = 0;
	size_t i;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "ah", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		if (c == 'a')
			all = 1;
		else if (c == 'j')
			json = 1;
	}
	if (optind < argc)
		return cli_usage("list", "unexpected argument '%s'", argv[optind]);
	if (cli_casebook(&cb, &err) || irk_incident_list(cb, all, &arr, &err)) {
		irk_casebook_close(cb);
		return cli_error(&err);
	}
	if (!json && json_array_size(arr) == 0)
		printf(all ? "no incidents\n" : "no open incidents (see 'irk list --all')\n");
	json_array_foreach(arr, i, o) {
		if (json) {
			cli_print_json(json_incref(o));
			continue;
		}
		printf("%-14s %-10s %-8s %-12s %s%s\n", json_string_value(json_object_get(o, "id")),
		       json_string_value(json_object_get(o, "phase")),
		       json_string_value(json_object_get(o, "severity")),
		       json_string_value(json_object_get(o, "category")),
		       json_is_true(json_object_get(o, "drill")) ? "[DRILL] " : "",
		       json_string_value(json_object_get(o, "title")));
	}
	json_decref(arr);
	irk_casebook_close(cb);
	return 0;
}
