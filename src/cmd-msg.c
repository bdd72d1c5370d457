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

static int msg_draft(struct opts *o)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_comms_config cfg = { 0 };
	struct irk_lint_result lint = { 0 };
	struct irk_identity id;
	struct irk_buf start = IRK_BUF_INIT, text = IRK_BUF_INIT;
	char inc[IRK_CHAIN_MAX];
	int64_t num;
	int rc = 0;

	if (!o->audience)
		return cli_usage("msg", "draft needs --audience (internal, users, public, press, "
					"regulator, law-enforcement or cert)");
	if (!irk_audience_parse(o->audience))
		return cli_usage("msg", "unknown audience '%s'", o->audience);
	if (o->nargs > 1)
		return cli_usage("msg", "draft takes at most one incident");
	if (open_all(&cb, &cfg, &err) || cli_incident(cb, o->nargs ? o->args[0] : NULL, inc, &err) ||
	    cli_identity(&id, &err))
		goto fail;
	if (!o->file && isatty(0) && isatty(1) && render(cb, inc, template_of(o), &cfg, &start, &err))
		goto fail;
	if (o->template_name && !o->file && !(isatty(0) && isatty(1))) {
		/* check the template name even when the text comes from stdin */
		struct irk_buf t = IRK_BUF_INIT;
		enum irk_code r = irk_template_load(cb, o->template_name, &t, &err);
		irk_buf_release(&t);
		if (r)
			goto fail;
	}
	if (read_text(o, start.buf, &text, &err))
		goto fail;
	{
		struct irk_msg_new m = { inc, o->audience, template_of(o), text.buf };
		if (irk_msg_draft(cb, &id, &m, &cfg, &lint, &num, &err))
			goto fail;
	}
	if (o->json) {
		cli_print_json(json_pack("{s:s, s:I, s:s, s:i, s:i}", "inc", inc, "num",
					 (json_int_t)num, "audience", o->audience, "errors",
					 lint.errors, "warnings", lint.warnings));
	} else {
		char name[32];
		printf("drafted message %lld for %s (%s)\n", (long long)num, o->audience, inc);
		snprintf(name, sizeof(name), "msg %lld", (long long)num);
		print_lint(&lint, name, 0);
	}
	goto done;
fail:
	rc = cli_error(&err);
done:
	irk_lint_result_release(&lint);
	irk_comms_config_release(&cfg);
	irk_buf_release(&start);
	irk_buf_release(&text);
	irk_casebook_close(cb);
	return rc;
}

static int msg_edit(struct opts *o)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_comms_config cfg = { 0 };
	struct irk_lint_result lint = { 0 };
	struct irk_identity id;
	struct irk_buf text = IRK_BUF_INIT;
	json_t *m = NULL;
	int64_t num;
	int rc = 0;

	if (o->nargs != 1)
		return cli_usage("msg", "edit needs the message number");
	if (irk_msg_parse_id(o->args[0], &num, &err) || open_all(&cb, &cfg, &err) ||
	    cli_identity(&id, &err) || irk_msg_get(cb, num, &m, &err) ||
	    read_text(o, json_string_value(json_object_get(m, "text")), &text, &err) ||
	    irk_msg_edit(cb, &id, num, text.buf, &cfg, &lint, &err)) {
		rc = cli_error(&err);
	} else if (o->json) {
		cli_print_json(json_pack("{s:I, s:i, s:i}", "num", (json_int_t)num, "errors",
					 lint.errors, "warnings", lint.warnings));
	} else {
		char name[32];
		printf("edited message %lld; it needs a new approval before it can be published\n",
		       (long long)num);
		snprintf(name, sizeof(name), "msg %lld", (long long)num);
		print_lint(&lint, name, 0);
	}
	json_decref(m);
	irk_lint_result_release(&lint);
	irk_comms_config_release(&cfg);
	irk_buf_release(&text);
	irk_casebook_close(cb);
	return rc;
}

