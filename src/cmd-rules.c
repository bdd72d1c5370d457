/* cmd-rules.c - irk rules: check and list Sigma rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-detect.h"
#include "cli.h"
#include "commands.h"

static const char usage[] =
	"usage: irk rules check [PATH...] [--json]\n"
	"       irk rules list [PATH...] [--json]\n\n"
	"check: load every rule (the bundled ones when no PATH is given; a PATH is\n"
	"a rule file or a directory searched for *.yml and *.yaml) and report\n"
	"each one's status: ok, or refused with file, line and reason.  Exits 1\n"
	"when any rule is refused.\n"
	"list: the rules that load: kind, level, id and title.\n\n"
	"  --json   one JSON object per rule\n";

static const char *corr_name(enum irk_corr_type t)
{
	static const char *const names[] = { "detection", "event_count", "value_count", "temporal",
					     "temporal_ordered" };
	return names[t];
}

int cmd_rules(int argc, char **argv)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_ruleset rs;
	const char *sub;
	int c, json = 0, rc = 0;

	optind = 0;
	if ((c = cli_json_option(argc, argv, usage, &json)) >= 0)
		return c;
	if (optind >= argc)
		return cli_usage("rules", "say check or list");
	sub = argv[optind++];
	if (strcmp(sub, "check") && strcmp(sub, "list"))
		return cli_usage("rules", "unknown subcommand '%s' (check or list)", sub);
	if (cli_rules_load(argv + optind, argc - optind, &rs, &err)) {
		rc = cli_error(&err);
		irk_ruleset_release(&rs);
		return rc;
	}
	if (!strcmp(sub, "check")) {
		for (int i = 0; i < rs.nstatus; i++) {
			const struct irk_rule_status *s = &rs.status[i];
			if (json)
				cli_print_json(json_pack("{s:s, s:i, s:s?, s:s, s:s?}", "file", s->file,
							 "line", s->line, "title", s->title, "status",
							 s->ok ? "ok" : "refused", "reason", s->reason));
			else if (s->ok)
				printf("ok       %s:%d  %s\n", s->file, s->line, s->title ? s->title : "");
			else
				printf("refused  %s:%d  %s%s%s\n", s->file, s->line,
				       s->title ? s->title : "", s->title ? ": " : "", s->reason);
		}
		if (!json)
			printf("%d rule%s, %d refused\n", rs.nstatus, rs.nstatus == 1 ? "" : "s",
			       rs.nrefused);
		rc = rs.nrefused ? IRK_EFAIL : 0;
	} else {
		for (int i = 0; i < rs.nrules; i++) {
			const struct irk_sigma_rule *r = rs.rules[i];
			if (json)
				cli_print_json(json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:s, s:i}", "title",
							 r->title, "kind", corr_name(r->corr), "id", r->id,
							 "name", r->name, "level", r->level, "file",
							 r->file, "line", r->line));
			else
				printf("%-16s %-13s %s\n", corr_name(r->corr), r->level, r->title);
		}
	}
	irk_ruleset_release(&rs);
	return rc;
}
