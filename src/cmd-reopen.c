/* cmd-reopen.c - irk reopen: reopen a closed incident. */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "irk/incident.h"

static const char usage[] =
	"usage: irk reopen INC [-m TEXT]\n\n"
	"Reopen a closed incident; it returns to triage.  Leads only.\n";

int cmd_reopen(int argc, char **argv)
{
	static const struct option opts[] = { { "message", required_argument, NULL, 'm' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	const char *text = NULL;
	char inc[IRK_CHAIN_MAX];
	int c, rc = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "hm:", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		if (c == 'm')
			text = optarg;
	}
	if (argc - optind != 1)
		return cli_usage("reopen", "name the incident to reopen");
	if (cli_casebook(&cb, &err) || irk_incident_resolve(cb, argv[optind], inc, &err) ||
	    cli_identity(&id, &err) || irk_incident_reopen(cb, &id, inc, text, &err))
		rc = cli_error(&err);
	else
		printf("%s is reopened (triage)\n", inc);
	irk_casebook_close(cb);
	return rc;
}
