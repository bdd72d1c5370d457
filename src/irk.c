/*
 * irk.c - the program's entry point and its command table.
 *
 * Global options come before the command (`irk -C DIR log ...`); each
 * command lives in src/cmd-<name>.c and parses its own options.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"

#ifndef IRK_VERSION
#define IRK_VERSION "0.1.0"
#endif

const struct cmd irk_commands[] = {
	{ "init", cmd_init, "create a casebook (.irk/) in this directory" },
	{ "id", cmd_id, "create or show your signing identity" },
	{ "member", cmd_member, "add members and list them (add, list)" },
	{ "open", cmd_open, "open an incident" },
	{ "list", cmd_list, "list incidents" },
	{ "show", cmd_show, "show an incident and its log book" },
	{ "log", cmd_log, "write to an incident's log book" },
	{ "amend", cmd_amend, "correct an earlier entry (with a new entry)" },
	{ "phase", cmd_phase, "move an incident to its next phase" },
	{ "ack", cmd_ack, "acknowledge an incident: you are on it" },
	{ "close", cmd_close, "close an incident with a resolution" },
	{ "reopen", cmd_reopen, "reopen a closed incident" },
	{ "verify", cmd_verify, "verify hashes, chains, signatures and projections" },
	{ "checkpoint", cmd_checkpoint, "write or countersign a signed checkpoint" },
	{ "role", cmd_role, "give an incident's lead, comms, scribe and tech roles" },
	{ "task", cmd_task, "an incident's tasks (add, ack, give, done, cancel, list)" },
	{ "due", cmd_due, "what is overdue or due soon across open incidents" },
	{ "contact", cmd_contact, "points of contact (add, list, verify)" },
	{ "notify", cmd_notify, "record who was told what (and duties, ack, list)" },
	{ "assess", cmd_assess, "evaluate an incident: is it real, how big is it" },
	{ "playbook", cmd_playbook, "prepared procedures (list, show, check, draft)" },
	{ "drill", cmd_drill, "tabletop exercises (list, start, inject, report)" },
	{ "evidence", cmd_evidence, "the evidence locker (add, list, show, transfer, get, verify)" },
	{ "export", cmd_export, "write an incident as a signed bundle" },
	{ "import", cmd_import, "add a verified bundle from another casebook" },
	{ "timeline", cmd_timeline, "an incident's chronology (text, json, csv, md, html, svg)" },
	{ "postmortem", cmd_postmortem, "write, show and check an incident's blameless postmortem" },
	{ "report", cmd_report, "postmortem, executive, technical or disclosure report (md, html, pdf)" },
	{ "stats", cmd_stats, "incident metrics over time (text, json, html with charts)" },
	{ "msg", cmd_msg, "draft, lint, approve and publish incident messages" },
	{ "share", cmd_share, "share log lines about a remote site, pseudonymised" },
	{ "scan", cmd_scan, "run Sigma rules over log files and report findings" },
	{ "rules", cmd_rules, "check and list detection rules" },
	{ "watch", cmd_watch, "follow logs and raise findings as they happen" },
	{ "trace", cmd_trace, "all events of one trace or request id, in time order" },
	{ "baseline", cmd_baseline, "record files in a signed baseline and check them" },
	{ "verify-packages", cmd_verify_packages, "check installed files against package checksums" },
	{ "collect", cmd_collect, "snapshot this host (processes, network, logins, logs...)" },
	{ "serve", cmd_serve, "run the team server: HTTP API and web UI" },
	{ "token", cmd_token, "API tokens for the team server (create, list, revoke)" },
	{ "baseline", cmd_baseline, "record files in a signed baseline and check them" },
	{ "verify-packages", cmd_verify_packages, "check installed files against package checksums" },
	{ NULL, NULL, NULL },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: irk [-C DIR] COMMAND [ARGS]\n"
		     "       irk COMMAND --help\n\n"
		     "irk keeps a signed, hash-chained log book of security incidents.\n\n"
		     "Commands:\n");
	for (const struct cmd *c = irk_commands; c->name; c++)
		fprintf(out, "  %-12s %s\n", c->name, c->summary);
	fprintf(out, "\nOptions:\n"
		     "  -C DIR       run as if started in DIR\n"
		     "  --version    print the version\n"
		     "  --help       this text\n\n"
		     "Environment: IRK_DIR (the .irk directory), IRK_KEY (identity file),\n"
		     "IRK_INCIDENT (default incident). Exit codes: docs/ERRORS.md.\n");
}

int main(int argc, char **argv)
{
	int i = 1;

	setlocale(LC_CTYPE, "");
	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "-C")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "irk: -C needs a directory\n");
				return IRK_EUSAGE;
			}
			if (chdir(argv[i + 1]) != 0) {
				fprintf(stderr, "irk: cannot change to %s: %s\n", argv[i + 1],
					strerror(errno));
				return IRK_ENOTFOUND;
			}
			i += 2;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			printf("irk %s\n", IRK_VERSION);
			return 0;
		} else {
			fprintf(stderr, "irk: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return IRK_EUSAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return IRK_EUSAGE;
	}
	for (const struct cmd *c = irk_commands; c->name; c++)
		if (!strcmp(c->name, argv[i]))
			return c->fn(argc - i, argv + i);
	fprintf(stderr, "irk: '%s' is not an irk command; see 'irk --help'\n", argv[i]);
	return IRK_EUSAGE;
}
