/* cmd-phase.c - irk phase: move an incident to another phase. */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "irk/incident.h"

static const char usage[] =
	"usage: irk phase [INC] PHASE [--at TIME] [-m TEXT]\n\n"
	"Move an incident to PHASE: detected, triage, contained, eradicated or\n"
	"recovered (close it with 'irk close').  The first arrival in a phase\n"
	"is its stage time; --at gives it when it happened earlier.  Leads only.\n";

int cmd_phase(int argc, char **argv)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	struct irk_append when = { 0 };
	const char *inc_arg = NULL;
	char inc[IRK_CHAIN_MAX];
	int rc = cli_when_options(argc, argv, usage, &when);

	if (rc >= 0)
		return rc;
	rc = 0;
	if (argc - optind == 2)
		inc_arg = argv[optind++];
	else if (argc - optind != 1)
		return cli_usage("phase", "give the phase (and optionally the incident first)");
	if (cli_casebook(&cb, &err) || cli_incident(cb, inc_arg, inc, &err) ||
	    cli_identity(&id, &err) || irk_incident_phase(cb, &id, inc, argv[optind], &when, &err))
		rc = cli_error(&err);
	else
		printf("%s is now %s\n", inc, argv[optind]);
	irk_casebook_close(cb);
	return rc;
}
