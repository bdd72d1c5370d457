/* cmd-contact.c - irk contact add|list|verify: who may have to be told. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "irk/contact.h"

static const char usage[] =
	"usage: irk contact add NAME --role ROLE [--channel KIND:ADDRESS]... [--org ORG]\n"
	"                           [--notes TEXT]\n"
	"       irk contact verify NAME\n"
	"       irk contact list [--role ROLE] [--json]\n\n"
	"Keep the points of contact outside the crew: management, legal, pr,\n"
	"law-enforcement, irt, isp-abuse, vendor, affected-site, regulator.\n"
	"Adding a NAME again replaces its details.  'verify' records that the\n"
	"details were checked today; 'list' shows when each was last checked.\n\n"
	"  --channel KIND:ADDRESS  email, phone, sms, chat, web-form, letter,\n"
	"                          in-person, ticket or fax (repeatable, up to 16)\n"
	"  --json                  JSON Lines\n";

static int contact_list(const char *role, int json)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	json_t *arr = NULL, *ct, *ch;
	size_t i, j;

	if (cli_casebook(&cb, &err) || irk_contact_list(cb, role, &arr, &err)) {
		irk_casebook_close(cb);
		return cli_error(&err);
	}
	json_array_foreach(arr, i, ct) {
		json_t *v = json_object_get(ct, "verified");
		if (json) {
			cli_print_json(json_incref(ct));
			continue;
		}
		printf("%-16s %-24s verified %.10s ", json_string_value(json_object_get(ct, "role")),
		       json_string_value(json_object_get(ct, "name")),
		       json_is_string(v) ? json_string_value(v) : "never     ");
		json_array_foreach(json_object_get(ct, "channels"), j, ch)
			printf("%s%s", j ? ", " : " ", json_string_value(ch));
		printf("\n");
	}
	json_decref(arr);
	irk_casebook_close(cb);
	return 0;
}

int cmd_contact(int argc, char **argv)
{
	static const struct option opts[] = { { "role", required_argument, NULL, 'r' },
					      { "channel", required_argument, NULL, 'c' },
					      { "org", required_argument, NULL, 'o' },
					      { "notes", required_argument, NULL, 'n' },
					      { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	const char *channels[IRK_CONTACT_CHANNELS_MAX + 2] = { NULL };
	struct irk_contact_new ct = { .channels = channels };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	const char *sub;
	int c, json = 0, rc = 0, nch = 0;

	if ((c = cli_subcommand(&argc, &argv, usage, &sub)) >= 0)
		return c;
	if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "verify"))
		return cli_usage("contact", "unknown subcommand '%s' (use add, list or verify)", sub);
	while ((c = cli_getopt(argc, argv, "h", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		switch (c) {
		case 'r': ct.role = optarg; break;
		case 'o': ct.org = optarg; break;
		case 'n': ct.notes = optarg; break;
		case 'j': json = 1; break;
		case 'c':
			if (nch > IRK_CONTACT_CHANNELS_MAX)
				return cli_usage("contact", "at most %d channels", IRK_CONTACT_CHANNELS_MAX);
			channels[nch++] = optarg;
			break;
		}
	}
	if (!strcmp(sub, "list")) {
		if (optind != argc)
			return cli_usage("contact", "list takes no arguments");
		return contact_list(ct.role, json);
	}
	if (optind != argc - 1)
		return cli_usage("contact", "%s needs the contact's NAME", sub);
	if (!strcmp(sub, "add") && !ct.role)
		return cli_usage("contact", "add needs --role");
	ct.name = argv[optind];
	if (cli_casebook(&cb, &err) || cli_identity(&id, &err))
		rc = cli_error(&err);
	else if (!strcmp(sub, "add") ? irk_contact_add(cb, &id, &ct, &err)
				     : irk_contact_verify(cb, &id, ct.name, &err))
		rc = cli_error(&err);
	else
		printf("contact %s %s\n", ct.name, !strcmp(sub, "add") ? "recorded" : "verified");
	irk_casebook_close(cb);
	return rc;
}
