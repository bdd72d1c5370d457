/* cmd-playbook.c - irk playbook list|show|check|draft: prepared procedures. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "irk/fs.h"
#include "irk/playbook.h"
#include "irk/yamldoc.h"

static const char usage[] =
	"usage: irk playbook list [--json]\n"
	"       irk playbook show NAME [--json]\n"
	"       irk playbook check [NAME|FILE.yml]...\n"
	"       irk playbook draft [INC] MESSAGE\n\n"
	"Playbooks are prepared procedures for a type of incident: tasks per\n"
	"phase, notification duties and message templates ('irk open --playbook\n"
	"NAME' puts them to work).  Bundled ones are built in; a casebook adds\n"
	"or overrides its own in .irk/playbooks/NAME.yml.  'check' loads each\n"
	"(all of them without arguments) and names the file, line and reason of\n"
	"any fault; it exits 4 if one is malformed.  'draft' fills a message\n"
	"template of the incident's playbook for the incident.\n\n"
	"  --json   JSON (Lines for list)\n";

/* A casebook if there is one: playbooks work outside casebooks too. */
static struct irk_casebook *maybe_casebook(void)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;

	if (cli_casebook(&cb, &err))
		return NULL;
	return cb;
}

static void print_playbook(json_t *pb)
{
	json_t *t, *d, *m;
	size_t i;

	printf("%s - %s\n  category %s, severity %s (%s)\n\n%s\n",
	       json_string_value(json_object_get(pb, "name")), json_string_value(json_object_get(pb, "title")),
	       json_string_value(json_object_get(pb, "category")),
	       json_string_value(json_object_get(pb, "severity")),
	       json_string_value(json_object_get(pb, "source")),
	       json_string_value(json_object_get(pb, "summary")));
	printf("\ntasks:\n");
	json_array_foreach(json_object_get(pb, "tasks"), i, t) {
		json_t *due = json_object_get(t, "due_s");
		printf("  %-10s %-6s %s", json_string_value(json_object_get(t, "phase")),
		       json_string_value(json_object_get(t, "role")),
		       json_string_value(json_object_get(t, "title")));
		if (json_is_integer(due))
			printf(" (due %lld min after opening)", (long long)json_integer_value(due) / 60);
		printf("\n");
	}
	if (json_array_size(json_object_get(pb, "duties")))
		printf("\nnotification duties:\n");
	json_array_foreach(json_object_get(pb, "duties"), i, d)
		printf("  %-16s within %lldh of %s: %s\n", json_string_value(json_object_get(d, "notify")),
		       (long long)json_integer_value(json_object_get(d, "within_s")) / 3600,
		       json_string_value(json_object_get(d, "clock")),
		       json_string_value(json_object_get(d, "why")));
	if (json_array_size(json_object_get(pb, "messages")))
		printf("\nmessages (irk playbook draft INC NAME):\n");
	json_array_foreach(json_object_get(pb, "messages"), i, m)
		printf("  %-24s to %s\n", json_string_value(json_object_get(m, "name")),
		       json_string_value(json_object_get(m, "audience")));
}

static int check_one(struct irk_casebook *cb, const char *arg)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_buf text = IRK_BUF_INIT;
	json_t *pb = NULL;
	size_t n = strlen(arg);
	int rc = 0;

	if (strchr(arg, '/') || (n > 4 && !strcmp(arg + n - 4, ".yml"))) {
		if (irk_read_file(arg, IRK_YAML_MAX + 1, &text, &err) ||
		    irk_playbook_parse(text.buf, text.len, arg, NULL, &pb, &err))
			rc = cli_error(&err);
	} else if (irk_playbook_load(cb, arg, &pb, &err)) {
		rc = cli_error(&err);
	}
	if (!rc)
		printf("ok %s (%s)\n", json_string_value(json_object_get(pb, "name")),
		       json_string_value(json_object_get(pb, "source")));
	json_decref(pb);
	irk_buf_release(&text);
	return rc;
}

int cmd_playbook(int argc, char **argv)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	const char *sub;
	json_t *arr = NULL, *p;
	int c, json = 0, rc = 0;
	size_t i;

	if ((c = cli_subcommand(&argc, &argv, usage, &sub)) >= 0)
		return c;
	if ((c = cli_json_option(argc, argv, usage, &json)) >= 0)
		return c;
	if (!strcmp(sub, "draft")) {
		struct irk_buf out = IRK_BUF_INIT;
		char inc[IRK_CHAIN_MAX];
		if (argc - optind < 1 || argc - optind > 2)
			return cli_usage("playbook", "draft needs a message name (and optionally INC first)");
		if (cli_casebook(&cb, &err) ||
		    cli_incident(cb, argc - optind == 2 ? argv[optind] : NULL, inc, &err) ||
		    irk_playbook_draft(cb, inc, argv[argc - 1], &out, &err))
			rc = cli_error(&err);
		else
			printf("%s\n", out.buf);
		irk_buf_release(&out);
		irk_casebook_close(cb);
		return rc;
	}
	cb = maybe_casebook();
	if (!strcmp(sub, "list")) {
		if (irk_playbook_list(cb, &arr, &err)) {
			rc = cli_error(&err);
		} else {
			json_array_foreach(arr, i, p) {
				if (json)
					cli_print_json(json_incref(p));
				else if (json_is_string(json_object_get(p, "error")))
					printf("%-22s BROKEN: %s\n", json_string_value(json_object_get(p, "name")),
					       json_string_value(json_object_get(p, "error")));
				else
					printf("%-22s %-18s %-8s %s\n",
					       json_string_value(json_object_get(p, "name")),
					       json_string_value(json_object_get(p, "category")),
					       json_string_value(json_object_get(p, "severity")),
					       json_string_value(json_object_get(p, "title")));
			}
		}
	} else if (!strcmp(sub, "show")) {
		if (argc - optind != 1) {
			rc = cli_usage("playbook", "show needs one playbook name");
		} else if (irk_playbook_load(cb, argv[optind], &p, &err)) {
			rc = cli_error(&err);
		} else if (json) {
			cli_print_json(p);
		} else {
			print_playbook(p);
			json_decref(p);
		}
	} else if (!strcmp(sub, "check")) {
		if (optind == argc && !irk_playbook_list(cb, &arr, &err)) {
			json_array_foreach(arr, i, p) {
				int r = check_one(cb, json_string_value(json_object_get(p, "name")));
				rc = rc ? rc : r;
			}
		}
		for (; optind < argc; optind++) {
			int r = check_one(cb, argv[optind]);
			rc = rc ? rc : r;
		}
	} else {
		rc = cli_usage("playbook", "unknown subcommand '%s' (use list, show, check or draft)", sub);
	}
	json_decref(arr);
	irk_casebook_close(cb);
	return rc;
}
