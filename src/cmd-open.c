/* cmd-open.c - irk open: open an incident. */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "irk/incident.h"
#include "irk/playbook.h"
#include "irk/timefmt.h"

static const char usage[] =
	"usage: irk open TITLE [options]\n\n"
	"Open an incident and start its log book.\n\n"
	"  --severity S     low, medium (default), high or critical\n"
	"  --category C     account-compromise, web-compromise, data-breach,\n"
	"                   leaked-credentials, ransomware, lost-device, ddos,\n"
	"                   phishing, abuse, malware, insider, other (default)\n"
	"  --tlp T          clear, green, amber (default), amber+strict or red\n"
	"  --drill          mark it as an exercise\n"
	"  --playbook NAME  follow a playbook: its type, tasks and duties\n"
	"                   ('irk playbook list'); you become the lead\n"
	"  --detected TIME  when it was detected (default: now)\n"
	"  --occurred TIME  when it began, if known\n"
	"  --reported TIME  when it was reported to the team, if it was\n"
	"  --json           print the new incident as JSON\n\n"
	"TIME: 2026-11-21T14:05:00Z, '2026-11-21 14:05 +0100', 14:05 (today, local).\n";

int cmd_open(int argc, char **argv)
{
	static const struct option opts[] = { { "severity", required_argument, NULL, 's' },
					      { "category", required_argument, NULL, 'c' },
					      { "tlp", required_argument, NULL, 't' },
					      { "drill", no_argument, NULL, 'd' },
					      { "detected", required_argument, NULL, 'D' },
					      { "occurred", required_argument, NULL, 'O' },
					      { "reported", required_argument, NULL, 'R' },
					      { "playbook", required_argument, NULL, 'p' },
					      { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_incident_new n = { 0 };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	const char *playbook = NULL;
	char inc[IRK_CHAIN_MAX];
	int c, json = 0, tz, rc = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "h", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		switch (c) {
		case 's': n.severity = optarg; break;
		case 'c': n.category = optarg; break;
		case 't': n.tlp = optarg; break;
		case 'd': n.drill = 1; break;
		case 'j': json = 1; break;
		case 'p': playbook = optarg; break;
		case 'D':
			if (irk_time_parse(optarg, irk_now_ms(), &n.detected_ms, &tz, &err))
				return cli_error(&err);
			n.has_detected = 1;
			break;
		case 'O':
			if (irk_time_parse(optarg, irk_now_ms(), &n.occurred_ms, &tz, &err))
				return cli_error(&err);
			n.has_occurred = 1;
			break;
		case 'R':
			if (irk_time_parse(optarg, irk_now_ms(), &n.reported_ms, &tz, &err))
				return cli_error(&err);
			n.has_reported = 1;
			break;
		}
	}
	if (optind != argc - 1)
		return cli_usage("open", "give the incident's title as one argument");
	n.title = argv[optind];
	if (cli_casebook(&cb, &err) || cli_identity(&id, &err) ||
	    (playbook ? irk_playbook_open(cb, &id, playbook, &n, inc, &err)
		      : irk_incident_open(cb, &id, &n, inc, &err))) {
		rc = cli_error(&err);
	} else if (json) {
		json_t *o;
		if (irk_incident_get(cb, inc, &o, &err))
			rc = cli_error(&err);
		else
			cli_print_json(o);
	} else {
		printf("opened %s%s: %s\n", inc, n.drill ? " (drill)" : "", n.title);
	}
	irk_casebook_close(cb);
	return rc;
}
