/* cmd-notify.c - irk notify: who was told what, when; and their acknowledgement. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "irk/contact.h"
#include "irk/duty.h"
#include "irk/timefmt.h"

static const char usage[] =
	"usage: irk notify [INC] CONTACT --via CHANNEL --summary TEXT [--at TIME]\n"
	"       irk notify ack [INC] NUM [-m TEXT] [--at TIME]\n"
	"       irk notify list [INC] [--json]\n"
	"       irk notify duties [INC] [--json]\n\n"
	"Record that a contact (see 'irk contact') was told about an incident:\n"
	"how, what, and when (now, or --at).  'ack' records that they\n"
	"acknowledged notification NUM.  'duties' shows who must be told by\n"
	"when (from the casebook's rules and the incident's playbook) and\n"
	"whether it was done in time.\n\n"
	"  --via CHANNEL   email, phone, sms, chat, web-form, letter, in-person,\n"
	"                  ticket or fax\n"
	"  --summary TEXT  what they were told ('-' reads standard input)\n"
	"  --json          JSON Lines\n";

static int list_notifications(struct irk_casebook *cb, const char *inc, int json)
{
	struct irk_err err = IRK_ERR_INIT;
	json_t *arr, *n;
	size_t i;

	if (irk_notify_list(cb, inc, &arr, &err))
		return cli_error(&err);
	json_array_foreach(arr, i, n) {
		json_t *ack = json_object_get(n, "acked");
		if (json) {
			cli_print_json(json_incref(n));
			continue;
		}
		printf("#%lld %s %s (%s) via %s%s%s\n    %s\n",
		       (long long)json_integer_value(json_object_get(n, "num")),
		       json_string_value(json_object_get(n, "at")),
		       json_string_value(json_object_get(n, "contact")),
		       json_string_value(json_object_get(n, "role")),
		       json_string_value(json_object_get(n, "via")),
		       json_is_string(ack) ? ", acknowledged " : ", not acknowledged",
		       json_is_string(ack) ? json_string_value(ack) : "",
		       json_string_value(json_object_get(n, "summary")));
	}
	json_decref(arr);
	return 0;
}

static int list_duties(struct irk_casebook *cb, const char *inc, int json)
{
	struct irk_err err = IRK_ERR_INIT;
	json_t *arr, *d;
	size_t i;

	if (irk_duty_list(cb, inc, irk_now_ms(), &arr, &err))
		return cli_error(&err);
	json_array_foreach(arr, i, d) {
		json_t *dl = json_object_get(d, "deadline");
		if (json) {
			cli_print_json(json_incref(d));
			continue;
		}
		printf("%-8s %-16s by %-25s %s\n", json_string_value(json_object_get(d, "status")),
		       json_string_value(json_object_get(d, "role")),
		       json_is_string(dl) ? json_string_value(dl) : "(clock not started)",
		       json_string_value(json_object_get(d, "why")));
	}
	if (!json && json_array_size(arr) == 0)
		printf("%s has no notification duties\n", inc);
	json_decref(arr);
	return 0;
}

int cmd_notify(int argc, char **argv)
{
	static const struct option opts[] = { { "via", required_argument, NULL, 'v' },
					      { "summary", required_argument, NULL, 's' },
					      { "message", required_argument, NULL, 'm' },
					      { "at", required_argument, NULL, 'a' },
					      { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	struct irk_append when = { 0 };
	struct irk_buf summary = IRK_BUF_INIT;
	const char *sub = "", *via = NULL, *sum = NULL, *text = NULL, *at = NULL, *inc_arg = NULL;
	char inc[IRK_CHAIN_MAX], *end;
	int64_t num = 0;
	int c, json = 0, rc = 0, n, want;

	optind = 0;
	if (argc >= 2 && (!strcmp(argv[1], "ack") || !strcmp(argv[1], "list") ||
			  !strcmp(argv[1], "duties"))) {
		sub = argv[1];
		argc--;
		argv++;
	}
	while ((c = cli_getopt(argc, argv, "hm:", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		switch (c) {
		case 'v': via = optarg; break;
		case 's': sum = optarg; break;
		case 'm': text = optarg; break;
		case 'a': at = optarg; break;
		case 'j': json = 1; break;
		}
	}
	n = argc - optind;
	want = !strcmp(sub, "list") || !strcmp(sub, "duties") ? 0 : 1;
	if (n == want + 1)
		inc_arg = argv[optind++];
	else if (n != want)
		return cli_usage("notify", "wrong number of arguments");
	if (!strcmp(sub, "ack")) {
		num = strtoll(argv[optind], &end, 10);
		if (num < 1 || *end)
			return cli_usage("notify", "'%s' is not a notification number", argv[optind]);
	} else if (!*sub && (!via || !sum)) {
		return cli_usage("notify", "say how (--via) and what (--summary) they were told");
	}
	if ((at && cli_parse_at(at, &when, &err)) || (sum && cli_text_arg(sum, &summary, &err)) ||
	    cli_casebook(&cb, &err) || cli_incident(cb, inc_arg, inc, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	if (!strcmp(sub, "list")) {
		rc = list_notifications(cb, inc, json);
	} else if (!strcmp(sub, "duties")) {
		rc = list_duties(cb, inc, json);
	} else if (cli_identity(&id, &err)) {
		rc = cli_error(&err);
	} else if (!strcmp(sub, "ack")) {
		if (irk_notify_ack(cb, &id, inc, num, text, &when, &err))
			rc = cli_error(&err);
		else
			printf("%s notification %lld acknowledged\n", inc, (long long)num);
	} else if (irk_notify(cb, &id, inc, argv[optind], via, summary.buf, &when, &num, &err)) {
		rc = cli_error(&err);
	} else {
		printf("%s notification %lld: %s told via %s\n", inc, (long long)num, argv[optind], via);
	}
done:
	irk_buf_release(&summary);
	irk_casebook_close(cb);
	return rc;
}
