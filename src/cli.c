/* cli.c - helpers shared by the commands; see cli.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "irk/fs.h"
#include "irk/incident.h"
#include "irk/member.h"
#include "irk/text.h"
#include "irk/timefmt.h"

int cli_error(const struct irk_err *err)
{
	fprintf(stderr, "irk: %s\n", err->msg[0] ? err->msg : irk_code_name(err->code));
	if (err->hint[0])
		fprintf(stderr, "hint: %s\n", err->hint);
	return err->code ? (int)err->code : 1;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "irk %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nsee 'irk %s --help'\n", cmd);
	return IRK_EUSAGE;
}

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts,
	       const char *usage)
{
	int c = getopt_long(argc, argv, shortopts, longopts, NULL);

	if (c == 'h') {
		fputs(usage, stdout);
		return -2;
	}
	if (c == '?' || c == ':') {
		fprintf(stderr, "see 'irk %s --help'\n", argv[0]);
		return -3;
	}
	return c;
}

int cli_getopt_exit(int c)
{
	return c == -2 ? 0 : IRK_EUSAGE;
}

int cli_json_option(int argc, char **argv, const char *usage, int *json)
{
	static const struct option opts[] = { { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	int c;

	while ((c = cli_getopt(argc, argv, "h", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		if (c == 'j')
			*json = 1;
	}
	return -1;
}

int cli_subcommand(int *argc, char ***argv, const char *usage, const char **sub)
{
	optind = 0;
	if (*argc < 2 || !strcmp((*argv)[1], "--help") || !strcmp((*argv)[1], "-h")) {
		fputs(usage, *argc < 2 ? stderr : stdout);
		return *argc < 2 ? IRK_EUSAGE : 0;
	}
	*sub = (*argv)[1];
	(*argc)--;
	(*argv)++;
	return -1;
}

enum irk_code cli_casebook(struct irk_casebook **cb, struct irk_err *err)
{
	struct irk_buf dir = IRK_BUF_INIT;
	enum irk_code rc = irk_casebook_find(&dir, err);

	if (!rc)
		rc = irk_casebook_open(dir.buf, cb, err);
	irk_buf_release(&dir);
	return rc;
}

enum irk_code cli_identity(struct irk_identity *id, struct irk_err *err)
{
	struct irk_buf path = IRK_BUF_INIT;
	enum irk_code rc = irk_identity_path(&path, err);

	if (!rc)
		rc = irk_identity_load(path.buf, id, err);
	irk_buf_release(&path);
	return rc;
}

enum irk_code cli_incident(struct irk_casebook *cb, const char *arg, char inc[IRK_CHAIN_MAX],
			   struct irk_err *err)
{
	sqlite3_stmt *st;
	int n = 0;

	if (arg)
		return irk_incident_resolve(cb, arg, inc, err);
	if (getenv("IRK_INCIDENT") && *getenv("IRK_INCIDENT"))
		return irk_incident_resolve(cb, getenv("IRK_INCIDENT"), inc, err);
	st = irk_db_stmt(cb->db, NULL, "SELECT id FROM incidents WHERE phase != 'closed'", err);
	if (!st)
		return IRK_EDB;
	while (sqlite3_step(st) == SQLITE_ROW)
		if (n++ == 0)
			snprintf(inc, IRK_CHAIN_MAX, "%s", irk_db_text(st, 0));
	sqlite3_reset(st);
	if (n == 1)
		return IRK_OK;
	irk_fail(err, IRK_EUSAGE, n ? "%d incidents are open: say which one" : "no incident is open",
		 n);
	irk_hint(err, n ? "name it (INC-2026-0007 or just 7), or set IRK_INCIDENT"
			: "open one with 'irk open TITLE'");
	return IRK_EUSAGE;
}

enum irk_code cli_parse_at(const char *s, struct irk_append *a, struct irk_err *err)
{
	enum irk_code rc = irk_time_parse(s, irk_now_ms(), &a->at_ms, &a->tz, err);

	if (rc) {
		irk_err_prefix(err, "--at");
		return rc;
	}
	a->has_at = a->has_tz = 1;
	return IRK_OK;
}

void cli_print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY | JSON_REAL_PRECISION(12));

	if (s) {
		fputs(s, stdout);
		fputc('\n', stdout);
		free(s);
	}
	json_decref(j);
}

enum irk_code cli_text_arg(const char *arg, struct irk_buf *out, struct irk_err *err)
{
	enum irk_code rc;

	if (strcmp(arg, "-")) {
		irk_buf_adds(out, arg);
		return IRK_OK;
	}
	/* Read one byte past the cap so that an over-long text is reported as such. */
	rc = irk_read_file("-", IRK_TEXT_MAX + 1, out, err);
	if (rc == IRK_EINVAL) {
		irk_err_clear(err);
		return irk_fail(err, IRK_EINVAL, "the text on standard input is over the limit of %d bytes",
				IRK_TEXT_MAX);
	}
	if (!rc && memchr(out->buf, '\0', out->len))
		return irk_fail(err, IRK_EINVAL, "the text on standard input holds a NUL byte");
	irk_buf_rtrim(out);
	return rc;
}

enum irk_code cli_self_or_admin(struct irk_casebook *cb, const char *who, struct irk_member *target,
				struct irk_err *err)
{
	struct irk_identity id;
	struct irk_member me;
	enum irk_code rc;

	if ((rc = cli_identity(&id, err)))
		return rc;
	rc = irk_member_find(cb->db, NULL, id.keyid, &me, err);
	irk_identity_wipe(&id);
	if (rc || (rc = irk_member_find(cb->db, NULL, who ? who : me.keyid, target, err)))
		return rc;
	if (strcmp(me.keyid, target->keyid) && me.role < IRK_ROLE_ADMIN)
		return irk_fail(err, IRK_EPERM,
				"%s is a %s; only admins manage other members' credentials", me.email,
				irk_role_name(me.role));
	return IRK_OK;
}

int cli_list(int argc, char **argv, const char *usage,
	     enum irk_code (*list)(struct irk_casebook *cb, json_t **out, struct irk_err *err),
	     void (*print_row)(json_t *item))
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	json_t *arr = NULL, *item;
	size_t i;
	int c, json = 0;

	if ((c = cli_json_option(argc, argv, usage, &json)) >= 0)
		return c;
	if (cli_casebook(&cb, &err) || list(cb, &arr, &err)) {
		irk_casebook_close(cb);
		return cli_error(&err);
	}
	json_array_foreach(arr, i, item) {
		if (json)
			cli_print_json(json_incref(item));
		else
			print_row(item);
	}
	json_decref(arr);
	irk_casebook_close(cb);
	return 0;
}

int cli_when_options(int argc, char **argv, const char *usage, struct irk_append *when)
{
	static const struct option opts[] = { { "at", required_argument, NULL, 'a' },
					      { "message", required_argument, NULL, 'm' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	const char *at = NULL;
	int c;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "hm:", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		if (c == 'a')
			at = optarg;
		else if (c == 'm')
			when->text = optarg;
	}
	if (at && cli_parse_at(at, when, &err))
		return cli_error(&err);
	return -1;
}

void cli_args_push(char ***v, int *n, char *arg)
{
	*v = irk_realloc(*v, sizeof(char *) * (size_t)(*n + 2));
	(*v)[(*n)++] = arg;
	(*v)[*n] = NULL;
}
