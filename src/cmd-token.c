/* cmd-token.c - irk token create|list|revoke: API tokens for the team server. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "irk/auth.h"
#include "irk/member.h"

static const char usage[] =
	"usage: irk token create [--member WHO] [--label TEXT] [--days N] [--json]\n"
	"       irk token list [--json]\n"
	"       irk token revoke ID\n\n"
	"API tokens let scripts use 'irk serve' as a member: send\n"
	"'Authorization: Bearer <token>'.  The token is printed once; the casebook\n"
	"keeps only its SHA-256.  A token acts with its member's current role.\n"
	"You may create tokens for yourself; admins for any member.\n\n"
	"  --member WHO   key id, e-mail or name (default: you)\n"
	"  --label TEXT   what the token is for (default \"api\")\n"
	"  --days N       expire after N days (default 90; 0: never)\n"
	"  --json         machine-readable output\n";

static int token_create(int argc, char **argv)
{
	static const struct option opts[] = { { "member", required_argument, NULL, 'm' },
					      { "label", required_argument, NULL, 'l' },
					      { "days", required_argument, NULL, 'd' },
					      { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_member m;
	const char *who = NULL, *label = "api";
	char token[IRK_TOKEN_MAX], id[9], *end;
	int c, json = 0, rc = 0;
	long days = 90;

	while ((c = cli_getopt(argc, argv, "h", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		if (c == 'm')
			who = optarg;
		else if (c == 'l')
			label = optarg;
		else if (c == 'j')
			json = 1;
		else if (c == 'd') {
			days = strtol(optarg, &end, 10);
			if (*end || days < 0 || days > 3650)
				return cli_usage("token", "--days takes 0 to 3650");
		}
	}
	if (optind < argc)
		return cli_usage("token", "unexpected argument '%s'", argv[optind]);
	if (cli_casebook(&cb, &err) || cli_self_or_admin(cb, who, &m, &err) ||
	    irk_auth_token_create(cb, m.keyid, label, (int)days, token, id, &err)) {
		rc = cli_error(&err);
	} else if (json) {
		cli_print_json(json_pack("{s:s, s:s, s:s, s:s}", "id", id, "member", m.keyid, "email",
					 m.email, "token", token));
	} else {
		printf("%s\n", token);
		fprintf(stderr, "token %s for %s; it is shown only this once\n", id, m.email);
	}
	irk_casebook_close(cb);
	return rc;
}

static void print_token(json_t *t)
{
	printf("%s  %-28s %-16s created %s%s%s%s\n", json_string_value(json_object_get(t, "id")),
	       json_string_value(json_object_get(t, "email")),
	       json_string_value(json_object_get(t, "label")),
	       json_string_value(json_object_get(t, "created")),
	       json_is_string(json_object_get(t, "expires")) ? ", expires " : "",
	       json_string_value(json_object_get(t, "expires")) ?: "",
	       json_is_string(json_object_get(t, "revoked")) ? ", REVOKED" : "");
}

static int token_revoke(int argc, char **argv)
{
	static const struct option opts[] = { { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	json_t *arr = NULL, *t;
	struct irk_member m;
	const char *owner = NULL;
	size_t i;
	int c, rc = 0;

	while ((c = cli_getopt(argc, argv, "h", opts, usage)) != -1)
		if (c < -1)
			return cli_getopt_exit(c);
	if (argc - optind != 1)
		return cli_usage("token", "revoke takes one token id (see 'irk token list')");
	if (cli_casebook(&cb, &err) || irk_auth_token_list(cb, &arr, &err))
		goto fail;
	json_array_foreach(arr, i, t)
		if (!strcmp(json_string_value(json_object_get(t, "id")), argv[optind]))
			owner = json_string_value(json_object_get(t, "member"));
	if (!owner) {
		irk_fail(&err, IRK_ENOTFOUND, "no token with id '%s'", argv[optind]);
		irk_hint(&err, "see 'irk token list'");
		goto fail;
	}
	if (cli_self_or_admin(cb, owner, &m, &err) || irk_auth_token_revoke(cb, argv[optind], &err))
		goto fail;
	printf("token %s revoked\n", argv[optind]);
	goto out;
fail:
	rc = cli_error(&err);
out:
	json_decref(arr);
	irk_casebook_close(cb);
	return rc;
}

int cmd_token(int argc, char **argv)
{
	optind = 0;
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? IRK_EUSAGE : 0;
	}
	if (!strcmp(argv[1], "create"))
		return token_create(argc - 1, argv + 1);
	if (!strcmp(argv[1], "list"))
		return cli_list(argc - 1, argv + 1, usage, irk_auth_token_list, print_token);
	if (!strcmp(argv[1], "revoke"))
		return token_revoke(argc - 1, argv + 1);
	return cli_usage("token", "unknown subcommand '%s' (use create, list or revoke)", argv[1]);
}
