/* cmd-msg.c - irk msg: draft, lint, approve and publish incident messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "irk/fs.h"
#include "irk/incident.h"
#include "irk/message.h"
#include "irk/template.h"
#include "irk/text.h"
#include "irk/timefmt.h"

static const char usage[] =
	"usage: irk msg draft [INC] --audience A [--template T] [--file F] [--json]\n"
	"       irk msg edit ID [--file F] [--json]\n"
	"       irk msg lint ID | irk msg lint [INC] --audience A [--file F] [--json]\n"
	"       irk msg approve ID [--json]\n"
	"       irk msg publish ID --via stdout|file|webhook|sendmail [--to T] [--json]\n"
	"       irk msg list [INC] [--json]\n"
	"       irk msg show ID [--json]\n"
	"       irk msg template [INC] (--audience A | --template T)\n"
	"       irk msg config [--json]\n\n"
	"Messages about an incident for an audience: internal, users, public,\n"
	"press, regulator, law-enforcement or cert.  A draft starts from a\n"
	"template filled from the incident: on a terminal, draft opens $EDITOR\n"
	"on it; otherwise it reads --file F or standard input.  Every draft is\n"
	"linted.  Another member approves it (a lead for public and press);\n"
	"only an approved, unchanged text can be published, and its SHA-256,\n"
	"audience, channel and time go into the log book.\n\n"
	"  --audience A      who the message is for\n"
	"  --template T      internal-status, user-notice, public-statement, press,\n"
	"                    regulator, law-enforcement, cert, resolved, recap,\n"
	"                    postmortem (default: the audience's own)\n"
	"  --file F          read the text from F ('-' for standard input)\n"
	"  --via CHANNEL     stdout, file (--to PATH), webhook (--to http://URL),\n"
	"                    sendmail (--to ADDRESSES)\n"
	"  --sendmail PATH   the sendmail program (default $IRK_SENDMAIL, else\n"
	"                    /usr/sbin/sendmail)\n"
	"  --subject S       mail subject (default: the incident title)\n"
	"  --json            JSON output (JSON Lines for lint findings and lists)\n\n"
	"lint exits 1 when it finds errors; 'lint INC --audience A' also checks the\n"
	"text against the incident (details of a TLP:RED/AMBER incident).\n"
	"  Settings (org domains, internal hosts)\n"
	"come from .irk/config: see 'irk msg config' and docs/COMMS.md.\n";

struct opts {
	const char *audience, *template_name, *file, *via, *to, *sendmail, *subject;
	int json;
	int nargs;
	char **args;
};

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = { { "audience", required_argument, NULL, 'a' },
						  { "template", required_argument, NULL, 't' },
						  { "file", required_argument, NULL, 'f' },
						  { "via", required_argument, NULL, 'v' },
						  { "to", required_argument, NULL, 'o' },
						  { "sendmail", required_argument, NULL, 's' },
						  { "subject", required_argument, NULL, 'S' },
						  { "json", no_argument, NULL, 'j' },
						  { "help", no_argument, NULL, 'h' },
						  { NULL, 0, NULL, 0 } };
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	while ((c = cli_getopt(argc, argv, "h", longopts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		switch (c) {
		case 'a': o->audience = optarg; break;
		case 't': o->template_name = optarg; break;
		case 'f': o->file = optarg; break;
		case 'v': o->via = optarg; break;
		case 'o': o->to = optarg; break;
		case 's': o->sendmail = optarg; break;
		case 'S': o->subject = optarg; break;
		case 'j': o->json = 1; break;
		}
	}
	o->nargs = argc - optind;
	o->args = argv + optind;
	return -1;
}

/* The casebook and its communication settings. */
static enum irk_code open_all(struct irk_casebook **cb, struct irk_comms_config *cfg,
			      struct irk_err *err)
{
	enum irk_code rc = cli_casebook(cb, err);
	return rc ? rc : irk_comms_config_load(*cb, cfg, err);
}

