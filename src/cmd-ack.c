/* cmd-ack.c - irk ack: a responder takes an incident on (its "acknowledged" time). */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "irk/incident.h"

static const char usage[] =
	"usage: irk ack [INC] [--at TIME] [-m TEXT]\n\n"
	"Acknowledge an incident: you have seen it and are working on it.  The\n"
	"first acknowledgement is the incident's \"acknowledged\" stage time, and\n"
	"the time from detection to it is the time-to-acknowledge of 'irk stats'\n"
	"(incidents never acknowledged count from their move to triage).  An\n"
	"incident is acknowledged once; later notes go in with 'irk log'.\n"
	"Responders and above.\n\n"
	"  --at TIME     when you acknowledged it, if not now\n"
	"  -m TEXT       the entry's text (default \"acknowledged\")\n\n"
	"TIME: 2026-11-21T14:05:00Z, '2026-11-21 14:05 +0100', 14:05 (today, local).\n";

int cmd_ack(int argc, char **argv)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	struct irk_append when = { 0 };
	char inc[IRK_CHAIN_MAX];
	int rc = cli_when_options(argc, argv, usage, &when);

	if (rc >= 0)
		return rc;
	rc = 0;
	if (argc - optind > 1)
		return cli_usage("ack", "give at most one incident");
	if (cli_casebook(&cb, &err) || cli_incident(cb, optind < argc ? argv[optind] : NULL, inc, &err) ||
	    cli_identity(&id, &err) || irk_incident_ack(cb, &id, inc, &when, &err))
		rc = cli_error(&err);
	else
		printf("%s is acknowledged\n", inc);
	irk_casebook_close(cb);
	return rc;
}
