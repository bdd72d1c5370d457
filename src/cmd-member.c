/* cmd-member.c - irk member add|list|passwd: the responders of a casebook. */
#include <stdio.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "irk/auth.h"
#include "irk/fs.h"
#include "irk/member.h"

static const char usage[] =
	"usage: irk member add --key VKEY [--name NAME] [--role ROLE] [--server]\n"
	"       irk member list [--json]\n"
	"       irk member passwd [WHO]\n\n"
	"Add a responder (admins only), or change a member's role by adding\n"
	"the same key again.  VKEY is the 'key:' line that 'irk id' prints on\n"
	"the member's machine.\n\n"
	"  --key VKEY    the member's verifier key (name+hash+base64)\n"
	"  --name NAME   the member's name (default: the key's e-mail)\n"
	"  --role ROLE   viewer, responder (default), lead or admin\n"
	"  --server      the key is a team server's ('irk serve --key'): entries\n"
	"                it signs act for the member they name; its role is a\n"
	"                ceiling on what it may do for anyone (docs/SECURITY.md).\n"
	"                Adding the key again without --server takes that away\n"
	"  --json        list as JSON Lines\n\n"
	"'passwd' sets the password WHO (default: you) logs in to 'irk serve'\n"
	"with; it reads the password from the first line of standard input.\n"
	"Members set their own; admins anyone's.  Only an Argon2id hash is\n"
	"kept, outside the log book (docs/SECURITY.md).\n";

static int member_add(int argc, char **argv)
{
	static const struct option opts[] = { { "key", required_argument, NULL, 'k' },
					      { "name", required_argument, NULL, 'n' },
					      { "role", required_argument, NULL, 'r' },
					      { "server", no_argument, NULL, 's' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	struct irk_member m;
	const char *key = NULL, *name = NULL, *role = "responder";
	int c, rc = 0, server = 0;

	while ((c = cli_getopt(argc, argv, "h", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		if (c == 'k')
			key = optarg;
		else if (c == 'n')
			name = optarg;
		else if (c == 'r')
			role = optarg;
		else if (c == 's')
			server = 1;
	}
	if (!key)
		return cli_usage("member", "add needs --key VKEY (from 'irk id' on the member's machine)");
	if (optind < argc)
		return cli_usage("member", "unexpected argument '%s'", argv[optind]);
	if (irk_role_parse(role) == IRK_ROLE_NONE)
		return cli_usage("member", "unknown role '%s' (use viewer, responder, lead or admin)",
				 role);
	if (cli_casebook(&cb, &err) || cli_identity(&id, &err) ||
	    irk_member_add(cb, &id, key, name, irk_role_parse(role), server, &m, &err))
		rc = cli_error(&err);
	else
		printf("%s <%s> is a %s%s (key %s)\n", m.name, m.email, irk_role_name(m.role),
		       m.server ? ", a team server" : "", m.keyid);
	irk_casebook_close(cb);
	return rc;
}

static void print_member(json_t *m)
{
	printf("%-10s %-30s %-24s %s%s\n", json_string_value(json_object_get(m, "role")),
	       json_string_value(json_object_get(m, "email")),
	       json_string_value(json_object_get(m, "name")),
	       json_string_value(json_object_get(m, "key")),
	       json_is_true(json_object_get(m, "server")) ? " (server)" : "");
}

static int member_passwd(int argc, char **argv)
{
	static const struct option opts[] = { { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_member m;
	struct irk_buf pw = IRK_BUF_INIT;
	char *nl;
	int c, rc = 0;

	while ((c = cli_getopt(argc, argv, "h", opts, usage)) != -1)
		if (c < -1)
			return cli_getopt_exit(c);
	if (argc - optind > 1)
		return cli_usage("member", "passwd takes at most one member");
	if (isatty(0))
		fprintf(stderr, "new password (one line): ");
	if (irk_read_file("-", IRK_PASSWORD_MAX + 2, &pw, &err)) {
		irk_err_clear(&err);
		irk_fail(&err, IRK_EINVAL, "the password on standard input is over %d bytes",
			 IRK_PASSWORD_MAX);
		rc = cli_error(&err);
		goto done;
	}
	if ((nl = memchr(pw.buf, '\n', pw.len)))
		irk_buf_setlen(&pw, (size_t)(nl - pw.buf));
	if (pw.len && pw.buf[pw.len - 1] == '\r')
		irk_buf_setlen(&pw, pw.len - 1);
	if (cli_casebook(&cb, &err) ||
	    cli_self_or_admin(cb, argc - optind == 1 ? argv[optind] : NULL, &m, &err) ||
	    irk_auth_set_password(cb, m.keyid, pw.buf, &err))
		rc = cli_error(&err);
	else
		printf("password set for %s\n", m.email);
done:
	if (pw.alloc)
		sodium_memzero(pw.buf, pw.alloc);
	irk_buf_release(&pw);
	irk_casebook_close(cb);
	return rc;
}

int cmd_member(int argc, char **argv)
{
	optind = 0;
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? IRK_EUSAGE : 0;
	}
	if (!strcmp(argv[1], "add"))
		return member_add(argc - 1, argv + 1);
	if (!strcmp(argv[1], "list"))
		return cli_list(argc - 1, argv + 1, usage, irk_member_list, print_member);
	if (!strcmp(argv[1], "passwd"))
		return member_passwd(argc - 1, argv + 1);
	return cli_usage("member", "unknown subcommand '%s' (use add, list or passwd)", argv[1]);
}
