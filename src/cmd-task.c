/* cmd-task.c - irk task add|ack|done|cancel|list: an incident's clear asks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "irk/span.h"
#include "irk/task.h"
#include "irk/timefmt.h"

static const char usage[] =
	"usage: irk task add [INC] TITLE [--owner MEMBER] [--phase PHASE] [--due WHEN]\n"
	"       irk task ack [INC] NUM --eta SPAN [-m TEXT]\n"
	"       irk task give [INC] NUM MEMBER [-m TEXT]\n"
	"       irk task done [INC] NUM [-m TEXT]\n"
	"       irk task cancel [INC] NUM [-m REASON]\n"
	"       irk task list [INC] [--all] [--json]\n\n"
	"Give someone a clear ask, and know they are on it.  The owner\n"
	"acknowledges with an ETA ('should take about 5 minutes'); the owner or\n"
	"a lead marks it done or gives it to someone else (who then acknowledges\n"
	"it anew); whoever added it or a lead cancels it.  Without INC, 'list'\n"
	"shows the open tasks of every open incident.\n\n"
	"  --owner MEMBER  e-mail, name or key id (default: you)\n"
	"  --phase PHASE   detected, triage, contained, eradicated or recovered\n"
	"                  (default: the incident's current phase)\n"
	"  --due WHEN      30m, 2h (from now) or a full time 2026-11-21T14:30:00Z\n"
	"  --eta SPAN      how long it should take: 5m, 1h30m\n"
	"  -m TEXT         a note for the log book\n"
	"  --all           include done and cancelled tasks\n"
	"  --json          JSON Lines\n";

static int parse_num(const char *s, int64_t *num)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	if (*s == '#')
		return parse_num(s + 1, num);
	if (!*s || *end || v < 1)
		return -1;
	*num = v;
	return 0;
}

static int task_list(struct irk_casebook *cb, const char *inc, int all, int json)
{
	struct irk_err err = IRK_ERR_INIT;
	int64_t now = irk_now_ms();
	json_t *arr, *t;
	size_t i;

	if (irk_task_list(cb, inc, all, now, &arr, &err))
		return cli_error(&err);
	json_array_foreach(arr, i, t) {
		struct irk_buf line = IRK_BUF_INIT;
		if (json) {
			cli_print_json(json_incref(t));
			continue;
		}
		irk_task_status(t, now, &line);
		printf("%s%s %s\n", inc ? "" : json_string_value(json_object_get(t, "inc")),
		       json_is_true(json_object_get(t, "drill")) ? " [DRILL]" : "", line.buf);
		irk_buf_release(&line);
	}
	json_decref(arr);
	return 0;
}

int cmd_task(int argc, char **argv)
{
	static const struct option opts[] = { { "owner", required_argument, NULL, 'o' },
					      { "phase", required_argument, NULL, 'p' },
					      { "due", required_argument, NULL, 'd' },
					      { "eta", required_argument, NULL, 'e' },
					      { "message", required_argument, NULL, 'm' },
					      { "all", no_argument, NULL, 'a' },
					      { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_task_new t = { 0 };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	const char *sub, *due = NULL, *eta = NULL, *text = NULL, *inc_arg = NULL;
	char inc[IRK_CHAIN_MAX];
	int64_t num = 0, eta_s = 0;
	int c, json = 0, all = 0, rc = 0, n;

	if ((c = cli_subcommand(&argc, &argv, usage, &sub)) >= 0)
		return c;
	if (strcmp(sub, "add") && strcmp(sub, "ack") && strcmp(sub, "done") && strcmp(sub, "cancel") &&
	    strcmp(sub, "give") && strcmp(sub, "list"))
		return cli_usage("task",
				 "unknown subcommand '%s' (use add, ack, give, done, cancel or list)", sub);
	while ((c = cli_getopt(argc, argv, "hm:", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		switch (c) {
		case 'o': t.owner = optarg; break;
		case 'p': t.phase = optarg; break;
		case 'd': due = optarg; break;
		case 'e': eta = optarg; break;
		case 'm': text = optarg; break;
		case 'a': all = 1; break;
		case 'j': json = 1; break;
		}
	}
	n = argc - optind;
	if (!strcmp(sub, "list")) {
		if (n > 1)
			return cli_usage("task", "list takes at most an incident");
		if (cli_casebook(&cb, &err) || (n == 1 && cli_incident(cb, argv[optind], inc, &err))) {
			rc = cli_error(&err);
		} else {
			rc = task_list(cb, n == 1 ? inc : NULL, all, json);
		}
		irk_casebook_close(cb);
		return rc;
	}
	if (!strcmp(sub, "give")) {
		if (n == 3)
			inc_arg = argv[optind++];
		else if (n != 2)
			return cli_usage("task", "give needs a task number and a member");
		t.owner = argv[optind + 1];
	} else if (n == 2)
		inc_arg = argv[optind++];
	else if (n != 1)
		return cli_usage("task", "%s needs %s (and optionally the incident first)", sub,
				 strcmp(sub, "add") ? "a task number" : "a title");
	if (strcmp(sub, "add") && parse_num(argv[optind], &num))
		return cli_usage("task", "'%s' is not a task number", argv[optind]);
	if (!strcmp(sub, "ack")) {
		if (!eta)
			return cli_usage("task", "ack needs --eta: how long it should take (e.g. 5m)");
		if (irk_span_parse(eta, &eta_s, &err)) {
			irk_err_prefix(&err, "--eta");
			return cli_error(&err);
		}
	}
	if (due) {
		if (irk_moment_parse(due, irk_now_ms(), &t.due_ms, &err)) {
			irk_err_prefix(&err, "--due");
			return cli_error(&err);
		}
		t.has_due = 1;
	}
	if (cli_casebook(&cb, &err) || cli_incident(cb, inc_arg, inc, &err) ||
	    cli_identity(&id, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	if (!strcmp(sub, "add")) {
		t.title = argv[optind];
		if (irk_task_add(cb, &id, inc, &t, &num, &err))
			rc = cli_error(&err);
		else
			printf("%s task %lld added\n", inc, (long long)num);
	} else if (!strcmp(sub, "ack")) {
		char d[32];
		irk_duration(eta_s, d);
		if (irk_task_ack(cb, &id, inc, num, eta_s, text, &err))
			rc = cli_error(&err);
		else
			printf("%s task %lld acknowledged, ETA %s\n", inc, (long long)num, d);
	} else if (!strcmp(sub, "give")) {
		if (irk_task_assign(cb, &id, inc, num, t.owner, text, &err))
			rc = cli_error(&err);
		else
			printf("%s task %lld given to %s\n", inc, (long long)num, t.owner);
	} else if (!strcmp(sub, "done")) {
		if (irk_task_done(cb, &id, inc, num, text, &err))
			rc = cli_error(&err);
		else
			printf("%s task %lld done\n", inc, (long long)num);
	} else {
		if (irk_task_cancel(cb, &id, inc, num, text, &err))
			rc = cli_error(&err);
		else
			printf("%s task %lld cancelled\n", inc, (long long)num);
	}
done:
	irk_casebook_close(cb);
	return rc;
}