static void print_lint(const struct irk_lint_result *r, const char *name, int json)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct irk_lint_finding *f = &r->f[i];
		const struct irk_lint_rule *rule = irk_lint_rule_find(f->rule);

		if (json) {
			cli_print_json(irk_lint_finding_json(f));
			continue;
		}
		if (f->start == f->end)
			printf("%s: %s: %s: missing: %s\n", name, irk_severity_name(f->severity),
			       f->rule, rule->why);
		else
			printf("%s:%d:%d: %s: %s: \"%.*s\": %s\n", name, f->line, f->col,
			       irk_severity_name(f->severity), f->rule, 60, f->excerpt, rule->why);
		printf("    fix: %s\n", f->fix);
	}
	if (!json)
		printf("%s: %d error%s, %d warning%s\n", name, r->errors, r->errors == 1 ? "" : "s",
		       r->warnings, r->warnings == 1 ? "" : "s");
}

/* Run $VISUAL/$EDITOR on `path`. */
static enum irk_code run_editor(const char *path, struct irk_err *err)
{
	const char *ed = getenv("VISUAL");
	pid_t pid;
	int status;

	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	pid = fork();
	if (pid < 0)
		return irk_fail(err, IRK_EIO, "cannot start the editor");
	if (pid == 0) {
		execlp("/bin/sh", "sh", "-c", "exec $0 \"$1\"", ed, path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return irk_fail(err, IRK_EUSAGE, "the editor (%s) failed; nothing was recorded", ed);
	return IRK_OK;
}

/* The text: --file, else the editor on a terminal (starting from `start`), else stdin. */
static enum irk_code read_text(const struct opts *o, const char *start, struct irk_buf *out,
			       struct irk_err *err)
{
	struct irk_buf path = IRK_BUF_INIT;
	enum irk_code rc;
	int fd;

	if (o->file || !isatty(0) || !isatty(1)) {
		rc = irk_read_file(o->file ? o->file : "-", IRK_TEXT_MAX + 1, out, err);
		if (rc == IRK_EINVAL) {
			irk_err_clear(err);
			return irk_fail(err, IRK_EINVAL, "the message is over %d bytes", IRK_TEXT_MAX);
		}
		return rc;
	}
	irk_buf_adds(&path, "/tmp/irk-msg-XXXXXX.md");
	fd = mkstemps(path.buf, 3);
	if (fd < 0) {
		irk_buf_release(&path);
		return irk_fail(err, IRK_EIO, "cannot create a temporary file for the editor");
	}
	rc = write(fd, start, strlen(start)) == (ssize_t)strlen(start)
		     ? IRK_OK
		     : irk_fail(err, IRK_EIO, "cannot write %s", path.buf);
	close(fd);
	if (!rc && !(rc = run_editor(path.buf, err)))
		rc = irk_read_file(path.buf, IRK_TEXT_MAX, out, err);
	unlink(path.buf);
	irk_buf_release(&path);
	return rc;
}

static enum irk_code render(struct irk_casebook *cb, const char *inc, const char *tpl,
			    const struct irk_comms_config *cfg, struct irk_buf *out,
			    struct irk_err *err)
{
	struct irk_buf t = IRK_BUF_INIT;
	int64_t now = irk_now_ms();
	json_t *vars = NULL;
	enum irk_code rc;

	if (!(rc = irk_template_load(cb, tpl, &t, err)) &&
	    !(rc = irk_template_vars(cb, inc, cfg, irk_local_offset(now), now, &vars, err))) {
		rc = irk_template_render(t.buf, t.len, vars, out, err);
		if (rc)
			irk_err_prefix(err, "template %s", tpl);
	}
	json_decref(vars);
	irk_buf_release(&t);
	return rc;
}

static const char *template_of(const struct opts *o)
{
	return o->template_name ? o->template_name : irk_template_for_audience(o->audience);
}

/*
 * What a subcommand may hold, released by cmd_msg() whatever the outcome:
 * a subcommand returns as soon as it is done or fails.
 */
struct msg_run {
	struct irk_err err;
	struct irk_casebook *cb;
	struct irk_comms_config cfg;
	struct irk_lint_result lint;
	struct irk_identity id;
	struct irk_buf start, text;
	json_t *msg, *list, *due;
	char inc[IRK_CHAIN_MAX];
	char name[64]; /* what lint findings are reported against: "msg 3", a file */
	int64_t num;
};

static void run_release(struct msg_run *r)
{
	json_decref(r->msg);
	json_decref(r->list);
	json_decref(r->due);
	irk_lint_result_release(&r->lint);
	irk_comms_config_release(&r->cfg);
	irk_buf_release(&r->start);
	irk_buf_release(&r->text);
	irk_casebook_close(r->cb);
}

/* The message number of the subcommand's one argument, and the casebook with its settings. */
static enum irk_code open_message(struct opts *o, struct msg_run *r)
{
	enum irk_code rc = irk_msg_parse_id(o->args[0], &r->num, &r->err);

	if (!rc)
		rc = open_all(&r->cb, &r->cfg, &r->err);
	snprintf(r->name, sizeof(r->name), "msg %lld", (long long)r->num);
	return rc;
}

static int msg_draft(struct opts *o, struct msg_run *r)
{
	if (!o->audience)
		return cli_usage("msg", "draft needs --audience (internal, users, public, press, "
					"regulator, law-enforcement or cert)");
	if (!irk_audience_parse(o->audience))
		return cli_usage("msg", "unknown audience '%s'", o->audience);
	if (o->nargs > 1)
		return cli_usage("msg", "draft takes at most one incident");
	if (open_all(&r->cb, &r->cfg, &r->err) ||
	    cli_incident(r->cb, o->nargs ? o->args[0] : NULL, r->inc, &r->err) ||
	    cli_identity(&r->id, &r->err))
		return cli_error(&r->err);
	if (!o->file && isatty(0) && isatty(1) &&
	    render(r->cb, r->inc, template_of(o), &r->cfg, &r->start, &r->err))
		return cli_error(&r->err);
	if (o->template_name && !o->file && !(isatty(0) && isatty(1))) {
		/* check the template name even when the text comes from stdin */
		struct irk_buf t = IRK_BUF_INIT;
		enum irk_code rc = irk_template_load(r->cb, o->template_name, &t, &r->err);
		irk_buf_release(&t);
		if (rc)
			return cli_error(&r->err);
	}
	if (read_text(o, r->start.buf, &r->text, &r->err))
		return cli_error(&r->err);
	{
		struct irk_msg_new m = { r->inc, o->audience, template_of(o), r->text.buf };
		if (irk_msg_draft(r->cb, &r->id, &m, &r->cfg, &r->lint, &r->num, &r->err))
			return cli_error(&r->err);
	}
	if (o->json) {
		cli_print_json(json_pack("{s:s, s:I, s:s, s:i, s:i}", "inc", r->inc, "num",
					 (json_int_t)r->num, "audience", o->audience, "errors",
					 r->lint.errors, "warnings", r->lint.warnings));
		return 0;
	}
	printf("drafted message %lld for %s (%s)\n", (long long)r->num, o->audience, r->inc);
	snprintf(r->name, sizeof(r->name), "msg %lld", (long long)r->num);
	print_lint(&r->lint, r->name, 0);
	return 0;
}

static int msg_edit(struct opts *o, struct msg_run *r)
{
	if (o->nargs != 1)
		return cli_usage("msg", "edit needs the message number");
	if (open_message(o, r) || cli_identity(&r->id, &r->err) ||
	    irk_msg_get(r->cb, r->num, &r->msg, &r->err) ||
	    read_text(o, json_string_value(json_object_get(r->msg, "text")), &r->text, &r->err) ||
	    irk_msg_edit(r->cb, &r->id, r->num, r->text.buf, &r->cfg, &r->lint, &r->err))
		return cli_error(&r->err);
	if (o->json) {
		cli_print_json(json_pack("{s:I, s:i, s:i}", "num", (json_int_t)r->num, "errors",
					 r->lint.errors, "warnings", r->lint.warnings));
		return 0;
	}
	printf("edited message %lld; it needs a new approval before it can be published\n",
	       (long long)r->num);
	print_lint(&r->lint, r->name, 0);
	return 0;
}

static int msg_lint(struct opts *o, struct msg_run *r)
{
	if (o->nargs == 1 && !o->audience) {
		if (open_message(o, r) || irk_msg_lint(r->cb, r->num, &r->cfg, &r->lint, &r->err))
			return cli_error(&r->err);
	} else if (o->nargs <= 1 && o->audience) {
		struct irk_buf dir = IRK_BUF_INIT;
		int aud = irk_audience_parse(o->audience), here;

		if (!aud)
			return cli_usage("msg", "unknown audience '%s'", o->audience);
		snprintf(r->name, sizeof(r->name), "%s",
			 o->file && strcmp(o->file, "-") ? o->file : "<stdin>");
		/* Outside a casebook the linter runs without organisation settings. */
		here = irk_casebook_find(&dir, NULL) == IRK_OK;
		irk_buf_release(&dir);
		if (((o->nargs || here) && open_all(&r->cb, &r->cfg, &r->err)) ||
		    irk_read_file(o->file ? o->file : "-", IRK_TEXT_MAX, &r->text, &r->err))
			return cli_error(&r->err);
		if (o->nargs ? irk_incident_resolve(r->cb, o->args[0], r->inc, &r->err) ||
				       irk_msg_lint_text(r->cb, r->inc, r->text.buf, r->text.len, aud,
							 &r->cfg, &r->lint, &r->err)
			     : irk_lint(r->text.buf, r->text.len, aud, &r->cfg, NULL, &r->lint, &r->err))
			return cli_error(&r->err);
	} else {
		return cli_usage("msg", "lint needs a message number, or --audience with --file or "
					"standard input");
	}
	print_lint(&r->lint, r->name, o->json);
	return r->lint.errors ? IRK_EFAIL : 0;
}

static int msg_approve(struct opts *o, struct msg_run *r)
{
	if (o->nargs != 1)
		return cli_usage("msg", "approve needs the message number");
	if (open_message(o, r) || cli_identity(&r->id, &r->err))
		return cli_error(&r->err);
	if (irk_msg_approve(r->cb, &r->id, r->num, &r->cfg, &r->lint, &r->err)) {
		if (r->lint.n && !o->json)
			print_lint(&r->lint, r->name, 0);
		return cli_error(&r->err);
	}
	if (irk_msg_get(r->cb, r->num, &r->msg, &r->err))
		return cli_error(&r->err);
	if (o->json) {
		cli_print_json(json_pack("{s:I, s:O, s:i}", "num", (json_int_t)r->num, "sha256",
					 json_object_get(r->msg, "sha256"), "warnings",
					 r->lint.warnings));
		return 0;
	}
	if (r->lint.n)
		print_lint(&r->lint, r->name, 0);
	printf("approved message %lld for %s (sha256 %s)\n", (long long)r->num,
	       json_string_value(json_object_get(r->msg, "audience")),
	       json_string_value(json_object_get(r->msg, "sha256")));
	return 0;
}

static int msg_publish(struct opts *o, struct msg_run *r)
{
	struct irk_msg_delivery d = { 0 };
	int via;

	if (o->nargs != 1)
		return cli_usage("msg", "publish needs the message number");
	if (!o->via)
		return cli_usage("msg", "publish needs --via stdout, file, webhook or sendmail");
	via = irk_list_index(irk_msg_channels, o->via);
	if (via < 0)
		return cli_usage("msg", "unknown channel '%s' (use stdout, file, webhook or sendmail)",
				 o->via);
	if (via != IRK_VIA_STDOUT && !o->to)
		return cli_usage("msg", "--via %s needs --to", o->via);
	d.via = (enum irk_msg_channel)via;
	d.to = o->to;
	d.subject = o->subject;
	d.sendmail = o->sendmail ? o->sendmail
				 : getenv("IRK_SENDMAIL") && *getenv("IRK_SENDMAIL")
					   ? getenv("IRK_SENDMAIL")
					   : "/usr/sbin/sendmail";
	if (irk_msg_parse_id(o->args[0], &r->num, &r->err) || cli_casebook(&r->cb, &r->err) ||
	    cli_identity(&r->id, &r->err) ||
	    irk_msg_publish(r->cb, &r->id, r->num, &d, &r->text, &r->msg, &r->err))
		return cli_error(&r->err);
	if (d.via == IRK_VIA_STDOUT) {
		fwrite(r->text.buf, 1, r->text.len, stdout);
		fprintf(stderr, "published message %lld via stdout (sha256 %s)\n", (long long)r->num,
			json_string_value(json_object_get(r->msg, "sha256")));
	} else if (o->json) {
		cli_print_json(json_incref(r->msg));
	} else {
		printf("published message %lld via %s to %s (sha256 %s)\n", (long long)r->num, o->via,
		       o->to, json_string_value(json_object_get(r->msg, "sha256")));
	}
	return 0;
}

static int msg_list(struct opts *o, struct msg_run *r)
{
	json_t *x;
	size_t i;

	if (o->nargs > 1)
		return cli_usage("msg", "list takes at most one incident");
	if (cli_casebook(&r->cb, &r->err) ||
	    (o->nargs && irk_incident_resolve(r->cb, o->args[0], r->inc, &r->err)) ||
	    irk_msg_list(r->cb, o->nargs ? r->inc : NULL, &r->list, &r->err) ||
	    irk_msg_followups(r->cb, o->nargs ? r->inc : NULL, irk_now_ms(), &r->due, &r->err))
		return cli_error(&r->err);
	json_array_foreach(r->list, i, x) {
		if (o->json) {
			json_object_set_new(x, "kind", json_string("message"));
			cli_print_json(json_incref(x));
			continue;
		}
		printf("%-4lld %-14s %-16s %-10s %-18s %s\n",
		       (long long)json_integer_value(json_object_get(x, "num")),
		       json_string_value(json_object_get(x, "inc")),
		       json_string_value(json_object_get(x, "audience")),
		       json_string_value(json_object_get(x, "state")),
		       json_is_string(json_object_get(x, "template"))
			       ? json_string_value(json_object_get(x, "template"))
			       : "-",
		       json_string_value(json_object_get(x, "author")));
	}
	if (!o->json && json_array_size(r->list) == 0)
		printf("no messages\n");
	if (!o->json && json_array_size(r->due))
		printf("\nfollow-ups:\n");
	json_array_foreach(r->due, i, x) {
		if (o->json) {
			cli_print_json(json_incref(x));
			continue;
		}
		printf("  %-14s %-16s %-8s between %s and %s (template %s)\n",
		       json_string_value(json_object_get(x, "inc")),
		       json_string_value(json_object_get(x, "what")),
		       json_string_value(json_object_get(x, "status")),
		       json_string_value(json_object_get(x, "from")),
		       json_string_value(json_object_get(x, "by")),
		       json_string_value(json_object_get(x, "template")));
	}
	return 0;
}

static int msg_show(struct opts *o, struct msg_run *r)
{
	static const char *const fields[] = { "inc", "audience", "template", "state", "author",
					      "editor", "sha256", "drafted", "approved_by",
					      "approved_sha256", "approved", "published", NULL };

	if (o->nargs != 1)
		return cli_usage("msg", "show needs the message number");
	if (irk_msg_parse_id(o->args[0], &r->num, &r->err) || cli_casebook(&r->cb, &r->err) ||
	    irk_msg_get(r->cb, r->num, &r->msg, &r->err))
		return cli_error(&r->err);
	if (o->json) {
		cli_print_json(json_incref(r->msg));
		return 0;
	}
	printf("message %lld (revision %lld)\n", (long long)r->num,
	       (long long)json_integer_value(json_object_get(r->msg, "revision")));
	for (int i = 0; fields[i]; i++) {
		json_t *v = json_object_get(r->msg, fields[i]);
		if (json_is_string(v))
			printf("  %-16s %s\n", fields[i], json_string_value(v));
	}
	printf("\n%s", json_string_value(json_object_get(r->msg, "text")));
	return 0;
}

static int msg_template(struct opts *o, struct msg_run *r)
{
	if (o->audience && !irk_audience_parse(o->audience))
		return cli_usage("msg", "unknown audience '%s'", o->audience);
	if (!o->audience && !o->template_name)
		return cli_usage("msg", "template needs --audience or --template");
	if (open_all(&r->cb, &r->cfg, &r->err) ||
	    cli_incident(r->cb, o->nargs ? o->args[0] : NULL, r->inc, &r->err) ||
	    render(r->cb, r->inc, template_of(o), &r->cfg, &r->text, &r->err))
		return cli_error(&r->err);
	fwrite(r->text.buf, 1, r->text.len, stdout);
	return 0;
}

static json_t *strlist_json(const struct irk_strlist *l)
{
	json_t *a = json_array();

	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, json_string(l->v[i]));
	return a;
}

static int msg_config(struct opts *o, struct msg_run *r)
{
	const char *k;
	json_t *v;

	if (open_all(&r->cb, &r->cfg, &r->err))
		return cli_error(&r->err);
	r->msg = json_pack("{s:o, s:o, s:o, s:o, s:s?, s:s?, s:s?}", "org-domain",
			   strlist_json(&r->cfg.org_domains), "internal-host",
			   strlist_json(&r->cfg.internal_hosts), "internal-net",
			   strlist_json(&r->cfg.internal_nets), "local-user",
			   strlist_json(&r->cfg.local_users), "log-timezone", r->cfg.log_timezone,
			   "org-name", r->cfg.org_name, "contact", r->cfg.contact);
	if (o->json) {
		cli_print_json(json_incref(r->msg));
		return 0;
	}
	printf("# from %s/config (edit it to change these)\n", r->cb->dir);
	json_object_foreach(r->msg, k, v) {
		size_t i;
		json_t *x;
		if (json_is_array(v)) {
			if (!json_array_size(v))
				printf("# comms.%s: (none)%s\n", k,
				       !strcmp(k, "internal-net") ? " - private ranges apply" : "");
			json_array_foreach(v, i, x) printf("comms.%s: %s\n", k, json_string_value(x));
		} else if (json_is_string(v)) {
			printf("comms.%s: %s\n", k, json_string_value(v));
		}
	}
	return 0;
}

int cmd_msg(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct opts *o, struct msg_run *r);
	} subs[] = { { "draft", msg_draft },	   { "edit", msg_edit },   { "lint", msg_lint },
		     { "approve", msg_approve },   { "publish", msg_publish }, { "list", msg_list },
		     { "show", msg_show },	   { "template", msg_template },
		     { "config", msg_config } };
	struct opts o;
	int c;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? IRK_EUSAGE : 0;
	}
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (strcmp(subs[i].name, argv[1]))
			continue;
		struct msg_run r = { .err = IRK_ERR_INIT, .start = IRK_BUF_INIT, .text = IRK_BUF_INIT };
		if ((c = parse(argc - 1, argv + 1, &o)) != -1)
			return c;
		c = subs[i].fn(&o, &r);
		run_release(&r);
		return c;
	}
	return cli_usage("msg", "unknown subcommand '%s'", argv[1]);
}
