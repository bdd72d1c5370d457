/* cmd-assess.c - irk assess: is it real, how big is it, how urgent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "irk/assess.h"
#include "irk/fs.h"
#include "irk/incident.h"

static const char usage[] =
	"usage: irk assess [INC] [answers...] [--override SEVERITY --reason TEXT] [--json]\n"
	"       irk assess [INC] --file FILE.json\n"
	"       irk assess [INC] --show [--json]\n\n"
	"Record whether an incident is real and how big it is, and rate it.\n"
	"On a terminal without answers, irk asks each question in turn.\n"
	"The severity follows from the answers by the rule in irk-assess(1)\n"
	"(and docs/HANDLING.md); a lead may override it, with a reason.\n\n"
	"  --real yes|no|unknown       is it a real incident?\n"
	"  --symptom KIND:EVIDENCE     what was observed and what shows it\n"
	"                              (repeatable; KIND: system-crash, new-accounts,\n"
	"                              new-files, accounting-gaps, file-changes,\n"
	"                              system-writes, data-tampering, denial-of-service,\n"
	"                              poor-performance, anomalies, suspicious-probes,\n"
	"                              suspicious-browsing)\n"
	"  --multi-site yes|no         does it involve more than one site?\n"
	"  --hosts N                   how many hosts are involved?\n"
	"  --sensitive yes|no          is sensitive information involved?\n"
	"  --data CATEGORY             data involved: personal, special, financial,\n"
	"                              credentials, confidential or none (repeatable)\n"
	"  --entry-point TEXT          how did the intruder get in?\n"
	"  --press yes|no              is the press involved?\n"
	"  --damage LEVEL              potential damage: none, low, moderate, high, severe\n"
	"  --time-to-close SPAN        estimated time to close (e.g. 2d)\n"
	"  --resources TEXT            what is needed to handle it\n"
	"  --override SEVERITY         set the severity yourself (leads only)\n"
	"  --reason TEXT               why (required with --override)\n"
	"  --file FILE                 the answers as one JSON object ('-': stdin)\n"
	"  --show                      show the latest assessment\n"
	"  --json                      print the result as JSON\n";

static int yes_no(const char *s, json_t *a, const char *key)
{
	if (!strcmp(s, "yes") || !strcmp(s, "true"))
		json_object_set_new(a, key, json_true());
	else if (!strcmp(s, "no") || !strcmp(s, "false"))
		json_object_set_new(a, key, json_false());
	else
		return cli_usage("assess", "--%s takes yes or no", key);
	return 0;
}

static void add_symptom(json_t *a, const char *kind, const char *evidence)
{
	json_t *list = json_object_get(a, "symptoms");

	if (!list) {
		list = json_array();
		json_object_set_new(a, "symptoms", list);
	}
	json_array_append_new(list, json_pack("{s:s, s:s}", "kind", kind, "evidence", evidence));
}

/* Ask one question on the terminal; returns the trimmed answer or NULL at EOF/empty. */
static char *ask(const char *question, char *buf, size_t size)
{
	size_t n;

	fprintf(stderr, "%s ", question);
	if (!fgets(buf, (int)size, stdin))
		return NULL;
	n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return n ? buf : NULL;
}

static int interview(json_t *a)
{
	static const char *const yn[][2] = {
		{ "multi_site", "Does it involve more than one site? (yes/no)" },
		{ "sensitive", "Is sensitive information involved? (yes/no)" },
		{ "press", "Is the press involved? (yes/no)" },
	};
	char buf[1024], kind[64];
	char *s;

	fprintf(stderr, "Assessing: press Enter to skip a question.\n");
	while (!(s = ask("Is it a real incident? (yes/no/unknown)", buf, sizeof(buf))) ||
	       (strcmp(s, "yes") && strcmp(s, "no") && strcmp(s, "unknown")))
		if (feof(stdin))
			return cli_usage("assess", "the interview ended before 'real' was answered");
	json_object_set_new(a, "real", json_string(s));
	fprintf(stderr, "Symptoms (e.g. suspicious-probes, new-accounts; empty line ends):\n");
	while ((s = ask("  symptom kind:", buf, sizeof(buf)))) {
		snprintf(kind, sizeof(kind), "%s", s);
		if (!(s = ask("  evidence or finding behind it:", buf, sizeof(buf))))
			break;
		add_symptom(a, kind, s);
	}
	for (size_t i = 0; i < sizeof(yn) / sizeof(yn[0]); i++)
		if ((s = ask(yn[i][1], buf, sizeof(buf))) && yes_no(s, a, yn[i][0]))
			return IRK_EUSAGE;
	if ((s = ask("How many hosts are involved?", buf, sizeof(buf))))
		json_object_set_new(a, "hosts", json_integer(atoll(s)));
	if ((s = ask("Data involved (personal, special, financial, credentials, confidential, none)?",
		     buf, sizeof(buf))))
		json_object_set_new(a, "data", json_pack("[s]", s));
	if ((s = ask("What was the entry point?", buf, sizeof(buf))))
		json_object_set_new(a, "entry_point", json_string(s));
	if ((s = ask("Potential damage (none, low, moderate, high, severe)?", buf, sizeof(buf))))
		json_object_set_new(a, "damage", json_string(s));
	if ((s = ask("Estimated time to close (e.g. 2d)?", buf, sizeof(buf))))
		json_object_set_new(a, "time_to_close", json_string(s));
	if ((s = ask("Resources needed?", buf, sizeof(buf))))
		json_object_set_new(a, "resources", json_string(s));
	return 0;
}

