/* cmd-id.c - irk id: create or show the user's signing identity. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"

static const char usage[] =
	"usage: irk id [--name NAME --email EMAIL] [--json]\n\n"
	"Show your Ed25519 identity, creating it first if there is none.\n"
	"It lives in $XDG_CONFIG_HOME/irk/identity (or ~/.config/irk/identity,\n"
	"or the file IRK_KEY names), mode 0600, and is never overwritten.\n\n"
	"  --name NAME     your name, for a new identity (default: your login name)\n"
	"  --email EMAIL   your e-mail, which names your key (no spaces or '+')\n"
	"  --json          print as JSON\n\n"
	"The 'key:' line is what an admin passes to 'irk member add --key'.\n";

/* Defaults for a new identity: the account's name and login@host. */
static void defaults(char *name, size_t nsize, char *email, size_t esize)
{
	struct passwd *pw = getpwuid(getuid());
	const char *login = pw ? pw->pw_name : "responder";
	char host[256] = "localhost";
	struct irk_buf addr = IRK_BUF_INIT;

	gethostname(host, sizeof(host) - 1);
	snprintf(name, nsize, "%s", pw && pw->pw_gecos && *pw->pw_gecos && !strchr(pw->pw_gecos, ',')
					    ? pw->pw_gecos
					    : login);
	irk_buf_addf(&addr, "%s@%s", login, host);
	snprintf(email, esize, "%s", addr.buf);
	irk_buf_release(&addr);
}

int cmd_id(int argc, char **argv)
{
	static const struct option opts[] = { { "name", required_argument, NULL, 'n' },
					      { "email", required_argument, NULL, 'e' },
					      { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_identity id;
	struct irk_buf path = IRK_BUF_INIT, vkey = IRK_BUF_INIT;
	const char *name = NULL, *email = NULL;
	char dname[IRK_NAME_MAX], demail[IRK_NAME_MAX];
	int c, json = 0, created = 0, rc = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "h", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		if (c == 'n')
			name = optarg;
		else if (c == 'e')
			email = optarg;
		else if (c == 'j')
			json = 1;
	}
	if (optind < argc)
		return cli_usage("id", "unexpected argument '%s'", argv[optind]);
	if (irk_identity_path(&path, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	if (access(path.buf, F_OK) != 0) {
		defaults(dname, sizeof(dname), demail, sizeof(demail));
		if (irk_identity_create(path.buf, name ? name : dname, email ? email : demail, &id,
					&err)) {
			rc = cli_error(&err);
			goto done;
		}
		created = 1;
	} else {
		if (irk_identity_load(path.buf, &id, &err)) {
			rc = cli_error(&err);
			goto done;
		}
		if (name || email)
			fprintf(stderr, "irk: an identity exists already; --name and --email are ignored\n");
	}
	irk_vkey_format(id.email, id.pk, &vkey);
	if (json) {
		cli_print_json(json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "name", id.name, "email",
					 id.email, "keyid", id.keyid, "vkey", vkey.buf, "path",
					 path.buf, "created", created));
	} else {
		if (created)
			printf("created a new identity in %s\n", path.buf);
		printf("name:  %s\nemail: %s\nkeyid: %s\nkey:   %s\n", id.name, id.email, id.keyid,
		       vkey.buf);
	}
	irk_identity_wipe(&id);
done:
	irk_buf_release(&path);
	irk_buf_release(&vkey);
	return rc;
}
