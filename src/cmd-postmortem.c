/* cmd-postmortem.c - irk postmortem: write, show and check an incident's blameless postmortem. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "irk/fs.h"
#include "irk/incident.h"
#include "irk/postmortem.h"
#include "irk/timefmt.h"

static const char usage[] =
	"usage: irk postmortem [INC] edit [--file F]\n"
	"       irk postmortem [INC] show [--json]\n"
	"       irk postmortem [INC] check\n"
	"       irk postmortem [INC] template\n"
	"       irk postmortem [INC] done N [--at TIME]\n\n"
	"A blameless postmortem: summary, impact, detection, response, several\n"
	"contributing factors (each linked to log-book entries and to the seven\n"
	"principles), what went well, lessons, action items with owners and due\n"
	"dates, cost, recommendations.  Each edit is a new log-book entry; while\n"
	"the incident is open, each new action item also becomes a task.\n\n"
	"  edit       on a terminal, opens $VISUAL or $EDITOR on the current text;\n"
	"             otherwise reads the text from standard input\n"
	"  --file F   read the text from F ('-' for standard input)\n"
	"  show       the postmortem with times, cost and action items\n"
	"  check      warnings only (single factor, blame language, ...); exit 1 if any\n"
	"  template   print an empty postmortem to fill in\n"
	"  done N     action item N is done (--at when it was)\n\n"
	"The text format and the cost method are described in docs/REPORTS.md.\n";

static const char *const subcommands[] = { "edit", "show", "check", "template", "done", NULL };

static void print_warnings(json_t *w)
{
	size_t i;
	json_t *v;

	json_array_foreach(w, i, v)
		fprintf(stderr, "warning: %s\n", json_string_value(v));
}

/* Let the user edit `text` in their editor; the result replaces it. */
static enum irk_code run_editor(struct irk_buf *text, struct irk_buf *path, struct irk_err *err)
{
	const char *editor = getenv("VISUAL");
	char tmpl[] = "/tmp/irk-postmortem-XXXXXX.md";
	int fd, status;
	pid_t pid;

	if (!editor || !*editor)
		editor = getenv("EDITOR");
	if (!editor || !*editor)
		editor = "vi";
	fd = mkstemps(tmpl, 3);
	if (fd < 0)
		return irk_fail(err, IRK_EIO, "cannot create a temporary file in /tmp");
	close(fd);
	irk_buf_adds(path, tmpl);
	if (irk_write_file(tmpl, text->buf, text->len, 0600, err))
		return IRK_EIO;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "$IRK_EDITOR \"$1\"", "sh", tmpl, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return irk_fail(err, IRK_EIO, "the editor (%s) did not finish successfully", editor);
	irk_buf_reset(text);
	return irk_read_file(tmpl, IRK_POSTMORTEM_MAX + 1, text, err);
}