static void print_result(const char *inc, json_t *r)
{
	json_t *why;
	size_t i;

	printf("%s: severity %s, priority %s", inc, json_string_value(json_object_get(r, "severity")),
	       json_string_value(json_object_get(r, "priority")));
	if (strcmp(json_string_value(json_object_get(r, "severity")),
		   json_string_value(json_object_get(r, "computed"))))
		printf(" (overridden; the rule gives %s)", json_string_value(json_object_get(r, "computed")));
	printf("\nwhy:\n");
	json_array_foreach(json_object_get(r, "reasons"), i, why)
		printf("  %s\n", json_string_value(why));
}

int cmd_assess(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "real", required_argument, NULL, 'r' },	   { "symptom", required_argument, NULL, 'y' },
		{ "multi-site", required_argument, NULL, 'M' }, { "hosts", required_argument, NULL, 'H' },
		{ "sensitive", required_argument, NULL, 'S' },  { "data", required_argument, NULL, 'D' },
		{ "entry-point", required_argument, NULL, 'E' }, { "press", required_argument, NULL, 'P' },
		{ "damage", required_argument, NULL, 'd' },	   { "time-to-close", required_argument, NULL, 'T' },
		{ "resources", required_argument, NULL, 'R' },  { "override", required_argument, NULL, 'o' },
		{ "reason", required_argument, NULL, 'w' },	   { "file", required_argument, NULL, 'f' },
		{ "show", no_argument, NULL, 's' },		   { "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },		   { NULL, 0, NULL, 0 }
	};
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	struct irk_buf file = IRK_BUF_INIT;
	const char *path = NULL, *override = NULL, *reason = NULL;
	json_t *a = json_object(), *result = NULL, *data = NULL;
	char inc[IRK_CHAIN_MAX], *end, *colon;
	int c, json = 0, show = 0, answered = 0, rc = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "h", opts, usage)) != -1) {
		if (c < -1) {
			json_decref(a);
			return cli_getopt_exit(c);
		}
		answered += c != 'j' && c != 's' && c != 'f';
		switch (c) {
		case 'r': json_object_set_new(a, "real", json_string(optarg)); break;
		case 'E': json_object_set_new(a, "entry_point", json_string(optarg)); break;
		case 'd': json_object_set_new(a, "damage", json_string(optarg)); break;
		case 'T': json_object_set_new(a, "time_to_close", json_string(optarg)); break;
		case 'R': json_object_set_new(a, "resources", json_string(optarg)); break;
		case 'o': override = optarg; break;
		case 'w': reason = optarg; break;
		case 'f': path = optarg; break;
		case 's': show = 1; break;
		case 'j': json = 1; break;
		case 'M': rc = yes_no(optarg, a, "multi_site"); break;
		case 'S': rc = yes_no(optarg, a, "sensitive"); break;
		case 'P': rc = yes_no(optarg, a, "press"); break;
		case 'H':
			json_object_set_new(a, "hosts", json_integer(strtoll(optarg, &end, 10)));
			if (*end || !*optarg)
				rc = cli_usage("assess", "--hosts takes a number");
			break;
		case 'D':
			if (!data) {
				data = json_array();
				json_object_set_new(a, "data", data);
			}
			json_array_append_new(data, json_string(optarg));
			break;
		case 'y':
			colon = strchr(optarg, ':');
			if (!colon)
				rc = cli_usage("assess", "--symptom takes KIND:EVIDENCE");
			else {
				*colon = '\0';
				add_symptom(a, optarg, colon + 1);
			}
			break;
		}
		if (rc)
			goto done;
	}
	if (argc - optind > 1) {
		rc = cli_usage("assess", "give at most one incident");
		goto done;
	}
	if (path && answered) {
		rc = cli_usage("assess", "give the answers either in --file or as options, not both");
		goto done;
	}
	if (!!override != !!reason) {
		rc = cli_usage("assess", "--override and --reason go together");
		goto done;
	}
	if (cli_casebook(&cb, &err) || cli_incident(cb, optind < argc ? argv[optind] : NULL, inc, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	if (show) {
		if (irk_assess_get(cb, inc, &result, &err))
			rc = cli_error(&err);
		else if (json)
			cli_print_json(json_incref(result));
		else
			print_result(inc, result);
		goto done;
	}
	if (path) {
		json_decref(a);
		a = NULL;
		if ((rc = irk_read_file(path, IRK_ASSESS_FILE_MAX, &file, &err)) ||
		    (rc = irk_assess_parse(file.buf, file.len, path, &a, &err))) {
			rc = cli_error(&err);
			goto done;
		}
	} else if (!answered || (answered == 2 && override)) {
		if (!isatty(0)) {
			rc = cli_usage("assess", "give the answers as options or --file (not on a terminal)");
			goto done;
		}
		if ((rc = interview(a)))
			goto done;
	}
	if (override)
		json_object_set_new(a, "override", json_pack("{s:s, s:s}", "severity", override,
							     "reason", reason));
	if (cli_identity(&id, &err) || irk_assess_record(cb, &id, inc, a, &result, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	if (json)
		cli_print_json(json_incref(result));
	else
		print_result(inc, result);
done:
	json_decref(a);
	json_decref(result);
	irk_buf_release(&file);
	irk_casebook_close(cb);
	return rc;
}