static int msg_lint(struct opts *o)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_comms_config cfg = { 0 };
	struct irk_lint_result lint = { 0 };
	struct irk_buf text = IRK_BUF_INIT;
	char name[64];
	int64_t num;
	int rc = 0;

	if (o->nargs == 1 && !o->audience) {
		snprintf(name, sizeof(name), "msg %s", o->args[0]);
		if (irk_msg_parse_id(o->args[0], &num, &err) || open_all(&cb, &cfg, &err) ||
		    irk_msg_lint(cb, num, &cfg, &lint, &err))
			goto fail;
	} else if (o->nargs <= 1 && o->audience) {
		struct irk_buf dir = IRK_BUF_INIT;
		int aud = irk_audience_parse(o->audience);
		char inc[IRK_CHAIN_MAX];

		if (!aud)
			return cli_usage("msg", "unknown audience '%s'", o->audience);
		snprintf(name, sizeof(name), "%s", o->file && strcmp(o->file, "-") ? o->file : "<stdin>");
		/* Outside a casebook the linter runs without organisation settings. */
		if ((o->nargs || irk_casebook_find(&dir, NULL) == IRK_OK) && open_all(&cb, &cfg, &err)) {
			irk_buf_release(&dir);
			goto fail;
		}
		irk_buf_release(&dir);
		if (irk_read_file(o->file ? o->file : "-", IRK_TEXT_MAX, &text, &err))
			goto fail;
		if (o->nargs) {
			if (irk_incident_resolve(cb, o->args[0], inc, &err) ||
			    irk_msg_lint_text(cb, inc, text.buf, text.len, aud, &cfg, &lint, &err))
				goto fail;
		} else if (irk_lint(text.buf, text.len, aud, &cfg, NULL, &lint, &err)) {
			goto fail;
		}
	} else {
		return cli_usage("msg", "lint needs a message number, or --audience with --file or "
					"standard input");
	}
	print_lint(&lint, name, o->json);
	rc = lint.errors ? IRK_EFAIL : 0;
	goto done;
fail:
	rc = cli_error(&err);
done:
	irk_lint_result_release(&lint);
	irk_comms_config_release(&cfg);
	irk_buf_release(&text);
	irk_casebook_close(cb);
	return rc;
}

static int msg_approve(struct opts *o)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_comms_config cfg = { 0 };
	struct irk_lint_result lint = { 0 };
	struct irk_identity id;
	json_t *m = NULL;
	char name[32];
	int64_t num;
	int rc = 0;

	if (o->nargs != 1)
		return cli_usage("msg", "approve needs the message number");
	if (irk_msg_parse_id(o->args[0], &num, &err) || open_all(&cb, &cfg, &err) ||
	    cli_identity(&id, &err))
		goto fail;
	snprintf(name, sizeof(name), "msg %lld", (long long)num);
	if (irk_msg_approve(cb, &id, num, &cfg, &lint, &err)) {
		if (lint.n && !o->json)
			print_lint(&lint, name, 0);
		goto fail;
	}
	if (irk_msg_get(cb, num, &m, &err))
		goto fail;
	if (o->json) {
		cli_print_json(json_pack("{s:I, s:O, s:i}", "num", (json_int_t)num, "sha256",
					 json_object_get(m, "sha256"), "warnings", lint.warnings));
	} else {
		if (lint.n)
			print_lint(&lint, name, 0);
		printf("approved message %lld for %s (sha256 %s)\n", (long long)num,
		       json_string_value(json_object_get(m, "audience")),
		       json_string_value(json_object_get(m, "sha256")));
	}
	goto done;
fail:
	rc = cli_error(&err);
done:
	json_decref(m);
	irk_lint_result_release(&lint);
	irk_comms_config_release(&cfg);
	irk_casebook_close(cb);
	return rc;
}

