/* cmd-role.c - irk role: who leads, communicates, writes and works an incident. */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "irk/crew.h"

static const char usage[] =
	"usage: irk role [INC] ROLE MEMBER [-m TEXT]\n"
	"       irk role [INC] [--json]\n\n"
	"Give an incident role to a member, or list who holds which role.\n"
	"ROLE is lead, comms, scribe or tech; MEMBER is a member's e-mail, name\n"
	"or key id.  Giving a held role to someone else is a handover, recorded\n"
	"as such.  Once an incident has a lead, roles are the lead's to give\n"
	"(or a casebook lead's).\n\n"
	"  -m, --message TEXT  a note for the log book (e.g. what was handed over)\n"
	"  --json              list as JSON Lines\n";

static int role_list(struct irk_casebook *cb, const char *inc, int json)
{
	struct irk_err err = IRK_ERR_INIT;
	json_t *arr, *r;
	size_t i;

	if (irk_crew_list(cb, inc, &arr, &err))
		return cli_error(&err);
	json_array_foreach(arr, i, r) {
		if (json)
			cli_print_json(json_incref(r));
		else
			printf("%-7s %-30s since %s\n", json_string_value(json_object_get(r, "role")),
			       json_string_value(json_object_get(r, "email")),
			       json_string_value(json_object_get(r, "since")));
	}
	if (!json && json_array_size(arr) == 0)
		printf("%s has no crew yet (irk role %s lead MEMBER)\n", inc, inc);
	json_decref(arr);
	return 0;
}

int cmd_role(int argc, char **argv)
{
	static const struct option opts[] = { { "message", required_argument, NULL, 'm' },
					      { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	const char *text = NULL, *inc_arg = NULL;
	char inc[IRK_CHAIN_MAX];
	int c, json = 0, rc = 0, n;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "hm:", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		if (c == 'm')
			text = optarg;
		else if (c == 'j')
			json = 1;
	}
	n = argc - optind;
	if (n == 1 || n == 3)
		inc_arg = argv[optind++];
	else if (n != 0 && n != 2)
		return cli_usage("role", "give ROLE and MEMBER (and optionally the incident first)");
	if (cli_casebook(&cb, &err) || cli_incident(cb, inc_arg, inc, &err)) {
		rc = cli_error(&err);
	} else if (n < 2) {
		rc = role_list(cb, inc, json);
	} else if (cli_identity(&id, &err) ||
		   irk_crew_assign(cb, &id, inc, argv[optind], argv[optind + 1], text, &err)) {
		rc = cli_error(&err);
	} else {
		printf("%s: %s is now %s\n", inc, argv[optind + 1], argv[optind]);
	}
	irk_casebook_close(cb);
	return rc;
}
