/* cmd-log.c - irk log: write an entry into an incident's log book. */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "irk/incident.h"
#include "irk/text.h"

static const char usage[] =
	"usage: irk log [INC] TEXT [--kind KIND] [--with WHO] [--at TIME] [--json]\n\n"
	"Record what happened, what you did, who you spoke to.  TEXT '-' reads\n"
	"standard input.  INC may be omitted when only one incident is open\n"
	"(or IRK_INCIDENT names one).  Nothing is ever edited: to correct an\n"
	"entry, use 'irk amend'.\n\n"
	"  --kind KIND   note (default), action, call, decision or observation\n"
	"  --with WHO    the other party of a call\n"
	"  --at TIME     when it happened, if not now: 2026-11-21T14:05:00Z,\n"
	"                '2026-11-21 14:05 +0100', or 14:05 (today, local)\n"
	"  --json        print the stored entry as JSON\n\n"
	"Texts are valid UTF-8 of at most 65536 bytes.\n";

int cmd_log(int argc, char **argv)
{
	static const struct option opts[] = { { "kind", required_argument, NULL, 'k' },
					      { "with", required_argument, NULL, 'w' },
					      { "at", required_argument, NULL, 'a' },
					      { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	struct irk_append a = { .kind = "note" };
	struct irk_entry e;
	struct irk_buf text = IRK_BUF_INIT;
	const char *with = NULL, *at = NULL, *inc_arg = NULL;
	char inc[IRK_CHAIN_MAX];
	int c, json = 0, rc = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "h", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		if (c == 'k')
			a.kind = optarg;
		else if (c == 'w')
			with = optarg;
		else if (c == 'a')
			at = optarg;
		else if (c == 'j')
			json = 1;
	}
	if (argc - optind == 2)
		inc_arg = argv[optind++];
	else if (argc - optind != 1)
		return cli_usage("log", "give the text to record (and optionally the incident first)");
	if (irk_list_index(irk_entry_kinds, a.kind) < 0)
		return cli_usage("log", "unknown kind '%s' (use note, action, call, decision or observation)",
				 a.kind);
	if (with && irk_list_index(irk_entry_kinds, a.kind) != 2)
		return cli_usage("log", "--with goes with --kind call");
	if ((at && cli_parse_at(at, &a, &err)) || cli_text_arg(argv[optind], &text, &err) ||
	    cli_casebook(&cb, &err) || cli_incident(cb, inc_arg, inc, &err) ||
	    cli_identity(&id, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	a.chain = inc;
	a.text = text.buf;
	if (with) {
		if (irk_text_check_name(with, &err)) {
			irk_err_prefix(&err, "--with");
			rc = cli_error(&err);
			goto done;
		}
		a.data = json_pack("{s:s}", "with", with);
	}
	if (!*a.text) {
		irk_fail(&err, IRK_EINVAL, "the entry text is empty");
		rc = cli_error(&err);
		goto done;
	}
	if (irk_logbook_write(cb, &id, &a, &e, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	if (json)
		cli_print_json(json_pack("{s:s, s:I, s:s, s:s}", "inc", inc, "seq", (json_int_t)e.seq,
					 "hash", e.hash, "kind", e.kind));
	else
		printf("%s #%lld %s\n", inc, (long long)e.seq, e.hash);
	irk_entry_release(&e);
done:
	json_decref(a.data);
	irk_buf_release(&text);
	irk_casebook_close(cb);
	return rc;
}