static int msg_publish(struct opts *o)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	struct irk_msg_delivery d = { 0 };
	struct irk_buf text = IRK_BUF_INIT;
	json_t *rec = NULL;
	int64_t num;
	int via, rc = 0;

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
	if (irk_msg_parse_id(o->args[0], &num, &err) || cli_casebook(&cb, &err) ||
	    cli_identity(&id, &err) || irk_msg_publish(cb, &id, num, &d, &text, &rec, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	if (d.via == IRK_VIA_STDOUT) {
		fwrite(text.buf, 1, text.len, stdout);
		fprintf(stderr, "published message %lld via stdout (sha256 %s)\n", (long long)num,
			json_string_value(json_object_get(rec, "sha256")));
	} else if (o->json) {
		cli_print_json(json_incref(rec));
	} else {
		printf("published message %lld via %s to %s (sha256 %s)\n", (long long)num, o->via,
		       o->to, json_string_value(json_object_get(rec, "sha256")));
	}
done:
	json_decref(rec);
	irk_buf_release(&text);
	irk_casebook_close(cb);
	return rc;
}

static int msg_list(struct opts *o)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	json_t *msgs = NULL, *due = NULL, *x;
	char inc[IRK_CHAIN_MAX];
	size_t i;
	int rc = 0;

	if (o->nargs > 1)
		return cli_usage("msg", "list takes at most one incident");
	if (cli_casebook(&cb, &err) || (o->nargs && irk_incident_resolve(cb, o->args[0], inc, &err)) ||
	    irk_msg_list(cb, o->nargs ? inc : NULL, &msgs, &err) ||
	    irk_msg_followups(cb, o->nargs ? inc : NULL, irk_now_ms(), &due, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	json_array_foreach(msgs, i, x) {
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
	if (!o->json && json_array_size(msgs) == 0)
		printf("no messages\n");
	if (!o->json && json_array_size(due))
		printf("\nfollow-ups:\n");
	json_array_foreach(due, i, x) {
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
done:
	json_decref(msgs);
	json_decref(due);
	irk_casebook_close(cb);
	return rc;
}

static int msg_show(struct opts *o)
{
	static const char *const fields[] = { "inc", "audience", "template", "state", "author",
					      "editor", "sha256", "drafted", "approved_by",
					      "approved_sha256", "approved", "published", NULL };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	json_t *m = NULL;
	int64_t num;
	int rc = 0;

	if (o->nargs != 1)
		return cli_usage("msg", "show needs the message number");
	if (irk_msg_parse_id(o->args[0], &num, &err) || cli_casebook(&cb, &err) ||
	    irk_msg_get(cb, num, &m, &err)) {
		rc = cli_error(&err);
	} else if (o->json) {
		cli_print_json(json_incref(m));
	} else {
		printf("message %lld (revision %lld)\n", (long long)num,
		       (long long)json_integer_value(json_object_get(m, "revision")));
		for (int i = 0; fields[i]; i++) {
			json_t *v = json_object_get(m, fields[i]);
			if (json_is_string(v))
				printf("  %-16s %s\n", fields[i], json_string_value(v));
		}
		printf("\n%s", json_string_value(json_object_get(m, "text")));
	}
	json_decref(m);
	irk_casebook_close(cb);
	return rc;
}

static int msg_template(struct opts *o)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_comms_config cfg = { 0 };
	struct irk_buf out = IRK_BUF_INIT;
	char inc[IRK_CHAIN_MAX];
	const char *tpl;
	int rc = 0;

	if (o->audience && !irk_audience_parse(o->audience))
		return cli_usage("msg", "unknown audience '%s'", o->audience);
	if (!o->audience && !o->template_name)
		return cli_usage("msg", "template needs --audience or --template");
	tpl = template_of(o);
	if (open_all(&cb, &cfg, &err) || cli_incident(cb, o->nargs ? o->args[0] : NULL, inc, &err) ||
	    render(cb, inc, tpl, &cfg, &out, &err))
		rc = cli_error(&err);
	else
		fwrite(out.buf, 1, out.len, stdout);
	irk_buf_release(&out);
	irk_comms_config_release(&cfg);
	irk_casebook_close(cb);
	return rc;
}

static json_t *strlist_json(const struct irk_strlist *l)
{
	json_t *a = json_array();

	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, json_string(l->v[i]));
	return a;
}

static int msg_config(struct opts *o)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_comms_config cfg = { 0 };
	json_t *j;
	int rc = 0;

	if (open_all(&cb, &cfg, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	j = json_pack("{s:o, s:o, s:o, s:o, s:s?, s:s?, s:s?}", "org-domain",
		      strlist_json(&cfg.org_domains), "internal-host",
		      strlist_json(&cfg.internal_hosts), "internal-net",
		      strlist_json(&cfg.internal_nets), "local-user", strlist_json(&cfg.local_users),
		      "log-timezone", cfg.log_timezone, "org-name", cfg.org_name, "contact",
		      cfg.contact);
	if (o->json) {
		cli_print_json(j);
	} else {
		const char *k;
		json_t *v;
		printf("# from %s/config (edit it to change these)\n", cb->dir);
		json_object_foreach(j, k, v) {
			size_t i;
			json_t *x;
			if (json_is_array(v)) {
				if (!json_array_size(v))
					printf("# comms.%s: (none)%s\n", k,
					       !strcmp(k, "internal-net") ? " - private ranges apply"
									  : "");
				json_array_foreach(v, i, x) printf("comms.%s: %s\n", k,
								   json_string_value(x));
			} else if (json_is_string(v)) {
				printf("comms.%s: %s\n", k, json_string_value(v));
			}
		}
		json_decref(j);
	}
done:
	irk_comms_config_release(&cfg);
	irk_casebook_close(cb);
	return rc;
}

int cmd_msg(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct opts *o);
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
		if ((c = parse(argc - 1, argv + 1, &o)) != -1)
			return c;
		return subs[i].fn(&o);
	}
	return cli_usage("msg", "unknown subcommand '%s'", argv[1]);
}
