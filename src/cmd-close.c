/* cmd-close.c - irk close: close an incident with a resolution. */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "irk/incident.h"

static const char usage[] =
	"usage: irk close [INC] --resolution R [--duplicate-of INC] [-m TEXT]\n\n"
	"Close an incident.  R is resolved, false-positive or duplicate (which\n"
	"needs --duplicate-of).  The log book stays open for notes and the\n"
	"postmortem; state changes need 'irk reopen'.  Leads only.\n";

int cmd_close(int argc, char **argv)
{
	static const struct option opts[] = { { "resolution", required_argument, NULL, 'r' },
					      { "duplicate-of", required_argument, NULL, 'd' },
					      { "message", required_argument, NULL, 'm' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	const char *res = NULL, *dup = NULL, *text = NULL;
	char inc[IRK_CHAIN_MAX];
	int c, rc = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "hm:", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		if (c == 'r')
			res = optarg;
		else if (c == 'd')
			dup = optarg;
		else if (c == 'm')
			text = optarg;
	}
	if (!res)
		return cli_usage("close", "--resolution is required (resolved, false-positive or duplicate)");
	if (argc - optind > 1)
		return cli_usage("close", "give at most one incident");
	if (cli_casebook(&cb, &err) || cli_incident(cb, optind < argc ? argv[optind] : NULL, inc, &err) ||
	    cli_identity(&id, &err) || irk_incident_close(cb, &id, inc, res, dup, text, &err))
		rc = cli_error(&err);
	else
		printf("%s is closed (%s)\n", inc, res);
	irk_casebook_close(cb);
	return rc;
}