static int do_edit(struct irk_casebook *cb, const char *inc, const char *file)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_buf text = IRK_BUF_INIT, path = IRK_BUF_INIT, before = IRK_BUF_INIT;
	struct irk_identity id;
	struct irk_entry e;
	json_t *pm = NULL, *incident = NULL, *w;
	int64_t seq;
	int rc = 0, tasks = 0;

	if (cli_identity(&id, &err))
		return cli_error(&err);
	if (!file && isatty(0)) {
		if (irk_incident_get(cb, inc, &incident, &err))
			return cli_error(&err);
		irk_postmortem_get(cb, inc, &pm, &seq, NULL);
		irk_postmortem_format(inc, incident, pm, &text);
		json_decref(pm);
		json_decref(incident);
		pm = NULL;
		irk_buf_adds(&before, text.buf);
		setenv("IRK_EDITOR", getenv("VISUAL") && *getenv("VISUAL") ? getenv("VISUAL")
				     : getenv("EDITOR") && *getenv("EDITOR") ? getenv("EDITOR")
									     : "vi", 1);
		if (run_editor(&text, &path, &err)) {
			rc = cli_error(&err);
			goto done;
		}
		if (!strcmp(text.buf, before.buf)) {
			printf("no change: %s's postmortem was not written\n", inc);
			goto done;
		}
	} else if (irk_read_file(file ? file : "-", IRK_POSTMORTEM_MAX + 1, &text, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	if (irk_postmortem_parse(text.buf, text.len, &pm, &err)) {
		rc = cli_error(&err);
		if (path.len)
			fprintf(stderr, "your text is kept in %s: fix it and run 'irk postmortem %s "
					"edit --file %s'\n",
				path.buf, inc, path.buf);
		irk_buf_reset(&path);
		goto done;
	}
	w = irk_postmortem_warnings(pm);
	print_warnings(w);
	json_decref(w);
	if (irk_postmortem_save(cb, &id, inc, pm, &tasks, &e, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	printf("%s #%lld postmortem version %lld\n", inc, (long long)e.seq,
	       (long long)json_integer_value(json_object_get(pm, "version")));
	if (tasks)
		printf("%d action item%s added as task%s (see 'irk task list %s')\n", tasks,
		       tasks == 1 ? "" : "s", tasks == 1 ? "" : "s", inc);
	irk_entry_release(&e);
done:
	if (path.len)
		unlink(path.buf);
	json_decref(pm);
	irk_buf_release(&text);
	irk_buf_release(&path);
	irk_buf_release(&before);
	return rc;
}

static void print_stage_durations(json_t *incident)
{
	static const struct {
		const char *from, *to, *label;
	} spans[] = { { "occurred", "detected", "time to detect" },
		      { "detected", "contained", "time to contain" },
		      { "detected", "recovered", "time to recover" },
		      { "occurred", "recovered", "duration (occurred to recovered)" } };
	json_t *times = json_object_get(incident, "times");

	for (size_t i = 0; i < sizeof(spans) / sizeof(spans[0]); i++) {
		const char *a = json_string_value(json_object_get(times, spans[i].from));
		const char *b = json_string_value(json_object_get(times, spans[i].to));
		int64_t x, y;
		char d[32];

		if (!a || !b || irk_time_parse_utc(a, &x, NULL) || irk_time_parse_utc(b, &y, NULL) || y < x)
			continue;
		irk_duration((y - x) / 1000, d);
		printf("# %s: %s\n", spans[i].label, d);
	}
}

static int do_show(struct irk_casebook *cb, const char *inc, int json)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_buf text = IRK_BUF_INIT;
	json_t *pm = NULL, *incident = NULL, *cost, *v;
	size_t i;

	if (irk_postmortem_show(cb, inc, &pm, &incident, &err))
		return cli_error(&err);
	if (json) {
		cli_print_json(pm);
		json_decref(incident);
		return 0;
	}
	cost = json_object_get(pm, "cost_estimate");
	irk_postmortem_format(inc, incident, pm, &text);
	fputs(text.buf, stdout);
	printf("\n# --- computed from the casebook, not part of the text ---\n");
	print_stage_durations(incident);
	printf("# responder hours from the log book: %.2f", json_number_value(json_object_get(cost, "logbook_hours")));
	json_array_foreach(json_object_get(cost, "responders"), i, v)
		printf("%s %s %.2f", i ? "," : " (", json_string_value(json_object_get(v, "who")),
		       json_number_value(json_object_get(v, "hours")));
	printf("%s\n", json_array_size(json_object_get(cost, "responders")) ? ")" : "");
	printf("# cost: %.2f h x %.2f + %.2f other = %.2f %s\n",
	       json_number_value(json_object_get(cost, "hours")),
	       json_number_value(json_object_get(cost, "rate")),
	       json_number_value(json_object_get(cost, "other")),
	       json_number_value(json_object_get(cost, "total")),
	       json_string_value(json_object_get(cost, "currency")));
	json_array_foreach(json_object_get(pm, "actions"), i, v)
		printf("# action item %zu: %s\n", i + 1,
		       json_is_string(json_object_get(v, "done"))
			       ? json_string_value(json_object_get(v, "done"))
			       : "open");
	print_warnings(json_object_get(pm, "warnings"));
	irk_buf_release(&text);
	json_decref(pm);
	json_decref(incident);
	return 0;
}

int cmd_postmortem(int argc, char **argv)
{
	static const struct option opts[] = { { "file", required_argument, NULL, 'f' },
					      { "json", no_argument, NULL, 'j' },
					      { "at", required_argument, NULL, 'a' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_append when = { 0 };
	const char *file = NULL, *inc_arg = NULL, *sub, *at = NULL;
	char inc[IRK_CHAIN_MAX];
	int c, json = 0, rc = 0;
	json_t *pm = NULL, *incident = NULL;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "hf:", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		if (c == 'f')
			file = optarg;
		else if (c == 'j')
			json = 1;
		else if (c == 'a')
			at = optarg;
	}
	if (optind < argc && irk_list_index(subcommands, argv[optind]) < 0)
		inc_arg = argv[optind++];
	if (optind >= argc)
		return cli_usage("postmortem", "say what to do: edit, show, check, template or done");
	sub = argv[optind++];
	if (irk_list_index(subcommands, sub) < 0)
		return cli_usage("postmortem", "unknown subcommand '%s'", sub);
	if (strcmp(sub, "done") ? optind != argc : optind != argc - 1)
		return cli_usage("postmortem", "unexpected arguments after '%s'", sub);
	if ((at && cli_parse_at(at, &when, &err)) || cli_casebook(&cb, &err) ||
	    cli_incident(cb, inc_arg, inc, &err)) {
		rc = cli_error(&err);
	} else if (!strcmp(sub, "edit")) {
		rc = do_edit(cb, inc, file);
	} else if (!strcmp(sub, "show")) {
		rc = do_show(cb, inc, json);
	} else if (!strcmp(sub, "template")) {
		struct irk_buf t = IRK_BUF_INIT;
		if (irk_incident_get(cb, inc, &incident, &err)) {
			rc = cli_error(&err);
		} else {
			irk_postmortem_format(inc, incident, NULL, &t);
			fputs(t.buf, stdout);
		}
		irk_buf_release(&t);
	} else if (!strcmp(sub, "check")) {
		int64_t seq;
		if (irk_postmortem_get(cb, inc, &pm, &seq, &err)) {
			rc = cli_error(&err);
		} else {
			json_t *w = irk_postmortem_warnings(pm);
			print_warnings(w);
			if (json_array_size(w))
				rc = IRK_EFAIL;
			else
				printf("%s's postmortem: no warnings\n", inc);
			json_decref(w);
		}
	} else {
		struct irk_identity id;
		char *end;
		long long num = strtoll(argv[optind], &end, 10);
		if (*end || num < 1)
			rc = cli_usage("postmortem", "done takes an action item number");
		else if (cli_identity(&id, &err) ||
			 irk_postmortem_action_done(cb, &id, inc, num, &when, &err))
			rc = cli_error(&err);
		else
			printf("%s: action item %lld done\n", inc, num);
	}
	json_decref(pm);
	json_decref(incident);
	irk_casebook_close(cb);
	return rc;
}
